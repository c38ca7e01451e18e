import type { Controller } from 'kmm-hub-controller';
import { kernelVersionsOf, type ManagedCluster } from 'kmm-hub-controller/model';
import { sleep, waitFor } from '../helpers';
import {
  clusters,
  condition,
  controllerWrites,
  createMcm,
  deleteMcm,
  driverMcm,
  getMcm,
  isReady,
  kernelsOf,
  literalsOf,
  reconcileCounter,
  startController,
  startHub,
  updateMcm,
  waitForStatus,
  worksOf,
  type Hub,
} from './harness';

// The controller in-process against a sandbox hub with 30 simulated clusters: every scenario of issue 5
// about what gets rolled out where, asserted through the API server.

jest.setTimeout(60_000);

let hub: Hub;
let controller: Controller;
let fleet: ManagedCluster[];
const hasClaim = (c: ManagedCluster) => kernelVersionsOf(c) !== undefined;

beforeAll(async () => {
  hub = await startHub(30);
  controller = await startController(hub, { resyncPeriodMs: 400 });
  fleet = await clusters(hub);
});
afterAll(() => hub?.stop());

/** Clusters the selector picks that run KMM (have the kernel claim): the ones that must get a ManifestWork. */
const expected = (selector: Record<string, string>) =>
  fleet
    .filter((c) => Object.entries(selector).every(([k, v]) => c.metadata.labels?.[k] === v))
    .filter(hasClaim)
    .map((c) => c.metadata.name!)
    .sort();

it('rolls an MCM out to exactly the selected clusters that run KMM, with one literal mapping per kernel', async () => {
  await createMcm(hub, driverMcm('gpu-drv', { gpu: 'true' }));
  const want = expected({ gpu: 'true' });
  expect(want.length).toBeGreaterThan(2);
  const mcm = await waitForStatus(hub, 'gpu-drv', 'Ready', isReady);
  const works = await worksOf(hub, 'gpu-drv');
  expect([...works.keys()].sort()).toEqual(want);
  for (const [cluster, work] of works) expect(literalsOf(work)).toEqual(kernelsOf(hub, cluster));
  expect(mcm.status).toMatchObject({
    numberDesired: want.length,
    numberApplied: want.length,
    numberDegraded: 0,
  });
  expect(condition(mcm, 'Ready')?.reason).toBe('RolloutComplete');
  const selectedWithoutKmm = fleet.filter(
    (c) => c.metadata.labels?.gpu === 'true' && !hasClaim(c),
  ).length;
  if (selectedWithoutKmm > 0)
    expect(condition(mcm, 'Ready')?.message).toMatch(
      /have not reported kernel versions|has not reported/,
    );
});

it('makes zero API writes at steady state, through several resyncs, and after a controller restart', async () => {
  await createMcm(hub, driverMcm('steady', { cloud: 'Amazon' }));
  await waitForStatus(hub, 'steady', 'Ready', isReady);
  await waitForStatus(hub, 'gpu-drv', 'Ready', isReady);
  // Let the work agent's feedback settle into the status.
  await waitFor('a quiet period', async () => {
    const before = controllerWrites(hub);
    await sleep(500);
    return controllerWrites(hub) === before;
  });
  const before = controllerWrites(hub);
  // Reconciles read the informer caches: no get or list of MCMs or clusters (the work agent, not the
  // controller, reads ManifestWorks).
  const reads = () =>
    ['get', 'list'].reduce(
      (n, verb) =>
        n +
        hub.sandbox.audit.count({ verb, resource: 'managedclustermodules' }) +
        hub.sandbox.audit.count({ verb, resource: 'managedclusters' }),
      0,
    );
  const readsBefore = reads();
  // Several 400 ms resyncs of both MCMs, while the agent keeps syncing status every 30 ms.
  const started = Date.now();
  const reconciles = reconcileCounter(controller);
  await resyncs(controller, ['gpu-drv', 'steady'], 5);
  expect(controllerWrites(hub)).toBe(before);
  expect(reads()).toBe(readsBefore);
  // One reconcile per MCM per resync, not two (a resync lists 'steady' as an MCM and as the owner of
  // works): at most one per 400 ms since we started counting, plus one under way then, plus a boundary.
  expect(reconciles('steady')).toBeLessThanOrEqual(Math.floor((Date.now() - started) / 400) + 2);

  await controller.stop();
  controller = await startController(hub, { resyncPeriodMs: 400 });
  // Its first reconcile of each MCM (which finds everything in place), then a resync.
  await resyncs(controller, ['gpu-drv', 'steady'], 2);
  expect(controllerWrites(hub)).toBe(before);
  await deleteMcm(hub, 'steady');
});

