import type { ManagedCluster } from 'kmm-hub-controller/model';
import { kernelVersionsOf } from 'kmm-hub-controller/model';
import { waitFor } from '../helpers';
import {
  clusters,
  condition,
  createMcm,
  driverMcm,
  isReady,
  startController,
  startHub,
  updateMcm,
  waitForStatus,
  worksOf,
  type Hub,
} from './harness';

// The root cause of a spoke failure reaches the person: an MCM whose spokeNamespace does not exist on the
// spokes, spokes without the Module kind, and a Module update the spoke KMM's webhook refuses, applied by the
// simulated work agent (which reports the spoke's error on each manifest, in OCM's words).

jest.setTimeout(60_000);

let hub: Hub;

beforeAll(async () => {
  hub = await startHub(8);
  await startController(hub);
});
afterAll(() => hub?.stop());

it('groups the clusters by cause in the Degraded condition and an Event, naming the missing namespace', async () => {
  const mcm = driverMcm('e2e-drv', {});
  mcm.spec.spokeNamespace = 'kmm-e2e';
  const created = await createMcm(hub, mcm);
  const withKmm = (await clusters(hub)).filter((c: ManagedCluster) => kernelVersionsOf(c));
  const n = withKmm.length;
  expect(n).toBeGreaterThan(1);

  const degraded = await waitForStatus(
    hub,
    'e2e-drv',
    'every cluster degraded',
    (m) => m.status?.numberDegraded === n,
  );
  const cause = 'namespace kmm-e2e does not exist on the spoke; create it, or use openshift-kmm';
  expect(condition(degraded, 'Degraded')).toMatchObject({
    status: 'True',
    reason: 'ManifestWorksDegraded',
  });
  // One sentence for the whole fleet, not the work agent's "Failed to apply manifest work" per cluster.
  expect(condition(degraded, 'Degraded')?.message).toMatch(
    new RegExp(`^${n} of ${n} eligible clusters report a problem\\. ${n} clusters: ${cause} \\(`),
  );
  expect(condition(degraded, 'Degraded')?.message).not.toMatch(/Failed to apply manifest work/);

  const events = await waitFor('the Warning Event', async () => {
    const list = await hub.core.listNamespacedEvent({ namespace: 'default' });
    const found = list.items.filter(
      (e) => e.involvedObject.uid === created.metadata.uid && e.reason === 'ManifestWorksDegraded',
    );
    return found.some((e) => e.message?.includes(`${n} clusters: ${cause}`)) ? found : undefined;
  });
  expect(events[0]?.type).toBe('Warning');
});

/** The Warning Events about an MCM whose message carries `text`. */
const warningWith = (uid: string | undefined, text: string) =>
  waitFor(`a ManifestWorksDegraded Event saying "${text}"`, async () => {
    const list = await hub.core.listNamespacedEvent({ namespace: 'default' });
    const found = list.items.filter(
      (e) =>
        e.involvedObject.uid === uid &&
        e.reason === 'ManifestWorksDegraded' &&
        e.type === 'Warning' &&
        e.message?.includes(text),
    );
    return found.length > 0 ? found : undefined;
  });

it('names the spokes that have no Module kind, then clears once KMM is back', async () => {
  const withKmm = (await clusters(hub)).filter((c: ManagedCluster) => kernelVersionsOf(c));
  const gone = withKmm.slice(0, 2).map((c) => c.metadata.name!);
  for (const c of gone) expect(await hub.sandbox.fleet.removeKmmCrds(c)).toBe(true);
  const created = await createMcm(hub, driverMcm('crd-drv', {}));

  const degraded = await waitForStatus(
    hub,
    'crd-drv',
    'the two clusters degraded',
    (m) => m.status?.numberDegraded === 2 && m.status?.numberApplied === withKmm.length - 2,
  );
  const cause =
    'KMM is not installed on the spoke (it has no Module kind): install KMM there in managed mode (KMM_MANAGED=1)';
  expect(condition(degraded, 'Degraded')?.message).toBe(
    `2 of ${withKmm.length} eligible clusters report a problem. 2 clusters: ${cause} (${[...gone].sort().join(', ')}).`,
  );
  await warningWith(created.metadata.uid, `2 clusters: ${cause}`);

  // The spoke's own words, as OCM's work agent reports them, one level down.
  const work = (await worksOf(hub, 'crd-drv')).get(gone[0]!);
  expect(
    work?.status?.resourceStatus?.manifests?.[0]?.conditions?.find((c) => c.type === 'Applied'),
  ).toMatchObject({
    status: 'False',
    message: `Failed to apply manifest: the server doesn't have a resource type "Module"`,
  });

  for (const c of gone) expect(await hub.sandbox.fleet.installKmm(c)).toBe(true);
  await waitForStatus(hub, 'crd-drv', 'no cluster degraded', (m) => m.status?.numberDegraded === 0);
});

it('names the webhook refusal of an added version, leaving the spokes their Modules', async () => {
  const created = await createMcm(hub, driverMcm('ver-drv', {}));
  const ready = await waitForStatus(hub, 'ver-drv', 'Ready', isReady);
  const n = ready.status!.numberDesired!;
  await updateMcm(hub, 'ver-drv', (m) => {
    m.spec.moduleSpec.moduleLoader!.container.version = 'v2';
  });

  const degraded = await waitForStatus(
    hub,
    'ver-drv',
    'every cluster refusing the update',
    (m) => m.status?.observedGeneration === m.metadata.generation && m.status?.numberDegraded === n,
  );
  const cause =
    "the spoke's KMM webhook refuses to add or remove moduleLoader.container.version on an existing " +
    'Module: delete the ManagedClusterModule and create it again with the version, or undo the change';
  expect(condition(degraded, 'Degraded')?.message).toMatch(
    new RegExp(
      `^${n} of ${n} eligible clusters report a problem\\. ${n} clusters: ${cause.replace(/[.()]/g, '\\$&')} \\(`,
    ),
  );
  await warningWith(created.metadata.uid, `${n} clusters: ${cause}`);
  // a refused update leaves the Module that was applied before
  const [cluster] = (await worksOf(hub, 'ver-drv')).keys();
  const module = hub.sandbox.fleet.spokeModule(cluster!, 'ver-drv') as
    { spec: { moduleLoader: { container: { version?: string } } } } | undefined;
  expect(module).toBeDefined();
  expect(module!.spec.moduleLoader.container.version).toBeUndefined();
});
