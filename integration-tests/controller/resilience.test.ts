import type { Controller } from 'kmm-hub-controller';
import { kernelVersionsOf } from 'kmm-hub-controller/model';
import { sleep, waitFor } from '../helpers';
import {
  clusters,
  controllerWrites,
  createMcm,
  deleteMcm,
  driverMcm,
  isReady,
  NAMESPACE,
  startController,
  startHub,
  updateMcm,
  waitForStatus,
  worksOf,
  type Hub,
} from './harness';

// The controller when the API server misbehaves and when it runs twice: a restart of the API server and a
// forced 410 Gone in the middle of a rollout, and two replicas with leader election.

jest.setTimeout(90_000);

let hub: Hub;
let withKmm: string[];

beforeAll(async () => {
  hub = await startHub(40);
  withKmm = (await clusters(hub))
    .filter((c) => kernelVersionsOf(c) !== undefined)
    .map((c) => c.metadata.name!)
    .sort();
});
afterAll(() => hub?.stop());
afterEach(() => hub.sandbox.faults.clear());

/** Writes that succeeded (failed ones carry their HTTP status as code). */
const apiWrites = async (c: Controller, verb?: string, resource?: string): Promise<number> =>
  (await c.metrics.apiWrites.get()).values
    .filter((v) => v.labels.code === '2xx')
    .filter((v) => verb === undefined || v.labels.verb === verb)
    .filter((v) => resource === undefined || v.labels.resource === resource)
    .reduce((sum, v) => sum + v.value, 0);

it('converges through an API server restart and a forced 410 Gone mid-rollout, creating each ManifestWork once', async () => {
  const controller = await startController(hub, { writeConcurrency: 2 });
  // Slow creates so that the restart lands while the rollout is under way.
  hub.sandbox.faults.setLatency(15, { verb: 'create', resource: 'manifestworks' });
  await createMcm(hub, driverMcm('bumpy', {}));
  await waitFor('a few works', async () => (await worksOf(hub, 'bumpy')).size >= 4, {
    intervalMs: 5,
  });
  const midway = (await worksOf(hub, 'bumpy')).size;
  expect(midway).toBeLessThan(withKmm.length);
  // Restart the API server; while the informers' new watches are held back, the world changes and the
  // watch history is compacted, so they must get 410 Gone and relist.
  hub.sandbox.faults.setLatency(300, { verb: 'watch' });
  await hub.sandbox.faults.restart({ downtimeMs: 100 });
  await hub.sandbox.fleet.relabel(withKmm[0]!, { touched: 'yes' });
  hub.sandbox.faults.compact();
  await sleep(400);
  hub.sandbox.faults.clear();

  const m = await waitForStatus(
    hub,
    'bumpy',
    'Ready after the restart',
    (x) => isReady(x) && x.status?.numberDesired === withKmm.length,
    40_000,
  );
  expect(m.status?.numberApplied).toBe(withKmm.length);
  const works = await worksOf(hub, 'bumpy');
  expect([...works.keys()].sort()).toEqual(withKmm);
  // No ManifestWork was created twice nor deleted: the generation-1 objects are the ones first created.
  expect(await apiWrites(controller, 'create', 'manifestworks')).toBe(withKmm.length);
  expect(await apiWrites(controller, 'delete', 'manifestworks')).toBe(0);
  for (const w of works.values()) expect(w.metadata.generation).toBe(1);
  const expired = (await controller.metrics.watchRestarts.get()).values.filter(
    (v) => v.labels.reason === 'expired',
  );
  expect(expired.reduce((sum, v) => sum + v.value, 0)).toBeGreaterThan(0);
  await controller.stop();
  await deleteMcm(hub, 'bumpy');
  await waitFor(
    'clean-up by the API server GC',
    async () => (await worksOf(hub, 'bumpy')).size === 0,
  );
});

it('with two replicas only the leader writes, and the other takes over when it stops', async () => {
  const a = await startController(hub, { leaderElection: { enabled: true } }, 'replica-a');
  await waitFor('a to lead', () => a.leadership.isLeader);
  const b = await startController(hub, { leaderElection: { enabled: true } }, 'replica-b');

  await createMcm(hub, driverMcm('twins', { gpu: 'true' }));
  await waitForStatus(hub, 'twins', 'Ready under a', isReady);
  expect(b.leadership.isLeader).toBe(false);
  expect(await apiWrites(a)).toBeGreaterThan(0);
  expect(await apiWrites(b)).toBe(0);
  const readyz = await fetch(`${b.httpUrl}/readyz?verbose`);
  expect(readyz.status).toBe(200);
  expect(await readyz.text()).toContain('[+]leader-election standby');

  await a.stop();
  await waitFor('b to lead', () => b.leadership.isLeader);
  const before = controllerWrites(hub);
  await updateMcm(hub, 'twins', (m) => {
    m.spec.moduleSpec.moduleLoader!.container.kernelMappings[0]!.containerImage =
      'quay.io/acme/drv-v2:${KERNEL_FULL_VERSION}';
  });
  await waitForStatus(hub, 'twins', 'Ready under b', isReady);
  expect(await apiWrites(b, 'update', 'manifestworks')).toBeGreaterThan(0);
  expect(controllerWrites(hub)).toBeGreaterThan(before);
  await deleteMcm(hub, 'twins');
  await b.stop();
});