it('follows relabelling: a newly selected cluster gets a ManifestWork, a deselected one loses it', async () => {
  await createMcm(hub, driverMcm('relabel', { team: 'storage' }));
  const [a, b] = fleet.filter(hasClaim).map((c) => c.metadata.name!);
  await hub.sandbox.fleet.relabel(a!, { team: 'storage' });
  await hub.sandbox.fleet.relabel(b!, { team: 'storage' });
  await waitFor('two works', async () => (await worksOf(hub, 'relabel')).size === 2);
  await waitForStatus(
    hub,
    'relabel',
    'Ready on 2',
    (m) => isReady(m) && m.status?.numberDesired === 2,
  );
  await hub.sandbox.fleet.relabel(a!, { team: null });
  await waitFor(
    'a deselected',
    async () => [...(await worksOf(hub, 'relabel')).keys()].join() === b,
  );
  const m = await waitForStatus(
    hub,
    'relabel',
    'Ready on 1',
    (x) => isReady(x) && x.status?.numberDesired === 1,
  );
  expect(m.status?.numberApplied).toBe(1);
  const deleted = await waitFor('the ManifestWorksDeleted Event', async () =>
    (await eventsAbout('relabel')).find((e) => e.reason === 'ManifestWorksDeleted'),
  );
  expect(deleted).toMatchObject({
    type: 'Normal',
    message: `Deleted the ManifestWorks of 1 cluster no longer selected or eligible: ${a}`,
  });
  await deleteMcm(hub, 'relabel');
});

it('rewrites a ManifestWork when its spoke upgrades its kernel', async () => {
  await createMcm(hub, driverMcm('upgrade', { gpu: 'true' }));
  await waitForStatus(hub, 'upgrade', 'Ready', isReady);
  const cluster = expected({ gpu: 'true' })[0]!;
  const before = (await worksOf(hub, 'upgrade')).get(cluster)!;
  const target = '5.14.0-570.99.1.el9_6.x86_64';
  await hub.sandbox.fleet.upgradeKernel(cluster, undefined, target);
  const after = await waitFor('the new kernel in the work', async () => {
    const w = (await worksOf(hub, 'upgrade')).get(cluster);
    return literalsOf(w).includes(target) ? w : undefined;
  });
  expect(literalsOf(after)).toEqual([target]);
  expect(after.metadata.uid).toBe(before.metadata.uid);
  await waitForStatus(hub, 'upgrade', 'Ready after the upgrade', isReady);
  const others = await worksOf(hub, 'upgrade');
  others.delete(cluster);
  for (const w of others.values()) expect(w.metadata.generation).toBe(1);
  await deleteMcm(hub, 'upgrade');
});

it('rolls a spec change out to every ManifestWork and reports the new generation', async () => {
  await createMcm(hub, driverMcm('respec', { gpu: 'true' }));
  await waitForStatus(hub, 'respec', 'Ready', isReady);
  const updated = await updateMcm(hub, 'respec', (m) => {
    m.spec.moduleSpec.moduleLoader!.container.kernelMappings[0]!.containerImage =
      'quay.io/acme/drv-v2:${KERNEL_FULL_VERSION}';
  });
  expect(updated.metadata.generation).toBe(2);
  const m = await waitForStatus(hub, 'respec', 'Ready at generation 2', isReady);
  expect(condition(m, 'Ready')?.observedGeneration).toBe(2);
  for (const [cluster, w] of await worksOf(hub, 'respec')) {
    const images = JSON.stringify(w.spec.workload);
    expect(images).toContain(`quay.io/acme/drv-v2:${kernelsOf(hub, cluster)[0]}`);
    expect(images).not.toContain('drv-v1');
  }
  // Events are written after the status, on their own.
  const reasons = ['ManifestWorksCreated', 'ManifestWorksUpdated', 'RolloutComplete'];
  const events = await waitFor(`Events ${reasons.join(', ')}`, async () => {
    const all = await eventsAbout('respec');
    return reasons.every((r) => all.some((e) => e.reason === r)) ? all : undefined;
  });
  const n = expected({ gpu: 'true' }).length;
  expect(events.find((e) => e.reason === 'ManifestWorksUpdated')?.message).toMatch(
    new RegExp(`^Updated the ManifestWorks of ${n} clusters: cluster-\\d+, `),
  );
  await deleteMcm(hub, 'respec');
});

