import { ApiException } from '@kubernetes/client-node';
import { FakeHub, fakeCaches } from '../__fakes__/hub';
import { silentLogger } from '../__fakes__/kube';
import { InterimImageStates } from '../images/image-states';
import { isConflict } from '../kube/api-errors';
import { NotLeaderError, WriteGate } from '../kube/write-gate';
import { createMetrics, type ReconcileResult } from '../metrics';
import { K94, K96, cluster, mcm } from '../model/__fixtures__/rollout';
import type { ManagedClusterModule } from '../model';
import { PlanInputs } from './plan-inputs';
import { MCMReconciler, ReconcileError } from './reconciler';

// What the reconciler makes of each answer the hub can give a write (the integration suites cannot make the
// API server answer 409 or 404 on cue, nor take the Lease away between two writes): the caches are filled
// directly, the writes land in an in-memory hub.

const NOW = new Date('2025-05-01T10:00:00Z');

function setup(opts: { writeConcurrency?: number; now?: () => Date } = {}) {
  const caches = fakeCaches();
  const hub = new FakeHub();
  const metrics = createMetrics({ processMetrics: false });
  const planInputs = new PlanInputs();
  let leading = true;
  const gate = new WriteGate(
    {
      get isLeader() {
        return leading;
      },
    },
    metrics,
  );
  caches.mcms.store.upsert(hub.seedMcm(mcm()));
  for (const c of ['c1', 'c2', 'c3']) caches.clusters.store.upsert(cluster(c, [K94]));
  const reconciler = new MCMReconciler({
    caches,
    writer: hub,
    gate,
    imageStates: new InterimImageStates(),
    planInputs,
    metrics,
    logger: silentLogger(),
    writeConcurrency: opts.writeConcurrency ?? 16,
    now: opts.now ?? (() => NOW),
  });
  const reconciles = async (result: ReconcileResult) =>
    (await metrics.reconciles.get()).values.find((v) => v.labels.result === result)?.value;
  /** The reconcile made so far is history: from here on the test looks at new calls and Events only. */
  const clear = () => {
    hub.calls.length = 0;
    hub.events.length = 0;
  };
  /** What the watch would deliver: the hub's current ManifestWork, and the plan-input bump that goes with it. */
  const watchDelivers = (key: string) => {
    caches.works.store.upsert(hub.works.get(key)!);
    planInputs.worksChanged('drv');
  };
  return {
    caches,
    hub,
    reconciler,
    reconciles,
    clear,
    watchDelivers,
    planInputs,
    setLeading: (l: boolean) => (leading = l),
  };
}

/** The MCM with a new image: every ManifestWork needs an update. */
function withNewImage(m: ManagedClusterModule): ManagedClusterModule {
  const next = structuredClone(m);
  next.metadata.generation = 2;
  next.spec.moduleSpec.moduleLoader!.container.kernelMappings![0]!.containerImage =
    'quay.io/acme/drv-v2:${KERNEL_FULL_VERSION}';
  return next;
}

