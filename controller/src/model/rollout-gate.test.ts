import { K94, K96, mcm as baseMcm } from './__fixtures__/rollout';
import { RESUME_ROLLOUT_ANNOTATION, ROLLOUT_WRITTEN_AT_ANNOTATION } from './constants';
import { ManifestWorkRenderer } from './manifestwork';
import { gateRollout, type RolloutGate } from './rollout-gate';
import type { ManagedClusterModule, ManifestWork, RolloutStrategy } from './types';

// The gate against a small simulated hub: works as the API server and the work agent leave them, time in
// seconds from T0, and the MCM's status.rollout carried from one decision to the next as the controller
// writes it.

const T0 = Date.parse('2026-12-04T10:00:00Z');
const at = (s: number) => T0 + s * 1000;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

type Outcome = 'healthy' | 'refused' | 'degraded' | 'silent';

class Hub {
  works = new Map<string, ManifestWork>();
  labels = new Map<string, Record<string, string>>();
  kernels = new Map<string, string>();
  mcm: ManagedClusterModule;
  /** the outcome the spoke's agent reports for the next work it applies (default healthy) */
  outcome = new Map<string, Outcome>();
  /** clusters written, in order, with the time of the decision */
  writes: { cluster: string; at: number }[] = [];

  constructor(clusters: string[], strategy: RolloutStrategy | undefined, tag = 'v1') {
    this.mcm = mcmWith(strategy);
    for (const c of clusters) {
      this.labels.set(c, { name: c });
      this.kernels.set(c, K94);
    }
    for (const c of clusters) {
      const w = this.desiredFor(c, tag);
      w.metadata.generation = 1;
      this.works.set(c, w);
      this.agent(c, at(-3600), 'healthy');
    }
  }

  desiredFor(cluster: string, tag: string): ManifestWork {
    return new ManifestWorkRenderer(this.mcm).render(cluster, [
      { literal: this.kernels.get(cluster)!, containerImage: `quay.io/acme/drv:${tag}` },
    ]);
  }

  desired(tag: string, clusters = [...this.kernels.keys()]): ManifestWork[] {
    return clusters.sort().map((c) => this.desiredFor(c, tag));
  }

  decide(tag: string, now: number, desired = this.desired(tag)): RolloutGate {
    const gate = gateRollout({
      mcm: this.mcm,
      desired,
      current: [...this.works.values()],
      labelsOf: (c) => this.labels.get(c),
      now,
    });
    for (const w of gate.changes.create) this.write(w, 1, now);
    for (const u of gate.changes.update)
      this.write(u.body, (u.current.metadata.generation ?? 1) + 1, now);
    for (const w of gate.changes.delete) this.works.delete(w.metadata.namespace!);
    if (gate.rollout)
      this.mcm = { ...this.mcm, status: { ...this.mcm.status, rollout: gate.rollout } };
    return gate;
  }

  private write(w: ManifestWork, generation: number, now: number) {
    const copy: ManifestWork = JSON.parse(JSON.stringify(w));
    copy.metadata.generation = generation;
    const before = this.works.get(w.metadata.namespace!);
    if (before?.status) copy.status = before.status;
    this.works.set(w.metadata.namespace!, copy);
    this.writes.push({ cluster: w.metadata.namespace!, at: now });
  }

  /** The work agent reports on a cluster's work at `when`. */
  agent(cluster: string, when: number, outcome = this.outcome.get(cluster) ?? 'healthy') {
    const w = this.works.get(cluster)!;
    if (outcome === 'silent') return;
    const gen = w.metadata.generation ?? 1;
    const prev = w.status?.conditions ?? [];
    const cond = (type: string, status: 'True' | 'False') => {
      const before = prev.find((c) => c.type === type);
      return {
        type,
        status,
        reason: status === 'True' ? 'Ok' : 'AppliedManifestWorkFailed',
        message: status === 'True' ? '' : 'Failed to apply manifest work',
        observedGeneration: gen,
        lastTransitionTime:
          before && before.status === status ? before.lastTransitionTime! : iso(when),
      };
    };
    const applied = outcome === 'refused' ? 'False' : 'True';
    const available = outcome === 'healthy' || outcome === 'degraded' ? 'True' : 'False';
    w.status = {
      conditions: [cond('Applied', applied), cond('Available', available)],
      resourceStatus: {
        manifests: [
          {
            resourceMeta: { group: 'kmm.sigs.x-k8s.io', kind: 'Module', resource: 'modules' },
            statusFeedback: {
              values: [
                { name: 'moduleLoader.desiredNumber', fieldValue: { type: 'Integer', integer: 3 } },
                {
                  name: 'moduleLoader.availableNumber',
                  fieldValue: { type: 'Integer', integer: outcome === 'degraded' ? 1 : 3 },
                },
              ],
            },
          },
        ],
      },
    };
  }