it('a leader cut off from the Lease stops writing at once, and works again once it leads again', async () => {
  const a = await startController(hub, { leaderElection: { enabled: true } }, 'replica-c');
  await waitFor('c to lead', () => a.leadership.isLeader);
  await createMcm(hub, driverMcm('cutoff', { gpu: 'true' }));
  await waitForStatus(hub, 'cutoff', 'Ready under c', isReady);

  // Lease renewals fail: c must stop leading (and writing) within the renew deadline.
  hub.sandbox.faults.failNext({
    verb: 'update',
    resource: 'leases',
    count: 1_000_000,
    status: 500,
  });
  await waitFor('c to stop leading', () => !a.leadership.isLeader, { timeoutMs: 2000 });
  const writes = await apiWrites(a, undefined, 'manifestworks');
  await updateMcm(hub, 'cutoff', (m) => {
    m.spec.moduleSpec.moduleLoader!.container.kernelMappings[0]!.containerImage =
      'quay.io/acme/drv-v3:${KERNEL_FULL_VERSION}';
  });
  await sleep(500);
  expect(await apiWrites(a, undefined, 'manifestworks')).toBe(writes);
  expect(
    JSON.stringify([...(await worksOf(hub, 'cutoff')).values()].map((w) => w.spec)),
  ).not.toContain('drv-v3');

  // Renewals work again: c leads again (its Lease is still in its name) and rolls the change out.
  hub.sandbox.faults.clear();
  await waitFor('c to lead again', () => a.leadership.isLeader);
  await waitForStatus(
    hub,
    'cutoff',
    'Ready with the change',
    (m) => isReady(m) && m.status?.observedGeneration === 2,
  );
  for (const w of (await worksOf(hub, 'cutoff')).values())
    expect(JSON.stringify(w.spec)).toContain('drv-v3');
  await deleteMcm(hub, 'cutoff');
  await a.stop();
});

it('stops gracefully mid-rollout: not ready at once, the reconcile in hand finishes, the Lease is released, nothing written after', async () => {
  const c = await startController(
    hub,
    { writeConcurrency: 2, leaderElection: { enabled: true, leaseName: 'graceful' } },
    'replica-stop',
  );
  await waitFor('it to lead', () => c.leadership.isLeader);
  hub.sandbox.faults.setLatency(30, { verb: 'create', resource: 'manifestworks' });
  await createMcm(hub, driverMcm('halted', {}));
  await waitFor('the rollout under way', async () => (await worksOf(hub, 'halted')).size >= 2, {
    intervalMs: 5,
  });

  const stopping = c.stop();
  const readyz = await fetch(`${c.httpUrl}/readyz?verbose`);
  expect(readyz.status).toBe(503);
  expect(await readyz.text()).toContain('[-]leader-election failed: shutting down');
  await stopping;

  // The reconcile it held wrote every ManifestWork it had planned, and its status, before it stopped.
  const works = await worksOf(hub, 'halted');
  expect([...works.keys()].sort()).toEqual(withKmm);
  expect(await apiWrites(c, 'create', 'manifestworks')).toBe(withKmm.length);
  const lease = (await hub.api.getNamespacedCustomObject({
    group: 'coordination.k8s.io',
    version: 'v1',
    plural: 'leases',
    namespace: NAMESPACE,
    name: 'graceful',
  })) as { spec: { holderIdentity?: string } };
  expect(lease.spec.holderIdentity).toBe('');
  const after = controllerWrites(hub);
  await sleep(300);
  expect(controllerWrites(hub)).toBe(after);
  await deleteMcm(hub, 'halted');
  await waitFor(
    'clean-up by the API server GC',
    async () => (await worksOf(hub, 'halted')).size === 0,
  );
});

it('stops within --shutdown-timeout even when a reconcile hangs on the API server', async () => {
  const c = await startController(hub, { shutdownTimeoutMs: 300 });
  hub.sandbox.faults.setLatency(30_000, { verb: 'create', resource: 'manifestworks' });
  const creates = () => hub.sandbox.audit.count({ verb: 'create', resource: 'manifestworks' });
  const before = creates();
  await createMcm(hub, driverMcm('stuck', { gpu: 'true' }));
  await waitFor('creates hanging in the API server', () => creates() > before);
  const started = Date.now();
  await c.stop();
  // 300 ms of grace plus closing down, far from the 30 s the hanging creates would take.
  expect(Date.now() - started).toBeLessThan(15_000);
  hub.sandbox.faults.clear();
  await deleteMcm(hub, 'stuck');
});