it('serves clusters added to the fleet and forgets removed ones', async () => {
  await createMcm(hub, driverMcm('everyone', {}));
  await waitForStatus(hub, 'everyone', 'Ready', isReady);
  const desiredBefore = (await getMcm(hub, 'everyone')).status!.numberDesired!;
  const added = await hub.sandbox.fleet.addClusters(3);
  const addedWithKmm = added.filter((c) => hub.sandbox.fleet.profile(c).kmm);
  await waitFor('works for the added clusters', async () => {
    const works = await worksOf(hub, 'everyone');
    return addedWithKmm.every((c) => works.has(c));
  });
  const removed = expected({})[0]!;
  await hub.sandbox.fleet.removeCluster(removed);
  await waitFor(
    'the removed cluster gone',
    async () => !(await worksOf(hub, 'everyone')).has(removed),
  );
  const m = await waitForStatus(
    hub,
    'everyone',
    'Ready with the new fleet',
    (x) => isReady(x) && x.status?.numberDesired === desiredBefore + addedWithKmm.length - 1,
  );
  expect(m.status?.numberApplied).toBe(m.status?.numberDesired);
  await deleteMcm(hub, 'everyone');
  fleet = await clusters(hub);
});

it('deletes every ManifestWork of a deleted MCM', async () => {
  await createMcm(hub, driverMcm('doomed', { gpu: 'true' }));
  await waitForStatus(hub, 'doomed', 'Ready', isReady);
  expect((await worksOf(hub, 'doomed')).size).toBeGreaterThan(0);
  await deleteMcm(hub, 'doomed');
  await waitFor('no work left', async () => (await worksOf(hub, 'doomed')).size === 0);
});

it('deletes the ManifestWorks itself where garbage collection leaves them (orphan deletion), also after a restart', async () => {
  await createMcm(hub, driverMcm('orphaned', { gpu: 'true' }));
  await waitForStatus(hub, 'orphaned', 'Ready', isReady);
  await deleteMcm(hub, 'orphaned', 'Orphan');
  await waitFor('the orphaned works gone', async () => (await worksOf(hub, 'orphaned')).size === 0);

  // The same while no controller runs: the next one finds works whose MCM is gone and removes them.
  await createMcm(hub, driverMcm('orphaned-offline', { gpu: 'true' }));
  await waitForStatus(hub, 'orphaned-offline', 'Ready', isReady);
  await controller.stop();
  await deleteMcm(hub, 'orphaned-offline', 'Orphan');
  // The API server's garbage collector orphans them (drops the ownerReference); nothing deletes them.
  const left = await waitFor('the works orphaned', async () => {
    const works = await worksOf(hub, 'orphaned-offline');
    return [...works.values()].every((w) => (w.metadata.ownerReferences ?? []).length === 0)
      ? works
      : undefined;
  });
  expect(left.size).toBeGreaterThan(0);
  controller = await startController(hub, { resyncPeriodMs: 400 });
  await waitFor(
    'the works cleaned up by the new controller',
    async () => (await worksOf(hub, 'orphaned-offline')).size === 0,
  );
});