  /** Every cluster's agent reports what it has now. */
  agents(when: number) {
    for (const c of this.works.keys()) this.agent(c, when);
  }

  imageOf(cluster: string): string | undefined {
    const m = this.works.get(cluster)?.spec.workload.manifests[0] as
      | { spec: { moduleLoader: { container: { kernelMappings: { containerImage: string }[] } } } }
      | undefined;
    return m?.spec.moduleLoader.container.kernelMappings[0]?.containerImage;
  }

  onV2(): string[] {
    return [...this.works.keys()].filter((c) => this.imageOf(c)?.endsWith(':v2')).sort();
  }
}

function mcmWith(strategy: RolloutStrategy | undefined): ManagedClusterModule {
  const m = baseMcm();
  if (strategy) m.spec.rolloutStrategy = strategy;
  return m;
}

const names = (n: number) =>
  Array.from({ length: n }, (_, i) => `c${String(i + 1).padStart(2, '0')}`);
const written = (g: RolloutGate) =>
  [...g.changes.create, ...g.changes.update.map((u) => u.body)]
    .map((w) => w.metadata.namespace!)
    .sort();

/** Decides and lets every agent report, once per simulated second, until nothing is held back. */
function runToCompletion(hub: Hub, tag: string, from: number, seconds = 60): number {
  for (let s = from; s < from + seconds; s++) {
    const g = hub.decide(tag, at(s));
    hub.agents(at(s) + 10);
    if (g.rollout?.phase !== 'Progressing') return s;
  }
  throw new Error('the rollout did not finish');
}

describe('gateRollout without a progressive strategy', () => {
  it.each([undefined, { type: 'All' as const }])('writes every change at once (%p)', (strategy) => {
    const hub = new Hub(names(5), strategy);
    const g = hub.decide('v2', at(0));
    expect(written(g)).toEqual(names(5));
    expect(g.held).toEqual([]);
    expect(g.rollout).toBeUndefined();
    expect(g.requeueAfterMs).toBeUndefined();
    // No rollout bookkeeping on the works either: exactly what kmm-hub wrote before the field existed.
    for (const u of g.changes.update)
      expect(u.body.metadata.annotations?.[ROLLOUT_WRITTEN_AT_ANNOTATION]).toBeUndefined();
  });
});

