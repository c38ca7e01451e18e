import type * as Real from '@openshift-console/dynamic-plugin-sdk';
import { Tooltip } from '@patternfly/react-core';
import { useEffect, useState } from 'react';

type SDK = typeof Real;
const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 30],
  ['month', 12],
  ['year', Infinity],
];

function ago(date: Date, now: number): string {
  let value = (date.getTime() - now) / 1000;
  for (const [unit, size] of STEPS) {
    if (Math.abs(value) < size) return relative.format(Math.round(value), unit);
    value /= size;
  }
  return date.toISOString();
}

/** As the console's: relative for recent times, the full time in a tooltip; updated every minute. */
export const Timestamp: SDK['Timestamp'] = ({ timestamp, simple, className }) => {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(timer);
  }, []);
  if (!timestamp) return <>-</>;
  const date = new Date(timestamp);
  if (Number.isNaN(date.getTime())) return <>-</>;
  const text = ago(date, now);
  if (simple) return <>{text}</>;
  return (
    <Tooltip content={date.toUTCString()}>
      <time className={className} dateTime={timestamp} tabIndex={0}>
        {text}
      </time>
    </Tooltip>
  );
};
