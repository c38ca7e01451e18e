// The kernel matrix (clusters x kernel versions) as data. `buildKernelMatrix` does the expensive part once per
// change of the watched objects: each MCM's fleet summary is decoded once and every cluster's status computed
// once per MCM that selects it (each distinct kernel resolved once); MCMs whose MCM and summary did not change
// are reused. `viewKernelMatrix` then applies the page's choices (MCM, label, state) in one linear pass.
import {
  type CellState,
  type ClusterModuleStatus,
  clusterModuleStatus,
  indexMcm,
  type KernelStatus,
  type McmIndex,
  worstState,
} from '../../utils/fleet-status';
import {
  compareStrings,
  decodeFleetSummary,
  type ManagedClusterModule,
  type ManagedClusterModuleFleetSummary,
} from '../../utils/model';

export type MatrixCluster = {
  name: string;
  labels: Record<string, string>;
  /** undefined: the cluster has no kernel-versions claim */
  kernels: string[] | undefined;
  /** one entry per MCM that selects the cluster */
  statuses: ClusterModuleStatus[];
};

/** One MCM's part of the matrix, reusable while its MCM and summary keep their resourceVersions. */
type McmPart = {
  /** the inputs' identities (resourceVersions); undefined when some object has none (never reused) */
  key: string | undefined;
  index: McmIndex;
  statuses: Map<string, ClusterModuleStatus>;
  /** the clusters the MCM selects, as its summary describes them */
  clusters: Map<string, { labels: Record<string, string>; kernels: string[] | undefined }>;
};

export type KernelMatrix = {
  mcms: string[];
  clusters: MatrixCluster[];
  /** per MCM, for the next build to reuse what did not change */
  parts: ReadonlyMap<string, McmPart>;
};

const versionOf = (o: { metadata?: { resourceVersion?: string } } | undefined) =>
  o?.metadata?.resourceVersion;

/**
 * Derives the matrix from the MCMs and their fleet summaries: its rows are the clusters some MCM selects. With
 * `previous` (the last result), an MCM whose object and summary still have the same resourceVersions keeps its
 * cluster statuses: a change to one MCM's summary recomputes that MCM only.
 */
export const buildKernelMatrix = (
  mcms: readonly ManagedClusterModule[],
  summaries: readonly ManagedClusterModuleFleetSummary[],
  previous?: KernelMatrix,
): KernelMatrix => {
  const summaryOf = new Map(summaries.map((s) => [s.metadata.name ?? '', s]));
  const parts = new Map<string, McmPart>();
  const sorted = [...mcms].sort((a, b) =>
    compareStrings(a.metadata.name ?? '', b.metadata.name ?? ''),
  );
  for (const mcm of sorted) {
    const name = mcm.metadata.name ?? '';
    const summary = summaryOf.get(name);
    const mcmVersion = versionOf(mcm);
    // No summary yet is a state of its own (a new MCM), reusable like any other.
    const summaryVersion = summary ? versionOf(summary) : '-';
    const key =
      mcmVersion !== undefined && summaryVersion !== undefined
        ? `${mcmVersion}|${summaryVersion}`
        : undefined;
    const old = previous?.parts.get(name);
    if (key !== undefined && old?.key === key) {
      parts.set(name, old);
      continue;
    }
    const index = indexMcm(mcm);
    const statuses = new Map<string, ClusterModuleStatus>();
    const clusters: McmPart['clusters'] = new Map();
    for (const facts of summary?.fleet ? decodeFleetSummary(summary.fleet) : []) {
      statuses.set(facts.cluster, clusterModuleStatus(index, facts));
      clusters.set(facts.cluster, { labels: facts.labels, kernels: facts.kernels });
    }
    parts.set(name, { key, index, statuses, clusters });
  }
  const rows = new Map<string, MatrixCluster>();
  for (const part of parts.values()) {
    for (const [name, cluster] of part.clusters) {
      let row = rows.get(name);
      if (!row) {
        row = { name, labels: cluster.labels, kernels: cluster.kernels, statuses: [] };
        rows.set(name, row);
      }
      const status = part.statuses.get(name);
      if (status) row.statuses.push(status);
    }
  }
  const clusters = [...rows.values()].sort((a, b) => compareStrings(a.name, b.name));
  return { mcms: [...parts.keys()], clusters, parts };
};

/** What a matrix is derived from: the watched lists, as the watch hooks return them. */
export type MatrixInputs = {
  mcms: readonly ManagedClusterModule[];
  summaries: readonly ManagedClusterModuleFleetSummary[];
};

/** A matrix with the inputs it was built from, so that the next build knows what it can reuse. */
export type BuiltMatrix = { inputs: MatrixInputs; matrix: KernelMatrix };

// The watch hooks return the same arrays until a watched object changes, so identity is enough to tell that
// nothing did; two empty lists are equal whatever their identity, as a missing list is often a fresh `[]`.
const sameList = (a: readonly unknown[], b: readonly unknown[]) =>
  a === b || (a.length === 0 && b.length === 0);

/**
 * The matrix for `inputs`, given the last one built: `built` itself when the inputs are the same lists,
 * otherwise a new build that reuses every MCM part of `built` whose MCM and summary kept their resourceVersions.
 * Pure, so React may call it as often as it renders, and from a render it then discards.
 */
export const nextKernelMatrix = (
  built: BuiltMatrix | undefined,
  inputs: MatrixInputs,
): BuiltMatrix => {
  if (
    built &&
    sameList(built.inputs.mcms, inputs.mcms) &&
    sameList(built.inputs.summaries, inputs.summaries)
  ) {
    return built;
  }
  return {
    inputs,
    matrix: buildKernelMatrix(inputs.mcms, inputs.summaries, built?.matrix),
  };
};

export type MatrixCellDetail = { mcm: string; state: CellState; kernel?: KernelStatus };

export type MatrixCell = { state: CellState; details: MatrixCellDetail[] };

export type MatrixRow = {
  cluster: string;
  noClaim: boolean;
  /** the kernels the cluster runs (empty without a claim), whether or not a chosen MCM selects it */
  kernels: readonly string[];
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
  return {
    cluster: cluster.name,
    noClaim: !cluster.kernels,
    kernels: cluster.kernels ?? [],
    cells,
    selectedBy: statuses.length,
  };
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
