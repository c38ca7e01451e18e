import type { Controller } from 'kmm-hub-controller';
import { MANAGED_CLUSTER_RESOURCE, MANIFEST_WORK_RESOURCE } from 'kmm-hub-controller';
import type { ManagedCluster, ManifestWork } from 'kmm-hub-controller/model';
import { waitFor } from '../helpers';
import {
  condition,
  createMcm,
  deleteMcm,
  driverMcm,
  isReady,
  kernelsOf,
  literalsOf,
  startController,
  startHub,
  waitForStatus,
  worksOf,
  type Hub,
} from './harness';

// A reconcile reuses its MCM's plan while nothing the plan depends on changed (a fleet reporting ManifestWork
// status costs status updates, not a plan of every cluster each time), and plans anew for anything else. The
// controller here resyncs only every 10 minutes, so each re-plan below comes from the change itself.

jest.setTimeout(60_000);

let hub: Hub;
let controller: Controller;

beforeAll(async () => {
  hub = await startHub(20);
  controller = await startController(hub);
});
afterAll(() => hub?.stop());

const plans = async (source: 'computed' | 'reused'): Promise<number> =>
  (await controller.metrics.plans.get()).values.find((v) => v.labels.source === source)?.value ?? 0;

async function replaceWork(work: ManifestWork, change: (w: ManifestWork) => void): Promise<void> {
  const body: ManifestWork = JSON.parse(JSON.stringify(work));
  change(body);
  await hub.api.replaceNamespacedCustomObject({
    ...MANIFEST_WORK_RESOURCE,
    namespace: body.metadata.namespace!,
    name: body.metadata.name!,
    body,
  });
}

it('reuses the plan while only the work agent reports, and still reports what it says', async () => {
  await createMcm(hub, driverMcm('reuse', { gpu: 'true' }, 'r1'));
  const ready = await waitForStatus(hub, 'reuse', 'Ready', isReady);
  const all = ready.status!.numberDesired!;
  const computed = await plans('computed');
  const reused = await plans('reused');

  hub.sandbox.fleet.setImagePullable('quay.io/acme/drv-r1:*', false);
  await waitForStatus(
    hub,
    'reuse',
    `Degraded on all ${all} clusters`,
    (m) => condition(m, 'Degraded')?.status === 'True' && m.status?.numberDegraded === all,
  );
  hub.sandbox.fleet.setImagePullable('quay.io/acme/drv-r1:*', true);
  await waitForStatus(hub, 'reuse', 'Ready again', isReady);
  expect(await plans('reused')).toBeGreaterThan(reused);
  expect(await plans('computed')).toBe(computed);
});

it('keeps the plan through a cluster update that kmm-hub does not read (another claim)', async () => {
  const cluster = [...(await worksOf(hub, 'reuse')).keys()][0]!;
  const computed = await plans('computed');
  const c = (await hub.api.getClusterCustomObject({
    ...MANAGED_CLUSTER_RESOURCE,
    name: cluster,
  })) as ManagedCluster;
  c.status!.clusterClaims = [
    ...(c.status!.clusterClaims ?? []),
    { name: 'qa.example.com', value: 'x' },
  ];
  await hub.api.replaceClusterCustomObjectStatus({
    ...MANAGED_CLUSTER_RESOURCE,
    name: cluster,
    body: c,
  });
  await waitFor('the informer to see the claim', () =>
    controller.caches.clusters.store
      .get(cluster)
      ?.status?.clusterClaims?.some((x) => x.name === 'qa.example.com'),
  );
  // Work status reports after it still reuse the plan.
  hub.sandbox.fleet.setImagePullable('quay.io/acme/drv-r1:*', false);
  await waitForStatus(hub, 'reuse', 'Degraded', (m) => condition(m, 'Degraded')?.status === 'True');
  hub.sandbox.fleet.setImagePullable('quay.io/acme/drv-r1:*', true);
  await waitForStatus(hub, 'reuse', 'Ready again', isReady);
  expect(await plans('computed')).toBe(computed);
});

it('reports a cluster going offline and back without planning anew (availability is not a plan input)', async () => {
  const cluster = [...(await worksOf(hub, 'reuse')).keys()][1]!;
  const computed = await plans('computed');
  await hub.sandbox.fleet.setOffline(cluster, true);
  const m = await waitForStatus(hub, 'reuse', 'the cluster reported offline', (x) =>
    (condition(x, 'Ready')?.message ?? '').includes('offline'),
  );
  expect(condition(m, 'Ready')?.message).toContain(cluster);
  await hub.sandbox.fleet.setOffline(cluster, false);
  await waitForStatus(hub, 'reuse', 'Ready again', isReady);
  expect(await plans('computed')).toBe(computed);
});

it('plans anew and puts back a ManifestWork someone else changed (its workload, its owner)', async () => {
  const [cluster, work] = [...(await worksOf(hub, 'reuse'))][0]!;
  const computed = await plans('computed');
  await replaceWork(work, (w) => {
    (
      w.spec.workload.manifests[0] as { spec: { moduleLoader: { container: object } } }
    ).spec.moduleLoader.container = { modprobe: { moduleName: 'evil' }, kernelMappings: [] };
  });
  const restored = await waitFor('the workload put back', async () => {
    const w = (await worksOf(hub, 'reuse')).get(cluster);
    return w && literalsOf(w).length > 0 && w.metadata.generation! > 1 ? w : undefined;
  });
  expect(literalsOf(restored)).toEqual(kernelsOf(hub, cluster));
  expect(await plans('computed')).toBeGreaterThan(computed);

  await replaceWork(restored, (w) => {
    w.metadata.ownerReferences = [];
  });
  await waitFor(
    'the ownerReference put back',
    async () =>
      (await worksOf(hub, 'reuse')).get(cluster)?.metadata.ownerReferences?.[0]?.kind ===
      'ManagedClusterModule',
  );
});

it('plans anew when a cluster changes (kernel upgrade, relabelling)', async () => {
  const cluster = [...(await worksOf(hub, 'reuse')).keys()][0]!;
  const target = '5.14.0-570.98.1.el9_6.x86_64';
  await hub.sandbox.fleet.upgradeKernel(cluster, undefined, target);
  await waitFor('the upgraded kernel in the work', async () =>
    literalsOf((await worksOf(hub, 'reuse')).get(cluster)).includes(target),
  );
  await hub.sandbox.fleet.relabel(cluster, { gpu: null });
  await waitFor(
    'the deselected cluster without a work',
    async () => !(await worksOf(hub, 'reuse')).has(cluster),
  );
  await deleteMcm(hub, 'reuse');
});
