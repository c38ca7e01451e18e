import { rolloutEvents, withRolloutStatus } from './rollout-report';
import type { RolloutStatus } from './types';

const base: RolloutStatus = {
  phase: 'Progressing',
  startedAt: '2026-12-04T10:00:00Z',
  observedGeneration: 2,
  countFailuresSince: '2026-12-04T10:00:00Z',
  currentWave: 1,
  totalWaves: 3,
  clusters: 6,
  succeeded: 0,
  progressing: 2,
  failed: 0,
  pending: 4,
  groups: [],
  message: 'wave 1 of 3 (group canary): 2 moving, 4 waiting',
};
const halted: RolloutStatus = {
  ...base,
  phase: 'Halted',
  haltedReason: 'TooManyFailures',
  message: 'halted after 1 failure',
};

describe('withRolloutStatus', () => {
  it('leaves the status of an MCM without a progressive strategy as it is', () => {
    const status = { numberDesired: 1, conditions: [] };
    expect(withRolloutStatus(status, undefined, undefined, 'now')).toBe(status);
  });

  it('adds status.rollout and the RolloutHalted condition, keeping its transition time while it holds', () => {
    const first = withRolloutStatus({ conditions: [] }, halted, undefined, 'T1');
    expect(first.rollout).toBe(halted);
    expect(first.conditions).toEqual([
      {
        type: 'RolloutHalted',
        status: 'True',
        reason: 'TooManyFailures',
        message: 'halted after 1 failure',
        lastTransitionTime: 'T1',
      },
    ]);
    const again = withRolloutStatus({ conditions: [] }, halted, first.conditions, 'T2');
    expect(again.conditions?.[0]?.lastTransitionTime).toBe('T1');
    const resumed = withRolloutStatus({ conditions: [] }, base, first.conditions, 'T3');
    expect(resumed.conditions?.[0]).toMatchObject({
      status: 'False',
      reason: 'RolloutProgressing',
      lastTransitionTime: 'T3',
    });
  });
});

describe('withRolloutStatus and Ready', () => {
  const ready = (status: 'True' | 'False') => ({
    type: 'Ready',
    status,
    reason: status === 'True' ? 'RolloutComplete' : 'RollingOut',
    message: 'm',
    lastTransitionTime: 'T0',
  });
  const progressing = {
    type: 'Progressing',
    status: 'False' as const,
    reason: 'RolloutComplete',
    message: 'done',
    lastTransitionTime: 'T0',
  };

  it('is not Ready while clusters wait for their wave, however healthy their previous work', () => {
    const out = withRolloutStatus(
      { conditions: [ready('True'), progressing] },
      halted,
      [ready('True'), progressing],
      'T1',
    );
    expect(out.conditions?.find((c) => c.type === 'Ready')).toEqual({
      type: 'Ready',
      status: 'False',
      reason: 'RollingOut',
      message: 'progressive rollout halted: halted after 1 failure',
      lastTransitionTime: 'T1',
    });
    expect(out.conditions?.find((c) => c.type === 'Progressing')).toMatchObject({
      status: 'True',
      reason: 'RollingOut',
      lastTransitionTime: 'T1',
    });
  });

  it('leaves the conditions as decided once the rollout is complete', () => {
    const complete = { ...base, phase: 'Complete' as const, pending: 0, progressing: 0 };
    const out = withRolloutStatus(
      { conditions: [ready('True'), progressing] },
      complete,
      [ready('True'), progressing],
      'T1',
    );
    expect(out.conditions?.slice(0, 2)).toEqual([ready('True'), progressing]);
  });
});

describe('rolloutEvents', () => {
  it('says when a rollout starts, moves to its next wave, halts, resumes and completes, once each', () => {
    expect(rolloutEvents(undefined, base).map((e) => e.reason)).toEqual(['RolloutStarted']);
    expect(rolloutEvents(base, base)).toEqual([]);
    expect(rolloutEvents(base, { ...base, currentWave: 2 })).toEqual([
      { type: 'Normal', reason: 'RolloutWaveStarted', action: 'Rollout', message: base.message },
    ]);
    expect(rolloutEvents(base, halted)).toEqual([
      {
        type: 'Warning',
        reason: 'RolloutHalted',
        action: 'Halt',
        message: 'halted after 1 failure',
      },
    ]);
    expect(rolloutEvents(halted, halted)).toEqual([]);
    expect(rolloutEvents(halted, { ...base, resumeToken: 'r1' })).toEqual([
      {
        type: 'Normal',
        reason: 'RolloutResumed',
        action: 'Resume',
        message: 'resumed by hub.kmm.sigs.x-k8s.io/resume-rollout=r1',
      },
    ]);
    expect(
      rolloutEvents(base, { ...base, phase: 'Complete', succeeded: 5, failed: 1 }).map(
        (e) => `${e.reason}: ${e.message}`,
      ),
    ).toEqual(['RolloutFinished: rollout complete on 6 clusters: 5 succeeded, 1 failed']);
    expect(rolloutEvents(undefined, { ...base, phase: 'Complete' })).toEqual([]);
  });
});
