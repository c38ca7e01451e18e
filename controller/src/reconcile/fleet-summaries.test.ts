import { FakeHub, fakeCaches } from '../__fakes__/hub';
import { apiError, silentLogger } from '../__fakes__/kube';
import { InterimImageStates } from '../images/image-states';
import { WriteGate } from '../kube/write-gate';
import { createMetrics } from '../metrics';
import { K94, K96, cluster, mcm, reported } from '../model/__fixtures__/rollout';
import { decodeFleetSummary, fleetSummaryObject, type FleetSummaryData } from '../model';
import { FleetSummaryPublisher } from './fleet-summaries';
import { PlanInputs } from './plan-inputs';
import { MCMReconciler } from './reconciler';

// The publisher's promises: one computation and at most one write per MCM per interval, none when nothing
// changed (also across a restart), none unless leading; and the reconciler hands it what the caches hold.

const data = (kernels: string[]): FleetSummaryData => ({
  kernels,
  labels: [],
  messages: [],
  clusters: [{ n: 'c1', k: kernels.map((_, i) => i) }],
});

function setup(intervalMs = 50) {
  const hub = new FakeHub();
  let leading = true;
  const gate = new WriteGate({
    get isLeader() {
      return leading;
    },
  });
  const publisher = new FleetSummaryPublisher({
    writer: hub,
    gate,
    logger: silentLogger(),
    intervalMs,
  });
  const m = hub.seedMcm(mcm());
  let computed = 0;
  const publish = (d: FleetSummaryData) =>
    publisher.publish(m, () => {
      computed++;
      return d;
    });
  return {
    hub,
    publisher,
    m,
    publish,
    computed: () => computed,
    lead: (v: boolean) => (leading = v),
  };
}

