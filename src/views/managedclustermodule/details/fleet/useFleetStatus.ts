import { useMemo } from 'react';
import type { ManagedClusterModule } from '../../../../utils/model';
import { type FailureCauseGroup, groupFailureCauses } from '../../../../utils/fleet-status';
import { useFleetSummary } from '../../../../utils/useFleetSummaries';
import { buildFleetRows, type FleetRow } from './fleet-rows';

/**
 * Watches this MCM's fleet summary (one object, written by the controller) and derives the tab's rows and the
 * failed clusters grouped by root cause.
 */
export const useFleetStatus = (
  mcm: ManagedClusterModule,
): {
  rows: FleetRow[];
  causes: FailureCauseGroup[];
  published: boolean;
  loaded: boolean;
  loadError: unknown;
} => {
  const { facts, published, loaded, loadError } = useFleetSummary(mcm.metadata.name ?? '');
  const rows = useMemo(() => (loaded ? buildFleetRows(mcm, facts) : []), [loaded, mcm, facts]);
  const causes = useMemo(() => groupFailureCauses(rows), [rows]);
  return { rows, causes, published, loaded, loadError };
};