describe('gateRollout, Progressive', () => {
  it('moves maxConcurrency clusters at a time, each wave after the one before succeeded', () => {
    const hub = new Hub(names(5), { type: 'Progressive', maxConcurrency: 2 });
    const g1 = hub.decide('v2', at(0));
    expect(written(g1)).toEqual(['c01', 'c02']);
    expect(g1.held).toEqual(['c03', 'c04', 'c05']);
    expect(g1.rollout).toMatchObject({
      phase: 'Progressing',
      currentWave: 1,
      totalWaves: 3,
      clusters: 5,
      progressing: 2,
      pending: 3,
      succeeded: 0,
    });
    for (const u of g1.changes.update)
      expect(u.body.metadata.annotations?.[ROLLOUT_WRITTEN_AT_ANNOTATION]).toBe(
        new Date(at(0)).toISOString(),
      );
    // Nothing more while the first wave has not reported.
    expect(written(hub.decide('v2', at(1)))).toEqual([]);
    hub.agent('c01', at(2));
    expect(written(hub.decide('v2', at(2)))).toEqual([]);
    hub.agent('c02', at(3));
    const g2 = hub.decide('v2', at(3));
    expect(written(g2)).toEqual(['c03', 'c04']);
    expect(g2.rollout).toMatchObject({ currentWave: 2, succeeded: 2, progressing: 2, pending: 1 });
    hub.agents(at(4));
    expect(written(hub.decide('v2', at(4)))).toEqual(['c05']);
    hub.agents(at(5));
    const done = hub.decide('v2', at(5));
    expect(done.rollout).toMatchObject({
      phase: 'Complete',
      succeeded: 5,
      pending: 0,
      currentWave: 3,
    });
    expect(hub.onV2()).toEqual(names(5));
    expect(done.requeueAfterMs).toBeUndefined();
  });

  it('never has more than maxConcurrency clusters moving, whatever the order of reports', () => {
    const hub = new Hub(names(9), { type: 'Progressive', maxConcurrency: 3 });
    let moving = 0;
    for (let s = 0; s < 40 && hub.mcm.status?.rollout?.phase !== 'Complete'; s++) {
      const g = hub.decide('v2', at(s));
      moving = g.rollout!.progressing;
      expect(moving).toBeLessThanOrEqual(3);
      // one agent at a time reports, the one written last first
      const unreported = (c: string) => {
        const w = hub.works.get(c)!;
        return w.status?.conditions?.[0]?.observedGeneration !== w.metadata.generation;
      };
      const last = [...hub.writes].reverse().find((w) => unreported(w.cluster));
      if (last) hub.agent(last.cluster, at(s) + 1);
    }
    expect(hub.mcm.status?.rollout?.phase).toBe('Complete');
    expect(hub.onV2()).toEqual(names(9));
  });

  it('takes a percentage of the clusters as maxConcurrency, rounded down and at least 1', () => {
    const hub = new Hub(names(10), { type: 'Progressive', maxConcurrency: '25%' });
    expect(written(hub.decide('v2', at(0)))).toEqual(['c01', 'c02']);
    const small = new Hub(names(3), { type: 'Progressive', maxConcurrency: '10%' });
    expect(written(small.decide('v2', at(0)))).toEqual(['c01']);
  });

  it('waits minSuccessTime of health before the next wave, and asks to be called back then', () => {
    const hub = new Hub(names(4), {
      type: 'Progressive',
      maxConcurrency: 2,
      minSuccessTime: '30s',
    });
    hub.decide('v2', at(0));
    hub.agents(at(1));
    const g = hub.decide('v2', at(2));
    expect(written(g)).toEqual([]);
    // healthy since second 1, stamped to the second (so counted from second 2): due at 32
    expect(g.requeueAfterMs).toBe(30_000);
    expect(written(hub.decide('v2', at(31)))).toEqual([]);
    expect(written(hub.decide('v2', at(32)))).toEqual(['c03', 'c04']);
  });

  it('starts the minSuccessTime clock again when a moving cluster turns unhealthy', () => {
    const hub = new Hub(names(2), {
      type: 'Progressive',
      maxConcurrency: 1,
      minSuccessTime: '10s',
    });
    hub.decide('v2', at(0));
    hub.agents(at(1));
    expect(hub.decide('v2', at(2)).rollout?.moving).toEqual([
      { cluster: 'c01', healthySince: new Date(at(2)).toISOString() },
    ]);
    hub.agent('c01', at(5), 'degraded');
    expect(hub.decide('v2', at(5)).rollout?.moving).toEqual([{ cluster: 'c01' }]);
    hub.agent('c01', at(6), 'healthy');
    const g = hub.decide('v2', at(7));
    expect(g.rollout?.moving).toEqual([
      { cluster: 'c01', healthySince: new Date(at(7)).toISOString() },
    ]);
    expect(written(hub.decide('v2', at(16)))).toEqual([]);
    expect(written(hub.decide('v2', at(17)))).toEqual(['c02']);
  });

  it('restarts from the first wave when the spec changes mid-rollout, never exceeding maxConcurrency', () => {
    const hub = new Hub(names(6), { type: 'Progressive', maxConcurrency: 2 });
    hub.decide('v2', at(0));
    hub.agents(at(1));
    expect(written(hub.decide('v2', at(2)))).toEqual(['c03', 'c04']);
    hub.mcm = { ...hub.mcm, metadata: { ...hub.mcm.metadata, generation: 2 } };
    // c03 and c04 are moving to v2; v3 waits for their slots, then goes to c01 and c02 first.
    const g = hub.decide('v3', at(3));
    expect(written(g)).toEqual([]);
    expect(g.rollout?.progressing).toBe(0);
    expect(hub.onV2()).toEqual(['c01', 'c02', 'c03', 'c04']);
    expect(g.rollout?.moving?.map((m) => m.cluster)).toEqual(['c03', 'c04']);
    hub.agents(at(4));
    expect(written(hub.decide('v3', at(5)))).toEqual(['c01', 'c02']);
    hub.agents(at(6));
    expect(written(hub.decide('v3', at(7)))).toEqual(['c03', 'c04']);
  });

  it('moves mandatory groups first, one after the other, then the rest by name', () => {
    const hub = new Hub(names(6), {
      type: 'Progressive',
      maxConcurrency: 2,
      mandatoryDecisionGroups: [
        { groupName: 'canary', clusterSelector: { rollout: 'canary' } },
        { groupName: 'early', clusterSelector: { rollout: 'early' } },
      ],
    });
    hub.labels.set('c05', { rollout: 'canary' });
    hub.labels.set('c03', { rollout: 'early' });
    hub.labels.set('c06', { rollout: 'early' });
    const order: string[][] = [];
    for (let s = 0; s < 20 && hub.mcm.status?.rollout?.phase !== 'Complete'; s++) {
      const w = written(hub.decide('v2', at(s)));
      if (w.length > 0) order.push(w);
      hub.agents(at(s) + 1);
    }
    expect(order).toEqual([['c05'], ['c03', 'c06'], ['c01', 'c02'], ['c04']]);
    expect(hub.mcm.status?.rollout?.groups).toEqual([
      {
        name: 'canary',
        waves: 1,
        clusters: 1,
        succeeded: 1,
        progressing: 0,
        failed: 0,
        pending: 0,
      },
      { name: 'early', waves: 1, clusters: 2, succeeded: 2, progressing: 0, failed: 0, pending: 0 },
      {
        name: 'remaining',
        waves: 2,
        clusters: 3,
        succeeded: 3,
        progressing: 0,
        failed: 0,
        pending: 0,
      },
    ]);
  });

  it('halts when a canary fails, keeps every other cluster on its previous work, and resumes on a new token', () => {
    const hub = new Hub(names(5), {
      type: 'Progressive',
      maxConcurrency: 2,
      maxFailures: 3,
      mandatoryDecisionGroups: [{ groupName: 'canary', clusterSelector: { rollout: 'canary' } }],
    });
    hub.labels.set('c04', { rollout: 'canary' });
    hub.outcome.set('c04', 'refused');
    expect(written(hub.decide('v2', at(0)))).toEqual(['c04']);
    hub.agents(at(1));
    const halted = hub.decide('v2', at(2));
    expect(written(halted)).toEqual([]);
    expect(halted.held).toEqual(['c01', 'c02', 'c03', 'c05']);
    expect(halted.rollout).toMatchObject({
      phase: 'Halted',
      haltedReason: 'TooManyFailures',
      failed: 1,
      failedClusters: [{ cluster: 'c04', reason: 'Failed' }],
    });
    expect(halted.rollout!.message).toContain(RESUME_ROLLOUT_ANNOTATION);
    expect(halted.requeueAfterMs).toBeUndefined();
    // Halted stays halted, even once the canary recovers: resuming is an explicit act.
    hub.outcome.set('c04', 'healthy');
    hub.agents(at(3));
    expect(written(hub.decide('v2', at(10)))).toEqual([]);
    expect(hub.onV2()).toEqual(['c04']);
    expect(hub.mcm.status?.rollout?.phase).toBe('Halted');

    hub.mcm = {
      ...hub.mcm,
      metadata: { ...hub.mcm.metadata, annotations: { [RESUME_ROLLOUT_ANNOTATION]: 'a' } },
    };
    const resumed = hub.decide('v2', at(11));
    expect(resumed.rollout).toMatchObject({ phase: 'Progressing', resumeToken: 'a' });
    expect(written(resumed)).toEqual(['c01', 'c02']);
    runToCompletion(hub, 'v2', 12);
    expect(hub.onV2()).toEqual(names(5));
    // The same token again resumes nothing later.
    expect(hub.mcm.status?.rollout?.resumeToken).toBe('a');
  });

  it('tolerates maxFailures failures outside the mandatory groups, and halts on one more', () => {
    const hub = new Hub(names(6), { type: 'Progressive', maxConcurrency: 2, maxFailures: 1 });
    hub.outcome.set('c01', 'refused');
    hub.decide('v2', at(0));
    hub.agents(at(1));
    // c01 failed (tolerated: 1 of maxFailures 1); c02 succeeded: the next wave goes.
    const g = hub.decide('v2', at(2));
    expect(g.rollout).toMatchObject({ phase: 'Progressing', failed: 1 });
    expect(written(g)).toEqual(['c03', 'c04']);
    hub.outcome.set('c03', 'refused');
    hub.agents(at(3));
    const halted = hub.decide('v2', at(4));
    expect(halted.rollout).toMatchObject({
      phase: 'Halted',
      haltedReason: 'TooManyFailures',
      failed: 2,
    });
    expect(halted.rollout!.failedClusters!.map((f) => f.cluster)).toEqual(['c01', 'c03']);
    expect(hub.onV2()).toEqual(['c01', 'c02', 'c03', 'c04']);
    expect(halted.held).toEqual(['c05', 'c06']);
  });

  it('counts a cluster not healthy within progressDeadline as failed (ProgressDeadlineExceeded)', () => {
    const hub = new Hub(names(4), {
      type: 'Progressive',
      maxConcurrency: 2,
      progressDeadline: '5m',
    });
    hub.outcome.set('c02', 'degraded');
    hub.decide('v2', at(0));
    hub.agents(at(1));
    const waiting = hub.decide('v2', at(60));
    // A degraded cluster is still progressing within its deadline (a real module takes time to load).
    expect(waiting.rollout).toMatchObject({ phase: 'Progressing', progressing: 1, failed: 0 });
    expect(written(waiting)).toEqual([]);
    expect(waiting.requeueAfterMs).toBe(240_001);
    const halted = hub.decide('v2', at(301));
    expect(halted.rollout).toMatchObject({
      phase: 'Halted',
      haltedReason: 'ProgressDeadlineExceeded',
      failedClusters: [
        {
          cluster: 'c02',
          reason: 'TimedOut',
          message: 'not healthy within progressDeadline 5m: moduleLoader: 1 of 3 nodes available',
        },
      ],
    });
    expect(hub.onV2()).toEqual(['c01', 'c02']);
  });

  it('starts a new rollout from its first wave when the spec changes while halted', () => {
    const hub = new Hub(names(4), { type: 'Progressive', maxConcurrency: 1 });
    hub.outcome.set('c01', 'refused');
    hub.decide('v2', at(0));
    hub.agents(at(1));
    expect(hub.decide('v2', at(2)).rollout?.phase).toBe('Halted');
    hub.outcome.set('c01', 'healthy');
    hub.mcm = { ...hub.mcm, metadata: { ...hub.mcm.metadata, generation: 2 } };
    const g = hub.decide('v3', at(3));
    expect(g.rollout).toMatchObject({
      phase: 'Progressing',
      startedAt: new Date(at(3)).toISOString(),
      currentWave: 1,
    });
    expect(written(g)).toEqual(['c01']);
  });
});

