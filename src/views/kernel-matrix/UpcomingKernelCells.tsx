import { Icon, Label, Tooltip } from '@patternfly/react-core';
import {
  BanIcon,
  CheckCircleIcon,
  ExclamationCircleIcon,
  HourglassHalfIcon,
} from '@patternfly/react-icons';
import { type ComponentType, useRef } from 'react';
import { type PluginT, usePluginTranslation } from '../../utils/i18n';
import type { UpcomingColumn, UpcomingDetail, UpcomingState } from './upcoming-kernels';

export const upcomingStateText = (t: PluginT, state: UpcomingState): string => {
  switch (state) {
    case 'ready':
      return t('Image ready ahead of the upgrade');
    case 'preparing':
      return t('Image being checked, built or signed');
    case 'noMapping':
      return t('No kernel mapping for the upcoming kernel');
    case 'failed':
      return t('Image missing or failed');
  }
};

const shortText = (t: PluginT, state: UpcomingState): string => {
  switch (state) {
    case 'ready':
      return t('Ready');
    case 'preparing':
      return t('Preparing');
    case 'noMapping':
      return t('No mapping');
    case 'failed':
      return t('Failed');
  }
};

const LOOK: Record<
  UpcomingState,
  { icon: ComponentType; status: 'success' | 'danger' | 'warning' | 'custom' }
> = {
  ready: { icon: CheckCircleIcon, status: 'success' },
  preparing: { icon: HourglassHalfIcon, status: 'custom' },
  noMapping: { icon: BanIcon, status: 'warning' },
  failed: { icon: ExclamationCircleIcon, status: 'danger' },
};

const StateIcon = ({ state }: { state: UpcomingState }) => {
  const { icon: Glyph, status } = LOOK[state];
  return (
    <Icon status={status} isInline aria-hidden>
      <Glyph />
    </Icon>
  );
};

/** The column header of an upcoming kernel: the kernel, visibly marked as upcoming, and its release label. */
export const UpcomingHeader = ({ column }: { column: UpcomingColumn }) => {
  const { t } = usePluginTranslation();
  return (
    <>
      {column.kernel}{' '}
      <Label isCompact color="purple">
        {t('Upcoming')}
      </Label>
      {column.release ? (
        <div>
          <small>{column.release}</small>
        </div>
      ) : null}
    </>
  );
};

/** Each MCM's word on the kernel, as the controller reports it. */
const Details = ({ details }: { details: readonly UpcomingDetail[] }) => (
  <div>
    {details.map((d) => (
      <div key={d.mcm}>
        {d.mcm}: <span lang="en">{d.preflightState}</span>
        {d.image ? ` · ${d.image}` : ''}
        {d.message ? <span lang="en">{` · ${d.message}`}</span> : null}
      </div>
    ))}
  </div>
);

/** The summary-row cell of an upcoming kernel: how many chosen MCMs are ready, each MCM's state on hover. */
export const UpcomingSummary = ({ column }: { column: UpcomingColumn }) => {
  const { t } = usePluginTranslation();
  const ref = useRef<HTMLSpanElement>(null);
  return (
    <>
      <span
        ref={ref}
        tabIndex={0}
        role="img"
        aria-label={t('{{kernel}} (upcoming): {{state}}, {{ready}} of {{total}} modules ready', {
          kernel: column.kernel,
          state: upcomingStateText(t, column.state),
          ready: column.ready,
          total: column.details.length,
        })}
      >
        <StateIcon state={column.state} />{' '}
        {t('{{ready}} / {{total}} ready', { ready: column.ready, total: column.details.length })}
      </span>
      <Tooltip triggerRef={ref} content={<Details details={column.details} />} />
    </>
  );
};

/** A cluster's cell in an upcoming column: what the MCMs selecting it would send after the upgrade. */
export const UpcomingCell = ({
  cluster,
  kernel,
  state,
}: {
  cluster: string;
  kernel: string;
  state: UpcomingState;
}) => {
  const { t } = usePluginTranslation();
  return (
    <span
      role="img"
      aria-label={t('{{cluster}} on {{kernel}} (upcoming): {{state}}', {
        cluster,
        kernel,
        state: upcomingStateText(t, state),
      })}
    >
      <StateIcon state={state} /> {shortText(t, state)}
    </span>
  );
};
