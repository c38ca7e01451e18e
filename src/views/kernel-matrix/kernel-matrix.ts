// The kernel matrix (clusters x kernel versions) as data. `buildKernelMatrix` does the expensive part once per
// change of the watched objects: every MCM is indexed once, each distinct kernel is resolved once per MCM,
// and every cluster's status is computed once per MCM that selects it. `viewKernelMatrix` then applies the
// page's choices (MCM, label, state) in one linear pass, without touching the model again.
import {
  type CellState,
  type ClusterModuleStatus,
  clusterModuleStatus,
  indexMcm,
  type KernelStatus,
  selects,
  worstState,
} from '../../utils/fleet-status';
import {
  compareStrings,
  kernelVersionsOf,
  type ManagedCluster,
  type ManagedClusterModule,
  type ManifestWork,
  MCM_NAME_LABEL,
} from '../../utils/model';

export type MatrixCluster = {
  name: string;
  labels: Record<string, string>;
  /** undefined: the cluster has no kernel-versions claim */
  kernels: string[] | undefined;
  /** one entry per MCM that selects the cluster */
  statuses: ClusterModuleStatus[];
};

export type KernelMatrix = {
  mcms: string[];
  clusters: MatrixCluster[];
};

export const buildKernelMatrix = (
  mcms: readonly ManagedClusterModule[],
  clusters: readonly ManagedCluster[],
  works: readonly ManifestWork[],
): KernelMatrix => {
  const worksByMcm = new Map<string, ManifestWork[]>();
  for (const work of works) {
    const key = work.metadata.labels?.[MCM_NAME_LABEL];
    if (!key) continue;
    const list = worksByMcm.get(key) ?? [];
    list.push(work);
    worksByMcm.set(key, list);
  }
  const indexes = [...mcms]
    .sort((a, b) => compareStrings(a.metadata.name ?? '', b.metadata.name ?? ''))
    .map((mcm) => indexMcm(mcm, clusters, worksByMcm.get(mcm.metadata.name ?? '') ?? []));
  const rows = clusters
    .filter((c) => c.metadata.name)
    .map((cluster): MatrixCluster => {
      const kernels = kernelVersionsOf(cluster);
      return {
        name: cluster.metadata.name ?? '',
        labels: cluster.metadata.labels ?? {},
        kernels,
        statuses: indexes
          .filter((index) => selects(index, cluster))
          .map((index) => clusterModuleStatus(index, cluster, kernels)),
      };
    })
    .sort((a, b) => compareStrings(a.name, b.name));
  return { mcms: indexes.map((i) => i.name), clusters: rows };
};

export type MatrixCellDetail = { mcm: string; state: CellState; kernel?: KernelStatus };

export type MatrixCell = { state: CellState; details: MatrixCellDetail[] };

export type MatrixRow = {
  cluster: string;
  noClaim: boolean;
  /** kernel -> cell, for the kernels the cluster runs; empty when no chosen MCM selects the cluster */
  cells: Map<string, MatrixCell>;
  /** how many chosen MCMs select the cluster */
  selectedBy: number;
};

export type KernelSummary = {
  kernel: string;
  /** rows of the view that run this kernel */
  clusters: number;
  /** of those, rows where every chosen MCM that selects them has a mapping for the kernel */
  covered: number;
  /** of those, rows where the module is loaded for every chosen MCM */
  loaded: number;
};

export type MatrixView = {
  kernels: string[];
  rows: MatrixRow[];
  summary: KernelSummary[];
};

export type MatrixFilter = {
  /** one MCM by name, or every MCM when undefined */
  mcm?: string;
  /** `key=value` (equality) or `key` (present) over the cluster's labels */
  label?: string;
  /** only rows with at least one cell in this state */
  state?: CellState;
};

const labelMatcher = (filter: string | undefined) => {
  const text = filter?.trim();
  if (!text) return () => true;
  const eq = text.indexOf('=');
  if (eq < 0) return (labels: Record<string, string>) => text in labels;
  const key = text.slice(0, eq).trim();
  const value = text.slice(eq + 1).trim();
  return (labels: Record<string, string>) => labels[key] === value;
};

const rowOf = (cluster: MatrixCluster, mcm: string | undefined): MatrixRow | undefined => {
  const statuses = mcm ? cluster.statuses.filter((s) => s.mcm === mcm) : cluster.statuses;
  // With one MCM chosen, the matrix shows the clusters it selects; with all MCMs, the whole fleet.
  if (mcm && statuses.length === 0) return undefined;
  const cells = new Map<string, MatrixCell>();
  if (cluster.kernels && statuses.length > 0) {
    for (const kernel of cluster.kernels) {
      const details = statuses.map((s): MatrixCellDetail => {
        const k = s.kernels?.find((ks) => ks.kernel === kernel);
        // A device-plugin-only MCM has no per-kernel entries: its cluster-wide state applies.
        return { mcm: s.mcm, state: k?.state ?? s.state, kernel: k };
      });
      cells.set(kernel, {
        state: worstState(details.map((d) => d.state)) ?? 'noMapping',
        details,
      });
    }
  }
  return { cluster: cluster.name, noClaim: !cluster.kernels, cells, selectedBy: statuses.length };
};

const rowHasState = (row: MatrixRow, state: CellState): boolean => {
  if (state === 'noClaim') return row.noClaim && row.selectedBy > 0;
  for (const cell of row.cells.values()) if (cell.state === state) return true;
  return false;
};

export const viewKernelMatrix = (matrix: KernelMatrix, filter: MatrixFilter): MatrixView => {
  const matchesLabel = labelMatcher(filter.label);
  const rows: MatrixRow[] = [];
  const summaries = new Map<string, KernelSummary>();
  for (const cluster of matrix.clusters) {
    if (!matchesLabel(cluster.labels)) continue;
    const row = rowOf(cluster, filter.mcm);
    if (!row || (filter.state && !rowHasState(row, filter.state))) continue;
    rows.push(row);
    for (const kernel of cluster.kernels ?? []) {
      let summary = summaries.get(kernel);
      if (!summary) {
        summary = { kernel, clusters: 0, covered: 0, loaded: 0 };
        summaries.set(kernel, summary);
      }
      summary.clusters++;
      const cell = row.cells.get(kernel);
      if (cell && cell.details.every((d) => d.state !== 'noMapping')) summary.covered++;
      if (cell && cell.details.every((d) => d.state === 'loaded')) summary.loaded++;
    }
  }
  const kernels = [...summaries.keys()].sort(compareStrings);
  return {
    kernels,
    rows,
    summary: kernels.map((k) => summaries.get(k) as KernelSummary),
  };
};
