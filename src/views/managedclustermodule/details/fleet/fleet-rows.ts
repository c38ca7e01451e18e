// The fleet status tab's rows: one per cluster the MCM selects, derived once per data change.
import {
  type CellState,
  type ClusterModuleStatus,
  clusterModuleStatus,
  indexMcm,
} from '../../../../utils/fleet-status';
import {
  compareStrings,
  type FleetClusterFacts,
  type ManagedClusterModule,
} from '../../../../utils/model';

export type FleetRow = ClusterModuleStatus & {
  available: 'True' | 'False' | 'Unknown';
  problem: boolean;
};

export type FleetSummary = {
  selected: number;
  withManifestWork: number;
  applied: number;
  loaded: number;
  degraded: number;
  skipped: number;
  problems: number;
};

const PROBLEM_STATES: ReadonlySet<CellState> = new Set(['failed', 'noMapping', 'noClaim']);

/** One row per cluster of the MCM's fleet summary (the clusters it selects). */
export const buildFleetRows = (
  mcm: ManagedClusterModule,
  facts: readonly FleetClusterFacts[],
): FleetRow[] => {
  const index = indexMcm(mcm);
  return facts
    .map((cluster) => {
      const status = clusterModuleStatus(index, cluster);
      const available = cluster.available;
      return {
        ...status,
        available,
        problem:
          available !== 'True' ||
          PROBLEM_STATES.has(status.state) ||
          !!status.skipped ||
          !!status.work?.degraded,
      };
    })
    .sort((a, b) => compareStrings(a.cluster, b.cluster));
};

export const summarizeFleet = (rows: readonly FleetRow[]): FleetSummary => ({
  selected: rows.length,
  withManifestWork: rows.filter((r) => r.work).length,
  applied: rows.filter((r) => r.work?.appliedCurrent).length,
  loaded: rows.filter((r) => r.state === 'loaded').length,
  degraded: rows.filter((r) => r.work?.degraded).length,
  skipped: rows.filter((r) => r.skipped).length,
  problems: rows.filter((r) => r.problem).length,
});

export type FleetFilter = { problemsOnly: boolean; kernel: string | undefined };

export const filterFleetRows = (rows: readonly FleetRow[], filter: FleetFilter): FleetRow[] =>
  rows.filter(
    (r) =>
      (!filter.problemsOnly || r.problem) &&
      (!filter.kernel || !!r.kernels?.some((k) => k.kernel === filter.kernel)),
  );

/** Every kernel the selected clusters run, for the kernel filter. */
export const fleetKernels = (rows: readonly FleetRow[]): string[] =>
  [...new Set(rows.flatMap((r) => r.kernels?.map((k) => k.kernel) ?? []))].sort(compareStrings);
