// Where one MCM stands on one cluster, kernel by kernel: the view both the fleet status tab and the kernel
// matrix are drawn from. The facts about each cluster (kernels, availability, the ManifestWork's state, the
// plan's skips) come from the MCM's fleet summary, which the controller computes with the model; the kernel
// mapping (each kernel's image) and validation come from the model applied to the MCM itself, and the image
// states from its status.images. This module only joins those answers for display.
import {
  type FleetClusterFacts,
  type ImageState,
  type ImageStatus,
  KernelMapper,
  type KernelResolution,
  type ManagedClusterModule,
  type PlanError,
  planCoverage,
  type SkipCode,
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
  skip?: SkipNote;
  state: CellState;
};

export type SkipNote = FleetClusterFacts['skips'][number];

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

/** One MCM's validation and lookups, built once per change of the MCM and reused for every cluster. */
export type McmIndex = {
  mcm: ManagedClusterModule;
  name: string;
  /** the model's validation problems (planning over no cluster validates the MCM alone) */
  errors: PlanError[];
  /** resolves (and caches) each distinct kernel once; undefined when the MCM is invalid */
  mapper: KernelMapper | undefined;
  imagesByName: ReadonlyMap<string, ImageStatus>;
};

export const indexMcm = (mcm: ManagedClusterModule): McmIndex => {
  const errors = planCoverage(mcm, []).errors;
  return {
    mcm,
    name: mcm.metadata.name ?? '',
    errors,
    mapper: errors.length === 0 ? new KernelMapper(mcm) : undefined,
    imagesByName: new Map((mcm.status?.images ?? []).map((i) => [i.image, i])),
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

const invalid = (index: McmIndex): KernelOutcome => ({
  kind: 'invalid',
  problem: index.errors[0] as PlanError,
});

/** Where a selected cluster stands for one MCM, from its row of the MCM's fleet summary. */
export const clusterModuleStatus = (
  index: McmIndex,
  facts: FleetClusterFacts,
): ClusterModuleStatus => {
  const name = facts.cluster;
  const kernels = facts.kernels;
  const work = facts.work;
  const current: WorkState | undefined = work;
  const base = {
    mcm: index.name,
    cluster: name,
    work: current,
    workUpdated: work?.updated,
  };
  // A device-plugin-only MCM needs no kernel data: its Module goes to every selected cluster with KMM (a
  // kernel claim); the plan skips the others.
  if (index.mapper && !index.mcm.spec.moduleSpec.moduleLoader) {
    const skip = facts.skips[0];
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
  const skips = facts.skips;
  const clusterSkip = skips.find((s) => s.kernelVersion === undefined);
  const sent: ReadonlySet<string> = work?.sent ?? new Set<string>();
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
  const firstSkip = clusterSkip ?? (facts.eligible ? undefined : skips[0]);
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
