import type { Condition } from './types';
import { count, nameList } from './summary';

/** A cluster named in a condition message, with what is special about it. */
export interface ClusterNote {
  cluster: string;
  detail?: string;
}

/** What a reconcile found out about an MCM, from which its conditions follow. */
export interface StatusFacts {
  generation: number;
  /** validation problems; non-empty = invalid spec, nothing else is considered */
  problems: { field: string; message: string }[];
  /** clusters spec.selector matches */
  selected: number;
  /** selected clusters that are eligible (a kernel with a mapping, or KMM for a device-plugin-only MCM) */
  desired: number;
  /** eligible clusters whose ManifestWork reports Applied=True */
  applied: number;
  /** eligible clusters whose ManifestWork is degraded, with why */
  degraded: ClusterNote[];
  /** eligible clusters without a (complete) ManifestWork because their images are not Ready, with the image state */
  waitingForImages: ClusterNote[];
  /** eligible clusters whose ManifestWork is not yet Applied and Available (and not degraded) */
  pending: string[];
  /** selected clusters without the kernel-versions claim */
  noKernelClaim: string[];
  /** selected clusters none of whose kernels has a kernel mapping, with the kernels */
  noMapping: ClusterNote[];
  /** selected clusters whose ManagedClusterConditionAvailable is not True */
  offline: string[];
}

export const READY = 'Ready';
export const PROGRESSING = 'Progressing';
export const DEGRADED = 'Degraded';

/** Condition reasons the controller sets (also documented in controller/README.md). */
export const Reasons = {
  InvalidSpec: 'InvalidSpec',
  NoEligibleClusters: 'NoEligibleClusters',
  RollingOut: 'RollingOut',
  WaitingForImages: 'WaitingForImages',
  ManifestWorksDegraded: 'ManifestWorksDegraded',
  RolloutComplete: 'RolloutComplete',
  AsExpected: 'AsExpected',
} as const;

const notes = (list: readonly ClusterNote[], max = 3): string => {
  const shown = list
    .slice(0, max)
    .map((n) => (n.detail ? `${n.cluster} (${n.detail})` : n.cluster));
  return list.length > max ? `${shown.join('; ')} and ${list.length - max} more` : shown.join('; ');
};

/**
 * Clusters grouped by what is wrong, the largest group first: "28 clusters: namespace kmm-e2e does not exist on
 * the spoke; create it, or use openshift-kmm (cluster-0001, cluster-0002, ... and 23 more)." One cause per
 * group, so a fleet-wide mistake reads as one sentence rather than the same one per cluster.
 */
export function byCause(list: readonly ClusterNote[], maxGroups = 4): string {
  const groups = new Map<string, string[]>();
  for (const n of list) {
    const cause = n.detail || 'no detail reported';
    const clusters = groups.get(cause);
    if (clusters) clusters.push(n.cluster);
    else groups.set(cause, [n.cluster]);
  }
  const sorted = [...groups].sort((a, b) => b[1].length - a[1].length);
  const shown = sorted
    .slice(0, maxGroups)
    .map(
      ([cause, clusters]) =>
        `${count(clusters.length, 'cluster')}: ${cause} (${nameList(clusters, 3)}).`,
    );
  if (sorted.length > maxGroups) {
    const rest = sorted.slice(maxGroups).reduce((n, [, c]) => n + c.length, 0);
    shown.push(
      `${count(rest, 'more cluster')} with ${count(sorted.length - maxGroups, 'other cause')}.`,
    );
  }
  return shown.join(' ');
}

/** Why some selected clusters get nothing, as sentences a person can act on ('' if none). */
export function skippedExplanation(f: StatusFacts): string {
  const parts: string[] = [];
  if (f.noKernelClaim.length > 0) {
    parts.push(
      `${f.noKernelClaim.length} of ${count(f.selected, 'selected cluster')} ` +
        `${f.noKernelClaim.length === 1 ? 'has' : 'have'} not reported kernel versions: ` +
        `is KMM installed on ${f.noKernelClaim.length === 1 ? 'it' : 'them'} with KMM_MANAGED=1? ` +
        `(${nameList(f.noKernelClaim)})`,
    );
  }
  if (f.noMapping.length > 0) {
    parts.push(
      `${f.noMapping.length} of ${count(f.selected, 'selected cluster')} run${f.noMapping.length === 1 ? 's' : ''} ` +
        `only kernels no kernel mapping matches: add a mapping for ${notes(f.noMapping)}`,
    );
  }
  if (f.offline.length > 0) {
    parts.push(
      `${count(f.offline.length, 'selected cluster')} ${f.offline.length === 1 ? 'is' : 'are'} offline ` +
        `(ManagedClusterConditionAvailable not True), their ManifestWork status is the last reported: ` +
        nameList(f.offline),
    );
  }
  return parts.join('. ');
}

