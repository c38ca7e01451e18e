import {
  decideConditions,
  withTransitionTimes,
  type ClusterNote,
  type StatusFacts,
} from './conditions';
import { imagesVerifiedCondition } from './image-condition';
import { jsonEqual } from './json';
import type { McmCoverage } from './plan';
import { clusterAvailability } from './triggers';
import type {
  ImageStateInfo,
  ImageStatus,
  ManagedCluster,
  ManagedClusterModule,
  ManagedClusterModuleStatus,
  ManifestWork,
} from './types';
import { mcmCounters, workState, type WorkState } from './workstatus';

// The status kmm-hub writes on an MCM: counters, conditions and images, from its plan and its ManifestWorks.

/** What the plan and the ManifestWorks say about the MCM's rollout, for its conditions. */
export function statusFacts(
  mcm: ManagedClusterModule,
  plan: McmCoverage,
  works: readonly ManifestWork[],
  clusterByName: (name: string) => ManagedCluster | undefined,
  /** workState, or a cache of it (the controller reads thousands of unchanged works each time) */
  stateOf: (work: ManifestWork) => WorkState = workState,
): StatusFacts {
  const counters = mcmCounters(plan, works, stateOf);
  const eligible = new Set(plan.eligibleClusters);
  const desiredWorks = new Set(plan.works.map((w) => w.cluster));
  const workByCluster = new Map<string, ManifestWork>();
  for (const w of works)
    if (w.metadata.name === plan.mcm) workByCluster.set(w.metadata.namespace ?? '', w);

  // Over the same works as mcmCounters, so that degraded.length is its numberDegraded.
  const degraded: ClusterNote[] = [];
  const pending: string[] = [];
  for (const cluster of eligible) {
    const work = workByCluster.get(cluster);
    if (!work) {
      if (desiredWorks.has(cluster)) pending.push(cluster);
      continue;
    }
    const s = stateOf(work);
    if (s.degraded) degraded.push({ cluster, detail: s.degradedReasons.join('; ') });
    else if (!s.appliedCurrent || s.available !== 'True') pending.push(cluster);
  }

  // The image each (cluster, kernel) waits for, from the plan's image list rather than its skip wording.
  const imageOf = new Map<string, string>();
  for (const img of plan.images) {
    if (img.state === 'Ready') continue;
    for (const kernel of img.kernelVersions) imageOf.set(kernel, `${img.image} (${img.state})`);
  }
  const waiting = new Map<string, string[]>();
  const claimless: string[] = [];
  const unmapped = new Map<string, string[]>();
  for (const s of plan.skipped) {
    if (s.code === 'ImageNotReady') {
      if (!waiting.has(s.cluster)) waiting.set(s.cluster, []);
      waiting.get(s.cluster)!.push(imageOf.get(s.kernelVersion ?? '') ?? s.reason);
    } else if (s.code === 'NoKernelClaim' && !eligible.has(s.cluster)) {
      claimless.push(s.cluster);
    } else if (
      (s.code === 'NoKernelMapping' || s.code === 'KernelNotMappable') &&
      !eligible.has(s.cluster)
    ) {
      if (!unmapped.has(s.cluster)) unmapped.set(s.cluster, []);
      unmapped.get(s.cluster)!.push(s.kernelVersion ?? '');
    }
  }
  const offline = plan.selectedClusters.filter((name) => {
    const c = clusterByName(name);
    return !c || clusterAvailability(c) !== 'True';
  });

  return {
    generation: mcm.metadata.generation ?? 0,
    problems: [],
    selected: plan.selectedClusters.length,
    desired: counters.numberDesired,
    applied: counters.numberApplied,
    degraded,
    waitingForImages: [...waiting].map(([cluster, images]) => ({
      cluster,
      detail: [...new Set(images)].join(', '),
    })),
    pending,
    noKernelClaim: claimless,
    noMapping: [...unmapped].map(([cluster, kernels]) => ({ cluster, detail: kernels.join(', ') })),
    offline,
  };
}

/** status.images: one entry per distinct image, with its state and why; transition times kept when unchanged. */
export function imageStatuses(
  plan: McmCoverage,
  answer: (image: string) => ImageStateInfo | undefined,
  previous: readonly ImageStatus[] | undefined,
  now: string,
): ImageStatus[] {
  return plan.images.map((img) => {
    const a = answer(img.image);
    const out: ImageStatus = {
      image: img.image,
      kernelVersions: img.kernelVersions,
      clusters: img.clusters.length,
      state: img.state,
      build: img.build,
      sign: img.sign,
    };
    if (img.digest) out.digest = img.digest;
    const reason = a?.reason ?? (a ? undefined : 'NoAnswerYet');
    const message =
      a?.message ?? (a ? undefined : 'the image state is not known yet; what was rolled out stays');
    if (reason) out.reason = reason;
    if (message) out.message = message;
    const before = previous?.find((p) => p.image === img.image);
    out.lastTransitionTime =
      before && before.state === img.state && before.lastTransitionTime
        ? before.lastTransitionTime
        : now;
    return out;
  });
}

/** The whole status of a valid MCM, from its facts (whose counts are the model's mcmCounters). */
export function rolloutStatus(
  mcm: ManagedClusterModule,
  facts: StatusFacts,
  images: ImageStatus[],
  now: string,
): ManagedClusterModuleStatus {
  const verified = imagesVerifiedCondition(images, facts.generation);
  const conditions = decideConditions(facts);
  if (verified) conditions.push(verified);
  return {
    numberDesired: facts.desired,
    numberApplied: facts.applied,
    numberDegraded: facts.degraded.length,
    observedGeneration: mcm.metadata.generation ?? 0,
    conditions: withTransitionTimes(mcm.status?.conditions, conditions, now),
    images,
  };
}

/**
 * The status of an invalid MCM: the conditions say why; the counters and images stay as last reported since
 * its ManifestWorks are left as they were.
 */
export function invalidStatus(
  mcm: ManagedClusterModule,
  problems: { field: string; message: string }[],
  now: string,
): ManagedClusterModuleStatus {
  const facts: StatusFacts = {
    generation: mcm.metadata.generation ?? 0,
    problems,
    selected: 0,
    desired: 0,
    applied: 0,
    degraded: [],
    waitingForImages: [],
    pending: [],
    noKernelClaim: [],
    noMapping: [],
    offline: [],
  };
  const out: ManagedClusterModuleStatus = { ...mcm.status };
  out.observedGeneration = facts.generation;
  out.conditions = withTransitionTimes(mcm.status?.conditions, decideConditions(facts), now);
  return out;
}

/** Whether writing `next` would change anything (the zero-writes-at-steady-state check). */
export function statusUnchanged(
  current: ManagedClusterModuleStatus | undefined,
  next: ManagedClusterModuleStatus,
): boolean {
  // jsonEqual: a field set to undefined (never sent) equals a missing one
  return jsonEqual(current ?? {}, next);
}
