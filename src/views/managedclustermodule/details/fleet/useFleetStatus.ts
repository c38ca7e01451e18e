import { useMemo } from 'react';
import type { ManagedClusterModule } from '../../../../utils/model';
import { useFleetSummary } from '../../../../utils/useFleetSummaries';
import { buildFleetRows, type FleetRow } from './fleet-rows';

/** Watches this MCM's fleet summary (one object, written by the controller) and derives the tab's rows. */
export const useFleetStatus = (
  mcm: ManagedClusterModule,
): { rows: FleetRow[]; published: boolean; loaded: boolean; loadError: unknown } => {
  const { facts, published, loaded, loadError } = useFleetSummary(mcm.metadata.name ?? '');
  const rows = useMemo(() => (loaded ? buildFleetRows(mcm, facts) : []), [loaded, mcm, facts]);
  return { rows, published, loaded, loadError };
};
