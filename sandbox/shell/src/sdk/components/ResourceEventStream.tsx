import type * as Real from '@openshift-console/dynamic-plugin-sdk';
import { EmptyState, List, ListItem } from '@patternfly/react-core';
import { useK8sWatchResource } from '../hooks';
import { Timestamp } from './Timestamp';

type SDK = typeof Real;
interface Event extends Real.K8sResourceCommon {
  reason?: string;
  message?: string;
  type?: string;
  count?: number;
  lastTimestamp?: string;
  eventTime?: string;
  involvedObject?: { uid?: string };
}

/** The events whose involvedObject is the resource, newest first. */
export const ResourceEventStream: SDK['ResourceEventStream'] = ({ resource }) => {
  const [events, loaded, error] = useK8sWatchResource<Event[]>({
    groupVersionKind: { version: 'v1', kind: 'Event' },
    isList: true,
    fieldSelector: `involvedObject.name=${resource.metadata?.name ?? ''}`,
  });
  if (error) return <p>{String((error as Error).message ?? error)}</p>;
  const own = (events ?? [])
    .filter((e) => !resource.metadata?.uid || e.involvedObject?.uid === resource.metadata.uid)
    .sort((a, b) =>
      (b.lastTimestamp ?? b.eventTime ?? '').localeCompare(a.lastTimestamp ?? a.eventTime ?? ''),
    );
  if (loaded && own.length === 0) return <EmptyState titleText="No events" headingLevel="h3" />;
  return (
    <List isPlain aria-label="Events">
      {own.map((e) => (
        <ListItem key={e.metadata?.uid}>
          <strong>{e.reason}</strong> ({e.type}, {e.count ?? 1}x){' '}
          <Timestamp timestamp={e.lastTimestamp ?? e.eventTime} />
          <div>{e.message}</div>
        </ListItem>
      ))}
    </List>
  );
};
