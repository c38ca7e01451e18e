import { startApiServer, type ApiServerHandle } from 'kmm-hub-sandbox';
import { Informer, MCM_RESOURCE, createMetrics, type ControllerMetrics } from 'kmm-hub-controller';
import type { KubeObject } from 'kmm-hub-controller/model';
import { kubeConfigFrom, sleep, testLogger, waitFor } from '../helpers';

// A watch that stays quiet for longer than client-node's 30 s inactivity timeout, against an API server that
// sends bookmarks only about once a minute, as kube-apiserver does (the sandbox's default). Two informers on the
// same resource: one with the controller's idle timeout (above kube's bookmark period: the watch is never cut),
// one with client-node's 30 s (cut while quiet: it must resume from its last resourceVersion, relist nothing,
// count no error, and lose nothing written while it reconnects).

jest.setTimeout(90_000);

const mcm = (name: string) => ({
  apiVersion: 'hub.kmm.sigs.x-k8s.io/v1beta1',
  kind: 'ManagedClusterModule',
  metadata: { name },
  spec: {
    spokeNamespace: 'kmm',
    selector: {},
    moduleSpec: {
      selector: {},
      moduleLoader: {
        container: {
          modprobe: { moduleName: 'm' },
          kernelMappings: [{ literal: '1', containerImage: 'i:1' }],
        },
      },
    },
  },
});

async function sample(metrics: ControllerMetrics, name: string, labels: string): Promise<number> {
  const text = await metrics.registry.getSingleMetricAsString(name);
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

const restarts = (m: ControllerMetrics, reason: string) =>
  sample(m, 'kmm_hub_watch_restarts_total', `resource="managedclustermodules",reason="${reason}"`);
const lists = (m: ControllerMetrics) =>
  sample(m, 'kmm_hub_api_reads_total', 'verb="list",resource="managedclustermodules"');

let server: ApiServerHandle;
const informers: Informer<KubeObject>[] = [];

beforeAll(async () => {
  server = await startApiServer();
});
afterAll(async () => {
  await Promise.all(informers.map((i) => i.stop()));
  await server.stop();
});

function start(watchIdleTimeoutMs?: number) {
  const metrics = createMetrics({ processMetrics: false });
  const informer = new Informer<KubeObject>({
    kubeConfig: kubeConfigFrom(server.kubeconfig),
    resource: MCM_RESOURCE,
    logger: testLogger(),
    metrics,
    ...(watchIdleTimeoutMs ? { watchIdleTimeoutMs } : {}),
  });
  informers.push(informer);
  const added: string[] = [];
  informer.on({ add: (o) => added.push(o.metadata?.name ?? '') });
  informer.start();
  return { informer, metrics, added };
}

it('resumes a watch quiet for more than 30 s without a relist, an error or a lost event', async () => {
  server.objects.create(mcm('before'));
  const controllers = start();
  const clientNodes = start(30_000);
  await Promise.all([controllers.informer.whenSynced(), clientNodes.informer.whenSynced()]);
  const quietSince = Date.now();

  // Nothing changes for 30 s: client-node's timeout ends the second informer's watch. New watches are slowed
  // down shortly before, so that its reconnection takes a while (open watches are not affected).
  await sleep(25_000);
  server.faults.setLatency(3000, { verb: 'watch' });
  await waitFor(
    'the 30 s idle timeout',
    async () => (await restarts(clientNodes.metrics, 'closed')) > 0,
    { timeoutMs: 20_000, intervalMs: 50 },
  );
  expect(Date.now() - quietSince).toBeGreaterThanOrEqual(29_500);
  // Written while its next watch is held up by the latency: the resumed watch must replay it.
  await waitFor(
    'the reconnection to reach the server',
    () => server.audit.count({ verb: 'watch', resource: 'managedclustermodules' }) === 3,
  );
  server.objects.create(mcm('while-reconnecting'));
  expect(clientNodes.added).not.toContain('while-reconnecting');
  await waitFor('the resumed watch to replay it', () =>
    clientNodes.added.includes('while-reconnecting'),
  );
  server.faults.clear();
  server.objects.create(mcm('after'));
  await waitFor('both informers to see the last one', () =>
    [controllers, clientNodes].every((i) => i.added.includes('after')),
  );
  expect(Date.now() - quietSince).toBeGreaterThan(30_000);

  for (const { added } of [controllers, clientNodes]) {
    expect(added).toEqual(['before', 'while-reconnecting', 'after']);
  }
  // One list each, at the start; the audit agrees with the informers' own counts.
  expect(server.audit.count({ verb: 'list', resource: 'managedclustermodules' })).toBe(2);
  for (const { metrics } of [controllers, clientNodes]) {
    expect(await lists(metrics)).toBe(1);
    expect(await restarts(metrics, 'error')).toBe(0);
    expect(await restarts(metrics, 'expired')).toBe(0);
  }
  // The controller's idle timeout outlasts kube's bookmark period: its quiet watch was never cut.
  expect(await restarts(controllers.metrics, 'closed')).toBe(0);
  expect(await restarts(clientNodes.metrics, 'closed')).toBe(1);
  expect(server.audit.count({ verb: 'watch', resource: 'managedclustermodules' })).toBe(3);
});
