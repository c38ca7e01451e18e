import type { ManagedCluster } from 'kmm-hub-controller/model';
import { kernelVersionsOf } from 'kmm-hub-controller/model';
import { waitFor } from '../helpers';
import {
  clusters,
  condition,
  createMcm,
  driverMcm,
  startController,
  startHub,
  waitForStatus,
  type Hub,
} from './harness';

// The root cause of a spoke failure reaches the person: an MCM whose spokeNamespace does not exist on the
// spokes, applied by the simulated work agent (which reports the spoke's error on each manifest, as OCM does).

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
