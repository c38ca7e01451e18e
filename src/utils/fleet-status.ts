// Where one MCM stands on one cluster, kernel by kernel: the view both the fleet status tab and the kernel
// matrix are drawn from. Every decision comes from the model: its plan for the MCM (which clusters are
// selected and eligible, what is skipped and why, given the image states the controller reported), its kernel
// mapping (each kernel's image), and its reading of a ManifestWork's state. This module only joins those
// answers with what the API reports (status.images, the ManifestWork actually written) for display.
import { lastTransition } from './conditions';
import {
  type ImageState,
  type ImageStateLookup,
  type ImageStatus,
  isWorkOf,
  KernelMapper,
  type KernelResolution,
  kernelVersionsOf,
  type ManagedCluster,
  type ManagedClusterModule,
  type ManifestWork,
  type McmCoverage,
  type PlanError,
  planCoverage,
  selectClusters,
  type SkipCode,
  type Skipped,
  workMappingsOf,
  workState,
  type WorkState,
} from './model';

/** What a person should see for one (MCM, cluster, kernel). */
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

/**
 * How one kernel resolves: the model's kernel mapping answer, or, when the model rejects the MCM (it then plans
 * nothing for it), the first of its validation problems.
 */
export type KernelOutcome = KernelResolution | { kind: 'invalid'; problem: PlanError };

export type KernelStatus = {
  kernel: string;
  resolution: KernelOutcome;
  /** the controller's word on the mapping's image (status.images), when it has reported one */
  imageState?: ImageState;
  imageMessage?: string;
  /** the ManifestWork that was written carries a literal mapping for this kernel */
  sent: boolean;
  /** the plan skips this kernel, and why */
  skip?: Skipped;
  state: CellState;
};

export type ClusterModuleStatus = {
  mcm: string;
  cluster: string;
  /** undefined: the cluster has no kernel-versions claim */
  kernels: KernelStatus[] | undefined;
  work?: WorkState;
  workUpdated?: string;
  /** selected but not eligible for a ManifestWork: the plan's reason (for the cluster, or its first kernel) */
  skipped?: { code: SkipCode; reason: string };
  state: CellState;
};

/** One MCM's plan and lookups, built once per data change and reused for every cluster. */
export type McmIndex = {
  mcm: ManagedClusterModule;
  name: string;
  plan: McmCoverage;
  selected: ReadonlySet<string>;
  eligible: ReadonlySet<string>;
  /** the plan's skipped entries by cluster */
  skips: ReadonlyMap<string, Skipped[]>;
  /** resolves (and caches) each distinct kernel once; undefined when the MCM is invalid */
  mapper: KernelMapper | undefined;
  imagesByName: ReadonlyMap<string, ImageStatus>;
  worksByCluster: ReadonlyMap<string, ManifestWork>;
};

/**
 * The image states as the controller reported them in status.images; an image it has not reported is
 * Unknown to the plan, as it would be to the controller after a registry error.
 */
const reportedImageStates =
  (images: ReadonlyMap<string, ImageStatus>): ImageStateLookup =>
  (_mcm, image) => {
    const s = images.get(image);
    return s ? { state: s.state, ...(s.digest ? { digest: s.digest } : {}) } : undefined;
  };