describe('FleetSummaryPublisher', () => {
  it('creates the summary, owned by the MCM, then writes nothing while it stays the same', async () => {
    const t = setup();
    t.publish(data([K94]));
    await t.publisher.idle();
    expect(t.hub.summaryCalls).toEqual(['get summary drv', 'create summary drv']);
    const stored = t.hub.summaries.get('drv')!;
    expect(stored.metadata.ownerReferences?.[0]).toMatchObject({ name: 'drv', uid: 'uid-drv' });
    expect(stored.fleet).toEqual(data([K94]));
    t.hub.summaryCalls.length = 0;
    for (let i = 0; i < 3; i++) {
      t.publish(data([K94]));
      await t.publisher.idle();
    }
    expect(t.hub.summaryCalls).toEqual([]);
    await t.publisher.stop();
  });

  it('computes a burst of requests once per interval and writes the latest', async () => {
    const t = setup(200);
    t.publish(data([K94]));
    await t.publisher.idle();
    const before = t.computed();
    t.hub.summaryCalls.length = 0;
    const started = performance.now();
    for (let i = 0; i < 20; i++) t.publish(data(i % 2 ? [K94] : [K94, K96]));
    t.publish(data([K96]));
    await t.publisher.idle();
    expect(t.computed() - before).toBe(1);
    expect(performance.now() - started).toBeGreaterThanOrEqual(150); // waited out the interval
    expect(t.hub.summaryCalls).toEqual(['update summary drv']);
    expect(t.hub.summaries.get('drv')!.fleet.kernels).toEqual([K96]);
    await t.publisher.stop();
  });

  it('does not write a summary the server already holds (a restarted controller)', async () => {
    const t = setup();
    t.hub.summaries.set('drv', {
      ...fleetSummaryObject(t.m, data([K94])),
      metadata: { ...fleetSummaryObject(t.m, data([K94])).metadata, resourceVersion: '7' },
    });
    t.publish(data([K94]));
    await t.publisher.idle();
    expect(t.hub.summaryCalls).toEqual(['get summary drv']);
    await t.publisher.stop();
  });

  it('reads again and retries after a conflict', async () => {
    const t = setup(10);
    t.publish(data([K94]));
    await t.publisher.idle();
    // someone else replaced it meanwhile
    const theirs = t.hub.summaries.get('drv')!;
    t.hub.summaries.set('drv', {
      ...theirs,
      metadata: { ...theirs.metadata, resourceVersion: '9' },
    });
    t.hub.summaryCalls.length = 0;
    t.publish(data([K96]));
    await t.publisher.idle();
    expect(t.hub.summaryCalls).toEqual([
      'update summary drv',
      'get summary drv',
      'update summary drv',
    ]);
    expect(t.hub.summaries.get('drv')!.fleet.kernels).toEqual([K96]);
    await t.publisher.stop();
  });

  it('retries after an API error, with the newest request', async () => {
    const t = setup(10);
    let fail = true;
    t.hub.intercept = (call) =>
      fail && call.startsWith('create') ? apiError(500, 'InternalError', 'etcd') : undefined;
    t.publish(data([K94]));
    await new Promise((r) => setTimeout(r, 5));
    fail = false;
    await t.publisher.idle();
    expect(t.hub.summaryCalls.filter((c) => c.startsWith('create'))).toHaveLength(2);
    expect(t.hub.summaries.get('drv')!.fleet).toEqual(data([K94]));
    await t.publisher.stop();
  });

  it('writes nothing after stop, and stop waits for the write in flight', async () => {
    const t = setup(10);
    let release!: () => void;
    t.hub.hold = (call) =>
      call.startsWith('create') ? new Promise<void>((r) => (release = r)) : undefined;
    t.publish(data([K94]));
    await new Promise((r) => setTimeout(r, 20)); // the create is waiting
    let stopped = false;
    const stopping = t.publisher.stop().then(() => (stopped = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(stopped).toBe(false);
    release();
    await stopping;
    t.hub.summaryCalls.length = 0;
    t.publish(data([K96]));
    await new Promise((r) => setTimeout(r, 30));
    expect(t.hub.summaryCalls).toEqual([]);
  });

  it('neither reads nor writes unless this replica leads', async () => {
    const t = setup();
    t.lead(false);
    t.publish(data([K94]));
    await t.publisher.idle();
    expect(t.hub.summaryCalls).toEqual([]);
    await t.publisher.stop();
  });
});

describe('MCMReconciler and the fleet summary', () => {
  it('publishes what the caches hold: selected clusters, their works and the plan’s skips', async () => {
    const caches = fakeCaches();
    const hub = new FakeHub();
    const gate = new WriteGate({ isLeader: true });
    const summaries = new FleetSummaryPublisher({
      writer: hub,
      gate,
      logger: silentLogger(),
      intervalMs: 0,
    });
    const planInputs = new PlanInputs();
    const reconciler = new MCMReconciler({
      caches,
      writer: hub,
      gate,
      summaries,
      imageStates: new InterimImageStates(),
      planInputs,
      metrics: createMetrics({ processMetrics: false }),
      logger: silentLogger(),
      writeConcurrency: 4,
    });
    caches.mcms.store.upsert(hub.seedMcm(mcm()));
    caches.clusters.store.upsert(cluster('c1', [K94]));
    caches.clusters.store.upsert(cluster('c2', undefined));
    caches.clusters.store.upsert(cluster('other', [K94], { gpu: 'false' }));
    await reconciler.reconcile('drv');
    await summaries.idle();
    // the agent reports on the work the reconcile wrote
    const work = reported(hub.works.get('c1/drv')!, {
      applied: 'True',
      available: 'True',
      desired: 2,
    });
    caches.works.store.upsert(work);
    planInputs.worksChanged('drv');
    await reconciler.reconcile('drv');
    await summaries.idle();
    const facts = decodeFleetSummary(hub.summaries.get('drv')!.fleet);
    expect(facts.map((f) => f.cluster)).toEqual(['c1', 'c2']);
    expect(facts[0]!.work).toMatchObject({ applied: 'True', available: 'True' });
    expect([...facts[0]!.work!.sent]).toEqual([K94]);
    expect(facts[1]!.skips[0]!.code).toBe('NoKernelClaim');
    hub.summaryCalls.length = 0;
    hub.calls.length = 0;
    await reconciler.reconcile('drv');
    await summaries.idle();
    expect([...hub.calls, ...hub.summaryCalls]).toEqual([]); // steady state: nothing to write
    await summaries.stop();
  });
});