it('leaves the ManifestWorks of an MCM made invalid untouched, and says why in status and a Warning Event', async () => {
  await createMcm(hub, driverMcm('broken', { gpu: 'true' }));
  await waitForStatus(hub, 'broken', 'Ready', isReady);
  const before = await worksOf(hub, 'broken');
  await updateMcm(hub, 'broken', (m) => {
    m.spec.moduleSpec.moduleLoader!.container.kernelMappings[0]!.containerImage =
      'quay.io/acme/drv-untagged';
  });
  const m = await waitForStatus(
    hub,
    'broken',
    'InvalidSpec',
    (x) => condition(x, 'Degraded')?.reason === 'InvalidSpec',
  );
  expect(condition(m, 'Degraded')?.message).toContain(
    'spec.moduleSpec.moduleLoader.container.kernelMappings[0].containerImage',
  );
  expect(condition(m, 'Ready')).toMatchObject({ status: 'False', reason: 'InvalidSpec' });
  const warningsOf = async () => (await eventsAbout('broken')).filter((e) => e.type === 'Warning');
  await waitFor('the InvalidSpec Warning', async () => (await warningsOf()).length > 0);
  // Three 400 ms resyncs (longer than the Event recorder's one write per second): the invalid MCM is
  // reconciled again and again, and must neither touch its works nor repeat the Warning.
  await resyncs(controller, ['broken'], 3);
  const after = await worksOf(hub, 'broken');
  expect([...after.keys()]).toEqual([...before.keys()]);
  for (const [cluster, w] of after) expect(w.spec).toEqual(before.get(cluster)!.spec);
  const warnings = await warningsOf();
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toMatchObject({ reason: 'InvalidSpec', count: 1 });
  await deleteMcm(hub, 'broken');
});

it('reports offline clusters without withdrawing their ManifestWorks', async () => {
  await createMcm(hub, driverMcm('offline', { gpu: 'true' }));
  await waitForStatus(hub, 'offline', 'Ready', isReady);
  const cluster = expected({ gpu: 'true' })[1]!;
  const work = (await worksOf(hub, 'offline')).get(cluster)!;
  await hub.sandbox.fleet.setOffline(cluster, true);
  const m = await waitForStatus(hub, 'offline', 'offline noted', (x) =>
    (condition(x, 'Ready')?.message ?? '').includes('offline'),
  );
  expect(condition(m, 'Ready')?.message).toContain(cluster);
  expect((await worksOf(hub, 'offline')).get(cluster)?.metadata.uid).toBe(work.metadata.uid);
  await hub.sandbox.fleet.setOffline(cluster, false);
  await waitForStatus(
    hub,
    'offline',
    'online again',
    (x) => isReady(x) && !(condition(x, 'Ready')?.message ?? '').includes('offline'),
  );
  await deleteMcm(hub, 'offline');
});

it("reflects the work agent's Applied/Available and feedback: unpullable images degrade the MCM", async () => {
  await createMcm(hub, driverMcm('pull', { gpu: 'true' }, 'v7'));
  const ready = await waitForStatus(hub, 'pull', 'Ready', isReady);
  expect(ready.status?.numberApplied).toBe(expected({ gpu: 'true' }).length);
  hub.sandbox.fleet.setImagePullable('quay.io/acme/drv-v7:*', false);
  // The work agent reports cluster by cluster: Degraded turns True with the first report, so wait for all.
  const all = expected({ gpu: 'true' }).length;
  const m = await waitForStatus(
    hub,
    'pull',
    `Degraded on all ${all} clusters`,
    (x) => condition(x, 'Degraded')?.status === 'True' && x.status?.numberDegraded === all,
  );
  expect(condition(m, 'Degraded')?.message).toContain(`${all} of ${all} eligible clusters`);
  expect(condition(m, 'Degraded')).toMatchObject({ reason: 'ManifestWorksDegraded' });
  expect(condition(m, 'Degraded')?.message).toMatch(/moduleLoader: 0 of \d+ nodes available/);
  expect(condition(m, 'Ready')?.status).toBe('False');
  hub.sandbox.fleet.setImagePullable('quay.io/acme/drv-v7:*', true);
  const healed = await waitForStatus(hub, 'pull', 'Ready again', isReady);
  expect(healed.status?.numberDegraded).toBe(0);
  await deleteMcm(hub, 'pull');
});

async function eventsAbout(name: string) {
  const list = await hub.core.listNamespacedEvent({ namespace: 'default' });
  return list.items.filter((e) => e.involvedObject.name === name);
}

/** Waits until the controller has finished `n` more reconciles of each MCM named. */
async function resyncs(c: Controller, mcms: string[], n: number): Promise<void> {
  const reconciles = reconcileCounter(c);
  await waitFor(`${n} more reconciles of ${mcms.join(', ')}`, () =>
    mcms.every((m) => reconciles(m) >= n),
  );
}
