import { PROGRESSING, READY, Reasons, withTransitionTimes } from './conditions';
import { RESUME_ROLLOUT_ANNOTATION } from './constants';
import type { McmEvent } from './events';
import type { Condition, ManagedClusterModuleStatus, RolloutStatus } from './types';

// How a progressive rollout shows in the MCM: status.rollout, a RolloutHalted condition, and Events when its
// phase or wave changes (one per change, never one per cluster).

export const ROLLOUT_HALTED = 'RolloutHalted';

/**
 * `status` with the gate's status.rollout and the RolloutHalted condition (its transition time kept while it
 * holds); without a rollout (no progressive strategy) the status is returned as it is, with neither.
 */
export function withRolloutStatus(
  status: ManagedClusterModuleStatus,
  rollout: RolloutStatus | undefined,
  previous: readonly Condition[] | undefined,
  now: string,
): ManagedClusterModuleStatus {
  if (!rollout) return status;
  const halted = rollout.phase === 'Halted';
  const condition: Condition = halted
    ? {
        type: ROLLOUT_HALTED,
        status: 'True',
        reason: rollout.haltedReason ?? 'TooManyFailures',
        message: rollout.message ?? '',
      }
    : {
        type: ROLLOUT_HALTED,
        status: 'False',
        reason: rollout.phase === 'Complete' ? 'RolloutComplete' : 'RolloutProgressing',
        message:
          rollout.phase === 'Complete'
            ? `every cluster of ${rollout.clusters} has the current ManifestWork`
            : (rollout.message ?? ''),
      };
  // Clusters still on their previous ManifestWork (or none) by the rollout's decision are not Ready on this
  // spec, however healthy that previous work is: until the rollout completes, the MCM is rolling out.
  const waiting = rollout.phase !== 'Complete' && rollout.pending + rollout.progressing > 0;
  const rolling = (c: Condition): Condition => {
    if (!waiting) return c;
    const message = `progressive rollout ${rollout.phase === 'Halted' ? 'halted' : 'under way'}: ${rollout.message ?? ''}`;
    if (c.type === READY && c.status === 'True')
      return { ...c, status: 'False', reason: Reasons.RollingOut, message };
    if (c.type === PROGRESSING && c.status === 'False' && c.reason === Reasons.RolloutComplete)
      return { ...c, status: 'True', reason: Reasons.RollingOut, message };
    return c;
  };
  const decided = (status.conditions ?? []).filter((c) => c.type !== ROLLOUT_HALTED);
  const adjusted = decided.map(rolling);
  const changed = adjusted.filter((c, i) => c !== decided[i]);
  const timed = new Map(
    withTransitionTimes(previous, [...changed, condition], now).map((c) => [c.type, c]),
  );
  return {
    ...status,
    conditions: [...adjusted.map((c) => timed.get(c.type) ?? c), timed.get(ROLLOUT_HALTED)!],
    rollout,
  };
}

/** Events for what changed between the last written status.rollout and the next one. */
export function rolloutEvents(
  prev: RolloutStatus | undefined,
  next: RolloutStatus | undefined,
): McmEvent[] {
  if (!next) return [];
  const out: McmEvent[] = [];
  const was = prev?.phase;
  if (next.phase === 'Halted' && was !== 'Halted') {
    out.push({
      type: 'Warning',
      reason: 'RolloutHalted',
      action: 'Halt',
      message: next.message ?? 'the rollout halted',
    });
  } else if (was === 'Halted' && next.phase !== 'Halted') {
    out.push({
      type: 'Normal',
      reason: 'RolloutResumed',
      action: 'Resume',
      message:
        next.resumeToken !== prev?.resumeToken
          ? `resumed by ${RESUME_ROLLOUT_ANNOTATION}=${next.resumeToken}`
          : 'resumed: the spec changed, a new rollout starts from its first wave',
    });
  }
  if (
    next.phase === 'Progressing' &&
    (was === undefined || was === 'Complete' || next.startedAt !== prev?.startedAt)
  ) {
    out.push({
      type: 'Normal',
      reason: 'RolloutStarted',
      action: 'Rollout',
      message: `rolling out to ${next.pending + next.progressing} of ${next.clusters} clusters in ${next.totalWaves} waves`,
    });
  } else if (
    next.phase === 'Progressing' &&
    was === 'Progressing' &&
    next.currentWave !== prev?.currentWave
  ) {
    out.push({
      type: 'Normal',
      reason: 'RolloutWaveStarted',
      action: 'Rollout',
      message: next.message ?? `wave ${next.currentWave} of ${next.totalWaves}`,
    });
  }
  if (next.phase === 'Complete' && was !== undefined && was !== 'Complete') {
    out.push({
      type: 'Normal',
      reason: 'RolloutFinished',
      action: 'Rollout',
      message: `rollout complete on ${next.clusters} clusters: ${next.succeeded} succeeded, ${next.failed} failed`,
    });
  }
  return out;
}
