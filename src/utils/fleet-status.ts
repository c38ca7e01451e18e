// Where one MCM stands on one cluster, kernel by kernel: the view both the fleet status tab and the kernel
// matrix are drawn from. Every rule (kernels of a cluster, selection, kernel mapping, the state of a
// ManifestWork) comes from the model; this module only joins its answers with what the API reports
// (status.images, the ManifestWork that was actually written) and classifies the result for display.
import { findCondition, lastTransition } from './conditions';
import {
  CLUSTER_AVAILABLE_CONDITION,
  type ImageState,
  type ImageStatus,
  type ManagedCluster,
  type ManagedClusterModule,
  type ManifestWork,
  KernelMapper,
  type KernelResolution,
  kernelVersionsOf,
  MCM_NAME_LABEL,
  selectorMatches,
  validateManagedClusterModule,
  type ValidationProblem,
  workMappingsOf,
  workState,
  type WorkState,
} from './model';

/** What a person should see for one (MCM, cluster, kernel); in order of increasing urgency below. */
export type CellState =
  'loaded' | 'applied' | 'pending' | 'waiting' | 'noMapping' | 'noClaim' | 'failed';

/** Worst first: a cell or row shows the most urgent state among its parts. */
export const CELL_STATE_URGENCY: readonly CellState[] = [
  'failed',
  'noMapping',
  'noClaim',
  'waiting',
  'pending',
  'applied',
  'loaded',
];

export const worstState = (states: Iterable<CellState>): CellState | undefined => {
  let worst: CellState | undefined;
  for (const s of states) {
    if (worst === undefined || CELL_STATE_URGENCY.indexOf(s) < CELL_STATE_URGENCY.indexOf(worst)) {
      worst = s;
    }
  }
  return worst;
};

export type KernelStatus = {
  kernel: string;
  resolution: KernelResolution;
  /** the controller's word on the mapping's image (status.images), when it has reported one */
  imageState?: ImageState;
  imageMessage?: string;
  /** the ManifestWork that was written carries a literal mapping for this kernel */
  sent: boolean;
  state: CellState;
};

export type ClusterModuleStatus = {
  mcm: string;
  cluster: string;
  /** undefined: the cluster has no kernel-versions claim */
  kernels: KernelStatus[] | undefined;
  work?: WorkState;
  workUpdated?: string;
  /** selected but given no ManifestWork, and why */
  skipped?: 'NoKernelClaim' | 'NoKernelMapping';
  state: CellState;
};

/** The lookups one MCM needs, built once per data change and reused for every cluster. */
export type McmIndex = {
  mcm: ManagedClusterModule;
  name: string;
  /** the model's validation problems; the model only resolves kernels of a valid MCM */
  problems: ValidationProblem[];
  /** resolves (and caches) each distinct kernel once for the whole fleet; undefined when invalid */
  mapper: KernelMapper | undefined;
  imagesByKernel: Map<string, ImageStatus>;
  worksByCluster: Map<string, ManifestWork>;
};

export const indexMcm = (mcm: ManagedClusterModule, works: readonly ManifestWork[]): McmIndex => {
  const name = mcm.metadata.name ?? '';
  const imagesByKernel = new Map<string, ImageStatus>();
  for (const image of mcm.status?.images ?? []) {
    for (const kernel of image.kernelVersions ?? []) imagesByKernel.set(kernel, image);
  }
  const worksByCluster = new Map<string, ManifestWork>();
  for (const work of works) {
    if (work.metadata.labels?.[MCM_NAME_LABEL] === name && work.metadata.namespace) {
      worksByCluster.set(work.metadata.namespace, work);
    }
  }
  const problems = validateManagedClusterModule(mcm);
  const mapper = problems.length === 0 ? new KernelMapper(mcm) : undefined;
  return { mcm, name, problems, mapper, imagesByKernel, worksByCluster };
};

const resolve = (index: McmIndex, kernel: string): KernelResolution => {
  if (index.mapper) return index.mapper.resolve(kernel);
  const first = index.problems[0];
  return {
    kind: 'error',
    mappingIndex: -1,
    error: `invalid ManagedClusterModule: ${first?.field}: ${first?.message}`,
  };
};

/**
 * What the written ManifestWork says about the module on the cluster: degraded (the model's definition),
 * loaded on every node the feedback counts (at least one), or applied and still loading.
 */
const workCellState = (work: WorkState, section: 'moduleLoader' | 'devicePlugin'): CellState => {
  if (work.degraded) return 'failed';
  const counters = work.feedback[section];
  const everyNode =
    !!counters && counters.desiredNumber > 0 && counters.availableNumber >= counters.desiredNumber;
  return work.available === 'True' && everyNode ? 'loaded' : 'applied';
};

const kernelState = (
  resolution: KernelResolution,
  imageState: ImageState | undefined,
  sent: boolean,
  work: WorkState | undefined,
): CellState => {
  if (resolution.kind === 'unmapped') return 'noMapping';
  if (resolution.kind === 'error') return 'failed';
  if (sent && work) return workCellState(work, 'moduleLoader');
  if (imageState === 'Failed' || imageState === 'Missing') return 'failed';
  if (imageState === 'Waiting' || imageState === 'Building' || imageState === 'Signing') {
    return 'waiting';
  }
  // The image is ready (or not reported yet) but the ManifestWork does not carry the kernel yet.
  return 'pending';
};

export const isClusterAvailable = (cluster: ManagedCluster): 'True' | 'False' | 'Unknown' =>
  findCondition(cluster.status?.conditions, CLUSTER_AVAILABLE_CONDITION)?.status ?? 'Unknown';

export const selects = (index: McmIndex, cluster: ManagedCluster): boolean =>
  selectorMatches(index.mcm.spec?.selector, cluster.metadata.labels);

/** Where a selected cluster stands for one MCM. */
export const clusterModuleStatus = (
  index: McmIndex,
  cluster: ManagedCluster,
  kernels: string[] | undefined = kernelVersionsOf(cluster),
): ClusterModuleStatus => {
  const clusterName = cluster.metadata.name ?? '';
  const work = index.worksByCluster.get(clusterName);
  const current = work ? workState(work) : undefined;
  const base = {
    mcm: index.name,
    cluster: clusterName,
    work: current,
    workUpdated: lastTransition(work?.status?.conditions),
  };
  // A device-plugin-only MCM needs no kernel data: its Module goes to every selected cluster.
  if (!index.mcm.spec?.moduleSpec?.moduleLoader) {
    return {
      ...base,
      kernels: [],
      state: current ? workCellState(current, 'devicePlugin') : 'pending',
    };
  }
  if (!kernels) return { ...base, kernels: undefined, skipped: 'NoKernelClaim', state: 'noClaim' };
  const sent = work ? workMappingsOf(work) : new Map<string, unknown>();
  const statuses = kernels.map((kernel): KernelStatus => {
    const resolution = resolve(index, kernel);
    const image = index.imagesByKernel.get(kernel);
    const isSent = sent.has(kernel);
    return {
      kernel,
      resolution,
      imageState: image?.state,
      imageMessage: image?.message,
      sent: isSent,
      state: kernelState(resolution, image?.state, isSent, current),
    };
  });
  const skipped = statuses.every((k) => k.resolution.kind === 'unmapped')
    ? ('NoKernelMapping' as const)
    : undefined;
  return {
    ...base,
    kernels: statuses,
    skipped,
    state: worstState(statuses.map((k) => k.state)) ?? 'noMapping',
  };
};