describe('MCMReconciler', () => {
  it('creates the missing ManifestWorks and writes the status, then makes no request while nothing changes', async () => {
    const { hub, caches, reconciler, clear } = setup();
    await reconciler.reconcile('drv');
    expect(hub.calls).toEqual(['create c1/drv', 'create c2/drv', 'create c3/drv', 'status drv']);
    expect(hub.eventLines).toEqual([
      'Normal ManifestWorksCreated: Created ManifestWorks for 3 clusters: c1, c2, c3',
    ]);
    // its own writes are in the caches at once, before any watch event
    expect(caches.works.store.list()).toHaveLength(3);
    expect(caches.mcms.store.get('drv')?.status?.numberDesired).toBe(3);

    clear();
    await reconciler.reconcile('drv');
    expect(hub.calls).toEqual([]);
  });

  it('writes only what the rollout gate lets through, asks to be called back, and reports the rollout', async () => {
    const { hub, caches, reconciler, clear } = setup();
    const progressive = mcm({
      rolloutStrategy: { type: 'Progressive', maxConcurrency: 1, progressDeadline: '10m' },
    });
    caches.mcms.store.upsert(hub.seedMcm(progressive));
    const result = await reconciler.reconcile('drv');
    expect(hub.calls).toEqual(['create c1/drv', 'status drv']);
    expect(result).toEqual({ requeueAfterMs: 600_001 });
    expect(hub.works.get('c1/drv')?.metadata.annotations).toEqual({
      'hub.kmm.sigs.x-k8s.io/rollout-written-at': NOW.toISOString(),
    });
    const status = caches.mcms.store.get('drv')!.status!;
    expect(status.rollout).toMatchObject({
      phase: 'Progressing',
      currentWave: 1,
      totalWaves: 3,
      progressing: 1,
      pending: 2,
      moving: [{ cluster: 'c1' }],
    });
    expect(status.conditions?.find((c) => c.type === 'RolloutHalted')).toMatchObject({
      status: 'False',
      reason: 'RolloutProgressing',
    });
    expect(hub.eventLines).toContain(
      'Normal RolloutStarted: rolling out to 3 of 3 clusters in 3 waves',
    );

    // Nothing moved on the hub: the gate decides again (the plan is not reused while clusters wait), and
    // holds the same clusters back without a write.
    clear();
    expect(await reconciler.reconcile('drv')).toEqual({ requeueAfterMs: 600_001 });
    expect(hub.calls).toEqual([]);
  });

  it('acts on a resume annotation of a halted rollout with nothing held back (the plan is not reused)', async () => {
    let now = NOW;
    const { hub, caches, reconciler, watchDelivers } = setup({ now: () => now });
    caches.mcms.store.upsert(hub.seedMcm(mcm({ rolloutStrategy: { type: 'Progressive' } })));
    await reconciler.reconcile('drv');
    expect([...hub.works.keys()].sort()).toEqual(['c1/drv', 'c2/drv', 'c3/drv']);
    // c1's spoke refuses its work: the rollout halts, with every cluster already moved.
    const refused = hub.works.get('c1/drv')!;
    refused.status = {
      conditions: [
        {
          type: 'Applied',
          status: 'False',
          reason: 'AppliedManifestWorkFailed',
          observedGeneration: 1,
        },
      ],
    };
    watchDelivers('c1/drv');
    now = new Date(NOW.getTime() + 5000);
    expect(await reconciler.reconcile('drv')).toBeUndefined();
    expect(caches.mcms.store.get('drv')!.status!.rollout).toMatchObject({
      phase: 'Halted',
      pending: 0,
      failedClusters: [{ cluster: 'c1', reason: 'Failed' }],
    });
    await reconciler.reconcile('drv');

    // A resume changes only an annotation: no plan input moves, and still the gate sees it.
    const halted = caches.mcms.store.get('drv')!;
    caches.mcms.store.upsert({
      ...halted,
      metadata: {
        ...halted.metadata,
        annotations: { 'hub.kmm.sigs.x-k8s.io/resume-rollout': 'r1' },
      },
    });
    now = new Date(NOW.getTime() + 10_000);
    await reconciler.reconcile('drv');
    // c2 and c3 have not reported yet: moving, with c1's failure (before the resume) no longer counted.
    expect(caches.mcms.store.get('drv')!.status!.rollout).toMatchObject({
      phase: 'Progressing',
      resumeToken: 'r1',
      progressing: 2,
      failed: 1,
    });
    expect(hub.eventLines).toContain(
      'Normal RolloutResumed: resumed by hub.kmm.sigs.x-k8s.io/resume-rollout=r1',
    );
  });

  it('when only some clusters changed, compares and writes only their ManifestWorks, with the status over all', async () => {
    const { hub, caches, reconciler, clear, planInputs } = setup();
    await reconciler.reconcile('drv');
    clear();
    // c1 upgrades its kernel and c3 leaves the fleet: the controller's handlers name them.
    caches.clusters.store.upsert(cluster('c1', [K96]));
    planInputs.clustersChanged('c1');
    caches.clusters.store.remove('c3');
    planInputs.clustersChanged('c3');
    // c2 changes too, unannounced: proof that the works of clusters not named are not compared.
    caches.clusters.store.upsert(cluster('c2', [K96]));
    await reconciler.reconcile('drv');
    expect(hub.calls).toEqual(['update c1/drv', 'delete c3/drv', 'status drv']);
    expect(JSON.stringify(hub.works.get('c1/drv'))).toContain(K96);
    expect(JSON.stringify(hub.works.get('c2/drv'))).not.toContain(K96);
    expect(caches.mcms.store.get('drv')?.status?.numberDesired).toBe(2);

    // The plan made there holds (its writes succeeded): nothing more to do...
    clear();
    await reconciler.reconcile('drv');
    expect(hub.calls).toEqual([]);
    // ...until a resync, the safety net, plans every cluster's work again.
    planInputs.invalidateAll();
    await reconciler.reconcile('drv');
    expect(hub.calls).toEqual(['update c2/drv']);
  });

  it('on a 409 for a create of its own work the cache did not have yet, takes the work into the cache and retries', async () => {
    const { hub, caches, reconciler, clear, planInputs } = setup();
    await reconciler.reconcile('drv');
    // The cache lost c2's work (say the create's answer never came back, nor its watch event yet).
    caches.works.recordDelete(hub.works.get('c2/drv')!);
    planInputs.worksChanged('drv');
    clear();

    const failed = reconciler.reconcile('drv');
    await expect(failed).rejects.toThrow(ReconcileError);
    await expect(failed).rejects.toThrow(
      'create c2: ManifestWork c2/drv exists already (the cache was behind); retrying',
    );
    expect(hub.calls).toEqual(['create c2/drv', 'get c2/drv']);
    expect(caches.works.store.get('c2/drv')).toEqual(hub.works.get('c2/drv'));
    expect(hub.eventLines).toEqual([
      expect.stringMatching(/^Warning ManifestWorkWriteFailed: .*create c2: .*exists already/),
    ]);

    // the retry finds the work where it belongs: nothing to write
    clear();
    await reconciler.reconcile('drv');
    expect(hub.calls).toEqual([]);
  });

  it('on a 409 for a create of a ManifestWork it did not make, leaves that work alone and says so', async () => {
    const { hub, caches, reconciler } = setup();
    hub.seedWork({
      apiVersion: 'work.open-cluster-management.io/v1',
      kind: 'ManifestWork',
      metadata: { name: 'drv', namespace: 'c1', labels: { team: 'other' } },
      spec: { workload: { manifests: [] } },
    });

    const failed = reconciler.reconcile('drv');
    await expect(failed).rejects.toThrow(
      'ManifestWork c1/drv exists but is not labelled kmm.node.kubernetes.io/managedclustermodule.name=drv',
    );
    expect(hub.calls).toEqual([
      'create c1/drv',
      'create c2/drv',
      'create c3/drv',
      'get c1/drv',
      'status drv',
    ]);
    expect(hub.works.get('c1/drv')?.metadata.labels).toEqual({ team: 'other' });
    expect(caches.works.store.get('c1/drv')).toBeUndefined();
    expect(hub.eventLines).toEqual([
      'Normal ManifestWorksCreated: Created ManifestWorks for 2 clusters: c2, c3',
      expect.stringMatching(/^Warning ManifestWorkWriteFailed: .*create c1: .*not labelled/),
    ]);
  });

  it('on a 409 for an update, still writes the other works and the status, and updates that work on the retry', async () => {
    const { hub, caches, reconciler, clear, watchDelivers } = setup();
    await reconciler.reconcile('drv');
    caches.mcms.store.upsert(hub.seedMcm(withNewImage(caches.mcms.store.get('drv')!)));
    // Someone else changed c1's work since the cache saw it: the update's resourceVersion is stale.
    hub.seedWork(hub.works.get('c1/drv')!);
    clear();

    const failed = reconciler.reconcile('drv');
    await expect(failed).rejects.toThrow(
      'drv: 1 ManifestWork write(s) failed, first: update c1: the object has been modified',
    );
    expect(hub.calls).toEqual(['update c1/drv', 'update c2/drv', 'update c3/drv', 'status drv']);
    expect(hub.eventLines).toEqual([
      'Normal ManifestWorksUpdated: Updated the ManifestWorks of 2 clusters: c2, c3',
      expect.stringMatching(
        /^Warning ManifestWorkWriteFailed: .*update c1: the object has been modified/,
      ),
    ]);
    expect(caches.mcms.store.get('drv')?.status?.observedGeneration).toBe(2);

    watchDelivers('c1/drv');
    clear();
    await reconciler.reconcile('drv');
    expect(hub.calls).toEqual(['update c1/drv']);
    expect(JSON.stringify(hub.works.get('c1/drv')?.spec)).toContain('drv-v2');
  });

  it('on 429s, still writes the other works, and its error carries the longest Retry-After for the queue', async () => {
    const { hub, reconciler, clear } = setup();
    const throttled = (seconds: string) =>
      new ApiException(429, 'Too Many Requests', 'Too many requests, please try again later.\n', {
        'retry-after': seconds,
      });
    hub.intercept = (call) =>
      call === 'create c1/drv'
        ? throttled('1')
        : call === 'create c3/drv'
          ? throttled('3')
          : undefined;
    const error = await reconciler.reconcile('drv').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ReconcileError);
    expect((error as ReconcileError).message).toMatch(/2 ManifestWork write\(s\) failed/);
    expect((error as ReconcileError).retryAfterMs).toBe(3000);
    expect([...hub.works.keys()]).toEqual(['c2/drv']);

    hub.intercept = undefined;
    clear();
    await reconciler.reconcile('drv');
    expect(hub.calls).toEqual(['create c1/drv', 'create c3/drv']);
    expect([...hub.works.keys()].sort()).toEqual(['c1/drv', 'c2/drv', 'c3/drv']);
  });

  it('on a 409 for the status, fails as a conflict and writes the status from the newer MCM on the retry', async () => {
    const { hub, caches, reconciler, reconciles, clear } = setup();
    // The MCM changed on the server (say, an annotation) after the cache saw it.
    hub.seedMcm(caches.mcms.store.get('drv')!);

    const error = await reconciler.reconcile('drv').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isConflict(error)).toBe(true);
    expect(hub.calls.at(-1)).toBe('status drv');
    expect(caches.mcms.store.get('drv')?.status).toBeUndefined();
    expect(await reconciles('error')).toBe(1);

    caches.mcms.store.upsert(hub.mcms.get('drv')!);
    clear();
    await reconciler.reconcile('drv');
    expect(hub.calls).toEqual(['status drv']);
    expect(hub.mcms.get('drv')?.status?.numberDesired).toBe(3);
  });

  it('counts a 404 on a delete as deleted: the work is gone either way', async () => {
    const { hub, caches, reconciler, reconciles, clear } = setup();
    await reconciler.reconcile('drv');
    const deleting = structuredClone(caches.mcms.store.get('drv')!);
    deleting.metadata.deletionTimestamp = '2025-05-01T10:01:00Z';
    caches.mcms.store.upsert(deleting);
    // garbage collection got to c1's work first; the cache has not heard yet
    hub.works.delete('c1/drv');
    clear();

    await reconciler.reconcile('drv');
    expect(hub.calls).toEqual(['delete c1/drv', 'delete c2/drv', 'delete c3/drv']);
    expect(hub.works.size).toBe(0);
    expect(caches.works.store.list()).toEqual([]);
    expect(hub.eventLines).toEqual([
      'Normal ManifestWorksDeleted: Deleted the ManifestWorks of 3 clusters: c1, c2, c3 ' +
        '(the ManagedClusterModule is being deleted)',
    ]);
    expect(await reconciles('deleted')).toBe(1);
    expect(await reconciles('error')).toBe(0);
  });

  it('stops writing the moment leadership is lost mid-reconcile: no further work, no status, no Event', async () => {
    const { hub, caches, reconciler, reconciles, clear, setLeading } = setup({
      writeConcurrency: 1,
    });
    // The Lease is lost while the first create is in flight; that create still lands.
    hub.intercept = (call) => {
      if (call === 'create c1/drv') setLeading(false);
    };

    await expect(reconciler.reconcile('drv')).rejects.toThrow(NotLeaderError);
    expect(hub.calls).toEqual(['create c1/drv']);
    expect(caches.works.store.list().map((w) => w.metadata.namespace)).toEqual(['c1']);
    expect(hub.events).toEqual([]);
    expect(await reconciles('not_leader')).toBe(1);

    // Leading again (this replica or another), the next reconcile picks up where this one stopped.
    hub.intercept = undefined;
    setLeading(true);
    clear();
    await reconciler.reconcile('drv');
    expect(hub.calls).toEqual(['create c2/drv', 'create c3/drv', 'status drv']);
  });
});