describe('gateRollout, ProgressivePerGroup', () => {
  it('moves each group whole, mandatory groups first, then one group per label value (unlabelled last)', () => {
    const hub = new Hub(names(6), {
      type: 'ProgressivePerGroup',
      groupByLabel: 'region',
      mandatoryDecisionGroups: [{ groupName: 'canary', clusterSelector: { rollout: 'canary' } }],
    });
    hub.labels.set('c06', { rollout: 'canary', region: 'eu' });
    hub.labels.set('c01', { region: 'us' });
    hub.labels.set('c02', { region: 'eu' });
    hub.labels.set('c03', { region: 'us' });
    const order: string[][] = [];
    for (let s = 0; s < 20 && hub.mcm.status?.rollout?.phase !== 'Complete'; s++) {
      const w = written(hub.decide('v2', at(s)));
      if (w.length > 0) order.push(w);
      hub.agents(at(s) + 1);
    }
    expect(order).toEqual([['c06'], ['c02'], ['c01', 'c03'], ['c04', 'c05']]);
    expect(hub.mcm.status?.rollout?.groups.map((g) => g.name)).toEqual([
      'canary',
      'region=eu',
      'region=us',
      'region unset',
    ]);
  });
});

describe('gateRollout: clusters that join, leave or change kernel during a rollout', () => {
  const strategy: RolloutStrategy = { type: 'Progressive', maxConcurrency: 2 };

  it('gives a joining cluster the new work in the first free slot, counted against maxConcurrency', () => {
    const hub = new Hub(names(4), strategy);
    hub.decide('v2', at(0));
    hub.kernels.set('c00', K94);
    hub.labels.set('c00', {});
    // Both slots taken: the new cluster waits, with nothing written to it.
    const g = hub.decide('v2', at(1));
    expect(written(g)).toEqual([]);
    expect(g.held).toEqual(['c00', 'c03', 'c04']);
    hub.agents(at(2));
    // It sorts first, so its wave (the first) is under way again: it goes before c03 and c04.
    expect(written(hub.decide('v2', at(3)))).toEqual(['c00']);
    hub.agents(at(4));
    expect(written(hub.decide('v2', at(5)))).toEqual(['c03']);
  });

  it('gives a cluster that joins after the rollout completed its work at once', () => {
    const hub = new Hub(names(2), strategy);
    runToCompletion(hub, 'v2', 0);
    hub.kernels.set('c09', K94);
    const g = hub.decide('v2', at(100));
    expect(written(g)).toEqual(['c09']);
    expect(g.changes.create.map((w) => w.metadata.namespace)).toEqual(['c09']);
    expect(g.rollout?.phase).toBe('Progressing');
  });

  it('keeps a waiting cluster whose kernel changes exactly on its previous work until its wave', () => {
    const hub = new Hub(names(4), strategy);
    hub.decide('v2', at(0));
    hub.kernels.set('c04', K96);
    const before = JSON.stringify(hub.works.get('c04')!.spec);
    const g = hub.decide('v2', at(1));
    expect(g.held).toContain('c04');
    expect(JSON.stringify(hub.works.get('c04')!.spec)).toBe(before);
    runToCompletion(hub, 'v2', 2);
    // When its wave came, it got the new revision for its new kernel: never old and new mixed.
    const w = hub.works.get('c04')!;
    expect(JSON.stringify(w.spec)).toContain(K96);
    expect(JSON.stringify(w.spec)).not.toContain(K94);
    expect(hub.imageOf('c04')).toBe('quay.io/acme/drv:v2');
  });

  it('moves a kernel change at steady state at once (it is the only change: its wave has a free slot)', () => {
    const hub = new Hub(names(3), strategy);
    runToCompletion(hub, 'v2', 0);
    hub.kernels.set('c03', K96);
    expect(written(hub.decide('v2', at(100)))).toEqual(['c03']);
  });

  it('deletes the work of a deselected cluster at once, even while halted', () => {
    const hub = new Hub(names(3), { type: 'Progressive', maxConcurrency: 1 });
    hub.outcome.set('c01', 'refused');
    hub.decide('v2', at(0));
    hub.agents(at(1));
    expect(hub.decide('v2', at(2)).rollout?.phase).toBe('Halted');
    const g = hub.decide('v2', at(3), hub.desired('v2', ['c01', 'c02']));
    expect(g.changes.delete.map((w) => w.metadata.namespace)).toEqual(['c03']);
    expect(written(g)).toEqual([]);
  });
});

