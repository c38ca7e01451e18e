import { DEGRADED, READY, Reasons } from './conditions';
import { isRegistryProblem } from './image-condition';
import { count, nameList } from './summary';
import type { ManagedClusterModuleStatus } from './types';

// The Events a reconcile records on an MCM: one per outcome, never one per cluster.

/** An Event about an MCM, without the reference to it (the controller adds that). */
export interface McmEvent {
  type: 'Normal' | 'Warning';
  /** CamelCase, e.g. ManifestWorksCreated */
  reason: string;
  /** what was done, e.g. Create */
  action: string;
  message: string;
}

export type WorkWriteVerb = 'create' | 'update' | 'delete';

/** What a reconcile's ManifestWork writes did, by the cluster (namespace) of each work. */
export interface WriteOutcome {
  done: Record<WorkWriteVerb, string[]>;
  failed: { verb: WorkWriteVerb; cluster: string; message: string }[];
}

/**
 * One Event per kind of write done, naming a few clusters and counting the rest, and one Warning for the
 * writes that failed; `why` (e.g. the MCM being deleted) is added to each write's message when given.
 */
export function writeEvents(outcome: WriteOutcome, why: string): McmEvent[] {
  const out: McmEvent[] = [];
  const suffix = why ? ` (${why})` : '';
  const { create, update, delete: deleted } = outcome.done;
  const written: [clusters: string[], reason: string, action: string, what: string][] = [
    [create, 'ManifestWorksCreated', 'Create', 'Created ManifestWorks for'],
    [update, 'ManifestWorksUpdated', 'Update', 'Updated the ManifestWorks of'],
    [deleted, 'ManifestWorksDeleted', 'Delete', 'Deleted the ManifestWorks of'],
  ];
  for (const [clusters, reason, action, what] of written) {
    if (clusters.length === 0) continue;
    const whose = action === 'Delete' && !why ? ' no longer selected or eligible' : '';
    const message = `${what} ${count(clusters.length, 'cluster')}${whose}: ${nameList(clusters)}${suffix}`;
    out.push({ type: 'Normal', reason, action, message });
  }
  if (outcome.failed.length > 0) {
    const first = outcome.failed.slice(0, 3).map((f) => `${f.verb} ${f.cluster}: ${f.message}`);
    const more = outcome.failed.length > 3 ? ` and ${outcome.failed.length - 3} more` : '';
    out.push({
      type: 'Warning',
      reason: 'ManifestWorkWriteFailed',
      action: 'Write',
      message:
        `Could not write the ManifestWorks of ${count(outcome.failed.length, 'cluster')} ` +
        `(retrying with backoff): ${first.join('; ')}${more}`,
    });
  }
  return out;
}

/**
 * Events for condition transitions from the status `before` to the status written: the spec became invalid
 * or its problems changed (Warning), and `Ready` became True for a generation.
 */
export function statusEvents(
  before: ManagedClusterModuleStatus | undefined,
  after: ManagedClusterModuleStatus,
): McmEvent[] {
  const find = (s: ManagedClusterModuleStatus | undefined, type: string) =>
    s?.conditions?.find((c) => c.type === type);
  const out: McmEvent[] = [];
  const degraded = find(after, DEGRADED);
  const degradedBefore = find(before, DEGRADED);
  if (
    degraded?.reason === Reasons.InvalidSpec &&
    (degradedBefore?.reason !== Reasons.InvalidSpec || degradedBefore.message !== degraded.message)
  ) {
    out.push({
      type: 'Warning',
      reason: 'InvalidSpec',
      action: 'Validate',
      message: degraded.message ?? '',
    });
  }
  // Degraded ManifestWorks, grouped by cause: once when they start, again when what is wrong changes.
  if (
    degraded?.status === 'True' &&
    degraded.reason === Reasons.ManifestWorksDegraded &&
    (degradedBefore?.reason !== Reasons.ManifestWorksDegraded ||
      degradedBefore.message !== degraded.message)
  ) {
    out.push({
      type: 'Warning',
      reason: 'ManifestWorksDegraded',
      action: 'Rollout',
      message: degraded.message ?? '',
    });
  }
  out.push(...imageProblemEvents(before, after));
  const ready = find(after, READY);
  const readyBefore = find(before, READY);
  if (
    ready?.status === 'True' &&
    (readyBefore?.status !== 'True' || readyBefore.observedGeneration !== ready.observedGeneration)
  ) {
    out.push({
      type: 'Normal',
      reason: 'RolloutComplete',
      action: 'Rollout',
      message: `Generation ${after.observedGeneration} rolled out: ${ready.message}`,
    });
  }
  return out;
}

/** Reasons a Job Event already announces (BuildimageFailed, ...): no second Event for them. */
const ANNOUNCED_BY_JOBS = new Set(['BuildFailed', 'SignFailed']);

/**
 * One Warning per new image problem reason (a registry refusing or unreachable, a missing image, a build
 * input to fix), naming the first image's message and counting the others: an image whose state or reason
 * changed to a problem since `before`. The Event reason is the image's reason, e.g. RegistryUnauthorized.
 */
export function imageProblemEvents(
  before: ManagedClusterModuleStatus | undefined,
  after: ManagedClusterModuleStatus,
): McmEvent[] {
  const previous = new Map((before?.images ?? []).map((i) => [i.image, i]));
  const byReason = new Map<string, { image: string; message: string }[]>();
  for (const i of after.images ?? []) {
    if (!i.reason || ANNOUNCED_BY_JOBS.has(i.reason)) continue;
    const problem = i.state === 'Failed' || i.state === 'Missing' || isRegistryProblem(i.reason);
    if (!problem) continue;
    const was = previous.get(i.image);
    if (was?.state === i.state && was.reason === i.reason) continue;
    const list = byReason.get(i.reason) ?? [];
    list.push({ image: i.image, message: i.message ?? i.image });
    byReason.set(i.reason, list);
  }
  return [...byReason.entries()].map(([reason, images]) => ({
    type: 'Warning',
    reason,
    action: 'CheckImage',
    message:
      images.length === 1
        ? images[0]!.message
        : `${images[0]!.message} (and ${count(images.length - 1, 'more image')} with the same problem: ` +
          `${nameList(
            images.slice(1).map((i) => i.image),
            3,
          )})`,
  }));
}