export const indexMcm = (
  mcm: ManagedClusterModule,
  clusters: readonly ManagedCluster[],
  works: readonly ManifestWork[],
): McmIndex => {
  const name = mcm.metadata.name ?? '';
  const imagesByName = new Map((mcm.status?.images ?? []).map((i) => [i.image, i]));
  const own = works.filter((w) => isWorkOf(w, name));
  const worksByCluster = new Map(own.map((w) => [w.metadata.namespace ?? '', w]));
  const plan = planCoverage(mcm, clusters, reportedImageStates(imagesByName), own);
  const skips = new Map<string, Skipped[]>();
  for (const s of plan.skipped) skips.set(s.cluster, [...(skips.get(s.cluster) ?? []), s]);
  return {
    mcm,
    name,
    plan,
    // The plan selects nothing for an invalid MCM; the tab still shows the clusters its selector picks.
    selected: new Set(
      plan.errors.length === 0
        ? plan.selectedClusters
        : selectClusters(mcm, clusters).map((c) => c.metadata.name ?? ''),
    ),
    eligible: new Set(plan.eligibleClusters),
    skips,
    mapper: plan.errors.length === 0 ? new KernelMapper(mcm) : undefined,
    imagesByName,
    worksByCluster,
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
  resolution: KernelOutcome,
  imageState: ImageState | undefined,
  sent: boolean,
  work: WorkState | undefined,
): CellState => {
  if (resolution.kind === 'unmapped') return 'noMapping';
  if (resolution.kind === 'error' || resolution.kind === 'invalid') return 'failed';
  if (sent && work) return workCellState(work, 'moduleLoader');
  if (imageState === 'Failed' || imageState === 'Missing') return 'failed';
  if (imageState === 'Waiting' || imageState === 'Building' || imageState === 'Signing') {
    return 'waiting';
  }
  // The image is ready (or not reported yet) but the written ManifestWork does not carry the kernel yet.
  return 'pending';
};

export const selects = (index: McmIndex, cluster: ManagedCluster): boolean =>
  index.selected.has(cluster.metadata.name ?? '');

const invalid = (index: McmIndex): KernelOutcome => ({
  kind: 'invalid',
  problem: index.plan.errors[0] as PlanError,
});

/** Where a selected cluster stands for one MCM. */
export const clusterModuleStatus = (
  index: McmIndex,
  cluster: ManagedCluster,
  kernels: string[] | undefined = kernelVersionsOf(cluster),
): ClusterModuleStatus => {
  const name = cluster.metadata.name ?? '';
  const work = index.worksByCluster.get(name);
  const current = work ? workState(work) : undefined;
  const base = {
    mcm: index.name,
    cluster: name,
    work: current,
    workUpdated: lastTransition(work?.status?.conditions),
  };
  // A device-plugin-only MCM needs no kernel data: its Module goes to every selected cluster with KMM (a
  // kernel claim); the plan skips the others.
  if (index.mapper && !index.mcm.spec.moduleSpec.moduleLoader) {
    const skip = index.skips.get(name)?.[0];
    if (skip && !work) {
      return {
        ...base,
        kernels: undefined,
        skipped: { code: skip.code, reason: skip.reason },
        state: 'noClaim',
      };
    }
    return {
      ...base,
      kernels: [],
      state: current ? workCellState(current, 'devicePlugin') : 'pending',
    };
  }
  const skips = index.skips.get(name) ?? [];
  const clusterSkip = skips.find((s) => s.kernelVersion === undefined);
  const sent = work ? workMappingsOf(work) : new Map<string, unknown>();
  const statuses = kernels?.map((kernel): KernelStatus => {
    const resolution = index.mapper ? index.mapper.resolve(kernel) : invalid(index);
    const image =
      resolution.kind === 'mapped' ? index.imagesByName.get(resolution.mapping.image) : undefined;
    const isSent = sent.has(kernel);
    const skip = skips.find((s) => s.kernelVersion === kernel);
    return {
      kernel,
      resolution,
      imageState: image?.state,
      imageMessage: image?.message,
      sent: isSent,
      ...(skip ? { skip } : {}),
      state: kernelState(resolution, image?.state, isSent, current),
    };
  });
  const firstSkip = clusterSkip ?? (index.eligible.has(name) ? undefined : skips[0]);
  const skipped = firstSkip ? { code: firstSkip.code, reason: firstSkip.reason } : undefined;
  if (!statuses?.length) {
    return { ...base, kernels: statuses, skipped, state: index.mapper ? 'noClaim' : 'failed' };
  }
  return {
    ...base,
    kernels: statuses,
    skipped,
    state: worstState(statuses.map((k) => k.state)) ?? 'noMapping',
  };
};

/** Clusters whose ManifestWork reports the same problem: one line of the fleet status tab per cause. */
export type FailureCauseGroup = { cause: string; clusters: string[] };

/**
 * The degraded clusters grouped by cause, largest group first (then by cause), as the controller's Degraded
 * condition groups them: the cause is the model's explanation of what the spoke reported (a namespace that
 * does not exist, no Module kind, the KMM webhook's refusal), so one fleet-wide mistake reads as one line.
 * A cluster with several causes is in each of their groups.
 */
export const groupFailureCauses = (
  statuses: readonly ClusterModuleStatus[],
): FailureCauseGroup[] => {
  const groups = new Map<string, string[]>();
  for (const s of statuses) {
    if (!s.work?.degraded) continue;
    for (const cause of new Set(s.work.degradedReasons)) {
      const clusters = groups.get(cause);
      if (clusters) clusters.push(s.cluster);
      else groups.set(cause, [s.cluster]);
    }
  }
  return [...groups]
    .map(([cause, clusters]) => ({ cause, clusters: [...clusters].sort() }))
    .sort(
      (a, b) =>
        b.clusters.length - a.clusters.length ||
        (a.cause < b.cause ? -1 : a.cause > b.cause ? 1 : 0),
    );
};
