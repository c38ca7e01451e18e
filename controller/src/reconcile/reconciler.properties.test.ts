import fc from 'fast-check';
import { FakeHub, fakeCaches } from '../__fakes__/hub';
import { silentLogger } from '../__fakes__/kube';
import {
  leaks,
  propertyParameters,
  someCluster,
  someMcm,
  validMcm,
  withStatuses,
  workStatus,
} from '../__fakes__/arbitraries';
import { InterimImageStates } from '../images/image-states';
import { WriteGate } from '../kube/write-gate';
import { createMetrics } from '../metrics';
import { planManagedClusterModule, type ManagedCluster, type ManagedClusterModule } from '../model';
import { PlanInputs } from './plan-inputs';
import { MCMReconciler } from './reconciler';

// The reconciler fed bad input through its caches (fast-check; fixed seed, KMM_PROPERTY_RUNS for more): any
// MCM spec the CRD lets through, any fleet, ManifestWorks already rolled out with any status. A reconcile
// always settles (no crash, no unhandled rejection), and no write carries a hub build, signature or hub-only
// Secret to a spoke.

const NOW = new Date('2026-01-01T00:00:00Z');

/** Whatever the spec, the API server serves the MCM with its name. */
const servedMcm = someMcm
  .filter((m) => m !== null && typeof m === 'object' && !Array.isArray(m))
  .map((m) => {
    const served = m as ManagedClusterModule;
    if (typeof served.metadata !== 'object' || served.metadata === null) served.metadata = {};
    served.metadata.name = 'drv';
    served.metadata.uid = 'uid-drv';
    return served;
  });

async function reconcileOnce(
  mcm: ManagedClusterModule,
  clusters: ManagedCluster[],
  statuses: unknown[],
) {
  const caches = fakeCaches();
  const hub = new FakeHub();
  const metrics = createMetrics({ processMetrics: false });
  caches.mcms.store.upsert(hub.seedMcm(mcm));
  for (const c of clusters) caches.clusters.store.upsert(c);
  // What an earlier, valid generation rolled out, as the agents now report it.
  const earlier = planManagedClusterModule(validMcm(), clusters).manifestWorks;
  for (const w of withStatuses(earlier, statuses)) {
    hub.works.set(`${w.metadata.namespace}/${w.metadata.name}`, structuredClone(w));
    caches.works.store.upsert(w);
  }
  const reconciler = new MCMReconciler({
    caches,
    writer: hub,
    gate: new WriteGate({ isLeader: true }, metrics),
    imageStates: new InterimImageStates(),
    planInputs: new PlanInputs(),
    metrics,
    logger: silentLogger(),
    writeConcurrency: 4,
    now: () => NOW,
  });
  await reconciler.reconcile('drv');
  return hub;
}

describe('reconciler properties', () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  beforeAll(() => process.on('unhandledRejection', onUnhandled));
  afterAll(() => process.off('unhandledRejection', onUnhandled));

  it('settles on any input, and writes nothing hub-only to a spoke', async () => {
    await fc.assert(
      fc.asyncProperty(
        servedMcm,
        fc.array(someCluster, { maxLength: 4 }),
        fc.array(workStatus, { maxLength: 3 }),
        async (mcm, clusters, statuses) => {
          const hub = await reconcileOnce(mcm, clusters, statuses);
          for (const w of hub.works.values()) expect(leaks(w)).toEqual([]);
          expect(JSON.stringify(hub.mcms.get('drv')?.status ?? {})).not.toMatch(/canary-/);
        },
      ),
      propertyParameters(40),
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(unhandled).toEqual([]);
  });
});