/** The Ready, Progressing and Degraded conditions for these facts (without transition times). */
export function decideConditions(f: StatusFacts): Condition[] {
  const g = f.generation;
  const cond = (
    type: string,
    status: Condition['status'],
    reason: string,
    message: string,
  ): Condition => ({
    type,
    status,
    reason,
    message,
    observedGeneration: g,
  });
  const skipped = skippedExplanation(f);
  const withSkipped = (message: string): string => (skipped ? `${message}. ${skipped}` : message);

  if (f.problems.length > 0) {
    const list = f.problems.map((p) => `${p.field}: ${p.message}`).join('; ');
    const message =
      `The spec is invalid (${count(f.problems.length, 'problem')}); its existing ManifestWorks are left as they ` +
      `were until it is fixed: ${list}`;
    return [
      cond(READY, 'False', Reasons.InvalidSpec, message),
      cond(
        PROGRESSING,
        'False',
        Reasons.InvalidSpec,
        'Nothing rolls out while the spec is invalid',
      ),
      cond(DEGRADED, 'True', Reasons.InvalidSpec, message),
    ];
  }

  if (f.desired === 0) {
    const message =
      f.selected === 0
        ? 'spec.selector matches no ManagedCluster: check the selector against the cluster labels'
        : `None of the ${count(f.selected, 'selected cluster')} can run the module. ${skipped}`;
    return [
      cond(READY, 'False', Reasons.NoEligibleClusters, message),
      cond(PROGRESSING, 'False', Reasons.NoEligibleClusters, 'No cluster to roll out to'),
      cond(DEGRADED, 'False', Reasons.AsExpected, 'No ManifestWork reports a problem'),
    ];
  }

  const degraded =
    f.degraded.length === 0
      ? cond(DEGRADED, 'False', Reasons.AsExpected, 'No ManifestWork reports a problem')
      : cond(
          DEGRADED,
          'True',
          Reasons.ManifestWorksDegraded,
          `${f.degraded.length} of ${count(f.desired, 'eligible cluster')} report a problem. ${byCause(f.degraded)}`,
        );

  const rollingOut = f.pending.length > 0;
  const waiting = f.waitingForImages.length > 0;
  let progressing: Condition;
  if (waiting) {
    progressing = cond(
      PROGRESSING,
      'True',
      Reasons.WaitingForImages,
      `${count(f.waitingForImages.length, 'cluster')} wait${f.waitingForImages.length === 1 ? 's' : ''} for ` +
        `images that are not ready: ${notes(f.waitingForImages)}` +
        (rollingOut
          ? `; ${f.pending.length} more not applied and available yet: ${nameList(f.pending)}`
          : ''),
    );
  } else if (rollingOut) {
    progressing = cond(
      PROGRESSING,
      'True',
      Reasons.RollingOut,
      `${f.desired - f.pending.length - f.degraded.length} of ${count(f.desired, 'eligible cluster')} have the ` +
        `module applied and available; waiting for ${nameList(f.pending)}`,
    );
  } else {
    progressing = cond(
      PROGRESSING,
      'False',
      Reasons.RolloutComplete,
      `Every eligible cluster has reported its ManifestWork (${f.applied} of ${f.desired} applied)`,
    );
  }

  let ready: Condition;
  if (f.degraded.length > 0) {
    ready = cond(
      READY,
      'False',
      Reasons.ManifestWorksDegraded,
      withSkipped(degraded.message as string),
    );
  } else if (waiting || rollingOut) {
    ready = cond(
      READY,
      'False',
      progressing.reason as string,
      withSkipped(progressing.message as string),
    );
  } else {
    ready = cond(
      READY,
      'True',
      Reasons.RolloutComplete,
      withSkipped(
        `The module is applied and available on all ${count(f.desired, 'eligible cluster')}`,
      ),
    );
  }
  return [ready, progressing, degraded];
}

/**
 * Next conditions, keeping each one's lastTransitionTime when its status did not change (so that writing the
 * same conditions again is a no-op) and setting `now` when it did.
 */
export function withTransitionTimes(
  previous: readonly Condition[] | undefined,
  next: readonly Condition[],
  now: string,
): Condition[] {
  return next.map((c) => {
    const before = previous?.find((p) => p.type === c.type);
    const lastTransitionTime =
      before && before.status === c.status && before.lastTransitionTime
        ? before.lastTransitionTime
        : now;
    return { ...c, lastTransitionTime };
  });
}
