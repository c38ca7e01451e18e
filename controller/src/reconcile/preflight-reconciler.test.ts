import { FakeCache } from '../__fakes__/hub';
import { K94, K96, mcm } from '../model/__fixtures__/rollout';
import { createMetrics } from '../metrics';
import { NotLeaderError, WriteGate } from '../kube/write-gate';
import type { KernelPreflight, ManagedClusterModule } from '../model';
import { PreflightReconciler, type PreflightWriter } from './preflight-reconciler';
import { silentLogger } from '../__fakes__/kube';

const preflight = (): KernelPreflight => ({
  apiVersion: 'hub.kmm.sigs.x-k8s.io/v1alpha1',
  kind: 'KernelPreflight',
  metadata: { name: 'next', generation: 2, resourceVersion: '5' },
  spec: { kernels: [{ version: K96 }] },
});

function setup() {
  const preflights = new FakeCache<KernelPreflight>();
  const mcms = new FakeCache<ManagedClusterModule>();
  const written: KernelPreflight[] = [];
  let rv = 5;
  const writer: PreflightWriter = {
    async updatePreflightStatus(p) {
      const stored = structuredClone(p);
      stored.metadata.resourceVersion = String(++rv);
      written.push(stored);
      return stored;
    },
  };
  let leading = true;
  const gate = new WriteGate(
    {
      get isLeader() {
        return leading;
      },
    },
    createMetrics({ processMetrics: false }),
  );
  const reconciler = new PreflightReconciler({
    preflights,
    mcms,
    writer,
    gate,
    logger: silentLogger(),
    now: () => new Date('2026-01-01T00:00:00.123Z'),
  });
  return { preflights, mcms, written, reconciler, lose: () => (leading = false) };
}

describe('PreflightReconciler', () => {
  it('writes the summary once, then nothing while the MCMs say the same', async () => {
    const { preflights, mcms, written, reconciler } = setup();
    preflights.store.upsert(preflight());
    const m = mcm();
    m.status = { preflight: [{ kernelVersion: K96, image: 'i', state: 'Ready' }] };
    mcms.store.upsert(m);
    await reconciler.reconcile('next');
    expect(written).toHaveLength(1);
    expect(written[0]!.status).toMatchObject({
      observedGeneration: 2,
      kernels: [{ version: K96, ready: 1, inProgress: 0, failed: 0 }],
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z' }],
    });
    // the write went into the cache: the next reconcile has nothing to do
    await reconciler.reconcile('next');
    expect(written).toHaveLength(1);
    // an MCM reporting another state changes the summary
    m.status = { preflight: [{ kernelVersion: K96, image: 'i', state: 'Failed' }] };
    mcms.store.upsert(m);
    await reconciler.reconcile('next');
    expect(written).toHaveLength(2);
    expect(written[1]!.status?.kernels?.[0]).toMatchObject({ ready: 0, failed: 1 });
  });

  it('does nothing for a missing or deleting object, and nothing when not leading', async () => {
    const { preflights, written, reconciler, lose } = setup();
    await reconciler.reconcile('next');
    preflights.store.upsert({
      ...preflight(),
      metadata: { ...preflight().metadata, deletionTimestamp: '2026-01-01T00:00:00Z' },
    });
    await reconciler.reconcile('next');
    expect(written).toEqual([]);
    preflights.store.upsert({ ...preflight(), spec: { kernels: [{ version: K94 }] } });
    lose();
    await expect(reconciler.reconcile('next')).rejects.toBeInstanceOf(NotLeaderError);
    expect(written).toEqual([]);
  });
});