describe('gateRollout survives a restart', () => {
  it('makes the same decision from the same works and status, at every step of a rollout', () => {
    const hub = new Hub(names(7), {
      type: 'Progressive',
      maxConcurrency: 3,
      minSuccessTime: '2s',
      maxFailures: 1,
      progressDeadline: '20s',
      mandatoryDecisionGroups: [{ groupName: 'canary', clusterSelector: { rollout: 'canary' } }],
    });
    hub.labels.set('c07', { rollout: 'canary' });
    hub.outcome.set('c03', 'degraded');
    for (let s = 0; s < 60; s++) {
      if (s > 0 && hub.mcm.status?.rollout?.phase !== 'Progressing') break;
      // A fresh process (no memory but what is on the hub) decides first; then the live one.
      const fresh = gateRollout({
        mcm: JSON.parse(JSON.stringify(hub.mcm)),
        desired: hub.desired('v2'),
        current: JSON.parse(JSON.stringify([...hub.works.values()])),
        labelsOf: (c) => hub.labels.get(c),
        now: at(s),
      });
      const live = hub.decide('v2', at(s));
      expect(fresh).toEqual(live);
      hub.agents(at(s) + 500);
    }
    expect(hub.mcm.status?.rollout).toMatchObject({ phase: 'Complete', failed: 1 });
  });
});
