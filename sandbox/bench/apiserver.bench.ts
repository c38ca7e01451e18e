/**
 * Sandbox API server benchmark at fleet size (default 3,500 clusters: 3,500 namespaces, 3,500
 * ManagedClusters, 3 ManifestWorks per cluster, 40 watches). Prints creates/s, list latency and watch
 * fan-out latency, each with a ratio against a bare Node HTTP server in the same process doing the
 * same transport work (echoing the same bodies, serving a body of the same size, broadcasting the same
 * lines). Plain HTTP on loopback with keep-alive for both (the kubeconfig path adds TLS).
 *
 *   npm run bench:sandbox -- [--clusters 3500] [--watchers 40]
 */
import {
  createServer,
  request,
  Agent,
  type ClientRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { startApiServer } from '../src/server';

const arg = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const CLUSTERS = arg('clusters', 3500);
const WORKS_PER_CLUSTER = 3;
const WATCHERS = arg('watchers', 40);
const CONCURRENCY = 32;
const FANOUT_EVENTS = 200;
const LIST_RUNS = 5;

const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function send(
  base: string,
  token: string,
  method: string,
  path: string,
  body?: string,
  type = 'application/json',
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}${path}`,
      {
        method,
        agent,
        headers: {
          Authorization: `Bearer ${token}`,
          'Content-Type': type,
          Accept: 'application/json',
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function pool<T>(items: T[], run: (item: T) => Promise<void>): Promise<number> {
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < items.length) await run(items[next++] as T);
    }),
  );
  return performance.now() - started;
}

const clusterName = (i: number) => `cluster-${String(i).padStart(4, '0')}`;

function managedCluster(i: number): string {
  return JSON.stringify({
    apiVersion: 'cluster.open-cluster-management.io/v1',
    kind: 'ManagedCluster',
    metadata: {
      name: clusterName(i),
      labels: {
        name: clusterName(i),
        cloud: ['Amazon', 'Azure', 'Google'][i % 3],
        vendor: 'OpenShift',
        region: `r${i % 7}`,
        gpu: String(i % 4 === 0),
      },
    },
    spec: { hubAcceptsClient: true, leaseDurationSeconds: 60 },
  });
}

function manifestWork(i: number, w: number): string {
  const name = `module-${w}`;
  return JSON.stringify({
    apiVersion: 'work.open-cluster-management.io/v1',
    kind: 'ManifestWork',
    metadata: {
      name,
      namespace: clusterName(i),
      labels: { 'kmm.node.kubernetes.io/managedclustermodule.name': name },
    },
    spec: {
      workload: {
        manifests: [
          {
            apiVersion: 'kmm.sigs.x-k8s.io/v1beta1',
            kind: 'Module',
            metadata: { name, namespace: 'kmm' },
            spec: {
              selector: { 'feature.node.kubernetes.io/pci-10de.present': 'true' },
              moduleLoader: {
                container: {
                  modprobe: { moduleName: name },
                  kernelMappings: [
                    {
                      literal: '5.14.0-427.13.1.el9_4.x86_64',
                      containerImage: `quay.io/example/${name}@sha256:${'a'.repeat(64)}`,
                    },
                    {
                      literal: '5.14.0-570.12.1.el9_6.x86_64',
                      containerImage: `quay.io/example/${name}@sha256:${'b'.repeat(64)}`,
                    },
                  ],
                },
              },
            },
          },
        ],
      },
      manifestConfigs: [
        {
          resourceIdentifier: {
            group: 'kmm.sigs.x-k8s.io',
            resource: 'modules',
            name,
            namespace: 'kmm',
          },
          feedbackRules: [
            {
              type: 'JSONPaths',
              jsonPaths: [
                { name: 'availableNumber', path: '.status.moduleLoader.availableNumber' },
              ],
            },
          ],
        },
      ],
    },
  });
}

/** The baseline: a bare Node HTTP server doing the same transport work, no Kubernetes semantics. */
function baselineServer(
  listBody: () => string,
): Promise<{ url: string; server: Server; close: () => Promise<void> }> {
  const streams = new Set<ServerResponse>();
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      if (req.url === '/stream') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.flushHeaders();
        streams.add(res);
        res.on('close', () => streams.delete(res));
        return;
      }
      if (req.url === '/broadcast') {
        const line = `${JSON.stringify({ type: 'MODIFIED', object: JSON.parse(body) })}\n`;
        for (const s of streams) s.write(line);
      }
      const out = req.url === '/list' ? listBody() : JSON.stringify(JSON.parse(body || '{}'));
      res.writeHead(req.url === '/echo' ? 201 : 200, { 'Content-Type': 'application/json' });
      res.end(out);
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({
        url: `http://127.0.0.1:${port}`,
        server,
        close: () => {
          for (const s of streams) s.destroy();
          return new Promise((r) => server.close(() => r()));
        },
      });
    }),
  );
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** Opens `count` watch streams; `onLine(watcher, name, receivedAt)` for each event. */
function openWatches(
  base: string,
  token: string,
  path: string,
  count: number,
  onEvent: (name: string, at: number) => void,
) {
  const requests: ClientRequest[] = [];
  const ready: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    ready.push(
      new Promise((resolve) => {
        const req = request(
          `${base}${path}`,
          { headers: { Authorization: `Bearer ${token}` }, agent: false },
          (res) => {
            let buffer = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => {
              const at = performance.now();
              buffer += chunk;
              let nl: number;
              while ((nl = buffer.indexOf('\n')) >= 0) {
                const line = buffer.slice(0, nl);
                buffer = buffer.slice(nl + 1);
                const event = JSON.parse(line) as {
                  type: string;
                  object: { metadata: { name: string; namespace?: string } };
                };
                if (event.type !== 'BOOKMARK')
                  onEvent(`${event.object.metadata.namespace}/${event.object.metadata.name}`, at);
              }
            });
            resolve();
          },
        );
        req.on('error', () => undefined);
        req.end();
        requests.push(req);
      }),
    );
  }
  return { ready: Promise.all(ready), close: () => requests.forEach((r) => r.destroy()) };
}

async function fanOut(
  base: string,
  token: string,
  watchPath: string,
  write: (i: number) => Promise<void>,
  keyOf: (i: number) => string,
) {
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const watches = openWatches(base, token, watchPath, WATCHERS, (key, at) => {
    const sent = sentAt.get(key);
    if (sent !== undefined) latencies.push(at - sent);
  });
  await watches.ready;
  await new Promise((r) => setTimeout(r, 200));
  for (let i = 0; i < FANOUT_EVENTS; i++) {
    sentAt.set(keyOf(i), performance.now());
    await write(i);
  }
  const expected = FANOUT_EVENTS * WATCHERS;
  const deadline = performance.now() + 10_000;
  while (latencies.length < expected && performance.now() < deadline)
    await new Promise((r) => setTimeout(r, 10));
  watches.close();
  return { latencies, expected };
}

const rate = (n: number, ms: number) => (n / ms) * 1000;

async function main() {
  const server = await startApiServer({ port: 0 });
  const { httpUrl: base, token } = server;
  const total = { ns: CLUSTERS, mc: CLUSTERS, mw: CLUSTERS * WORKS_PER_CLUSTER };
  const indexes = Array.from({ length: CLUSTERS }, (_, i) => i);
  const check = (r: { status: number; text: string }) => {
    if (r.status >= 300) throw new Error(`HTTP ${r.status}: ${r.text.slice(0, 300)}`);
  };

  const nsMs = await pool(indexes, async (i) =>
    check(
      await send(
        base,
        token,
        'POST',
        '/api/v1/namespaces',
        JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: clusterName(i) } }),
      ),
    ),
  );
  const mcMs = await pool(indexes, async (i) =>
    check(
      await send(
        base,
        token,
        'POST',
        '/apis/cluster.open-cluster-management.io/v1/managedclusters',
        managedCluster(i),
      ),
    ),
  );
  const works = indexes.flatMap((i) =>
    Array.from({ length: WORKS_PER_CLUSTER }, (_, w) => [i, w] as const),
  );
  const mwMs = await pool(works, async ([i, w]) =>
    check(
      await send(
        base,
        token,
        'POST',
        `/apis/work.open-cluster-management.io/v1/namespaces/${clusterName(i)}/manifestworks`,
        manifestWork(i, w),
      ),
    ),
  );

  const listPath = '/apis/work.open-cluster-management.io/v1/manifestworks';
  const timeList = async (path: string) => {
    const times: number[] = [];
    let bytes = 0;
    for (let i = 0; i < LIST_RUNS; i++) {
      const t = performance.now();
      const r = await send(base, token, 'GET', path);
      times.push(performance.now() - t);
      bytes = r.text.length;
    }
    return { ms: percentile(times, 50), bytes };
  };
  const listAll = await timeList(listPath);
  const listNs = await timeList(
    `/apis/work.open-cluster-management.io/v1/namespaces/${clusterName(7)}/manifestworks`,
  );
  const listLabel = await timeList(
    `${listPath}?labelSelector=${encodeURIComponent('kmm.node.kubernetes.io/managedclustermodule.name=module-1')}`,
  );
  const listClusters = await timeList(
    '/apis/cluster.open-cluster-management.io/v1/managedclusters?labelSelector=gpu%3Dtrue',
  );

  // Watch fan-out: WATCHERS watches on every ManifestWork; each update is one event to each.
  const rv = server.resourceVersion();
  const sandboxFan = await fanOut(
    base,
    token,
    `${listPath}?watch=1&resourceVersion=${rv}`,
    async (i) => {
      const patch = JSON.stringify({ metadata: { labels: { touched: String(i) } } });
      check(
        await send(
          base,
          token,
          'PATCH',
          `/apis/work.open-cluster-management.io/v1/namespaces/${clusterName(i)}/manifestworks/module-0`,
          patch,
          'application/merge-patch+json',
        ),
      );
    },
    (i) => `${clusterName(i)}/module-0`,
  );

  // What a client-node user gets through the kubeconfig: TLS, and a new connection per request.
  const kc = new KubeConfig();
  kc.loadFromString(server.kubeconfig);
  const custom = kc.makeApiClient(CustomObjectsApi);
  const CLIENT_READS = 300;
  const readStarted = performance.now();
  for (let i = 0; i < CLIENT_READS; i++) {
    await custom.getNamespacedCustomObject({
      group: 'work.open-cluster-management.io',
      version: 'v1',
      namespace: clusterName(i % CLUSTERS),
      plural: 'manifestworks',
      name: 'module-0',
    });
  }
  const clientNodeReadsPerSecond = rate(CLIENT_READS, performance.now() - readStarted);

  // Baseline, same process, same bodies and sizes.
  const listBody = (await send(base, token, 'GET', listPath)).text;
  const baseline = await baselineServer(() => listBody);
  const echoMs = await pool(works, async ([i, w]) =>
    check(await send(baseline.url, '', 'POST', '/echo', manifestWork(i, w))),
  );
  const baseList: number[] = [];
  for (let i = 0; i < LIST_RUNS; i++) {
    const t = performance.now();
    await send(baseline.url, '', 'GET', '/list');
    baseList.push(performance.now() - t);
  }
  const baseFan = await fanOut(
    baseline.url,
    '',
    '/stream',
    async (i) => check(await send(baseline.url, '', 'POST', '/broadcast', manifestWork(i, 0))),
    (i) => `${clusterName(i)}/module-0`,
  );
  await baseline.close();
  await server.stop();
  agent.destroy();

  const mwRate = rate(total.mw, mwMs);
  const echoRate = rate(total.mw, echoMs);
  const baseListMs = percentile(baseList, 50);
  const fmt = (n: number, digits = 1) => n.toFixed(digits);
  const lines = [
    `sandbox API server benchmark: ${CLUSTERS} clusters, ${total.mw} ManifestWorks, ${WATCHERS} watches, ${CONCURRENCY} requests in flight (plain HTTP, keep-alive, 127.0.0.1)`,
    `creates/s  Namespace ${fmt(rate(total.ns, nsMs), 0)}  ManagedCluster ${fmt(rate(total.mc, mcMs), 0)}  ManifestWork ${fmt(mwRate, 0)}  (bare echo server ${fmt(echoRate, 0)} req/s; ManifestWork/echo ratio ${fmt(mwRate / echoRate, 2)})`,
    `list p50   all ${total.mw} ManifestWorks ${fmt(listAll.ms)} ms (${(listAll.bytes / 1e6).toFixed(1)} MB; bare server same bytes ${fmt(baseListMs)} ms; ratio ${fmt(listAll.ms / baseListMs, 2)})`,
    `           one namespace ${fmt(listNs.ms, 2)} ms   label selector (${CLUSTERS} items) ${fmt(listLabel.ms)} ms   ManagedClusters gpu=true ${fmt(listClusters.ms)} ms`,
    `watch fan-out (${FANOUT_EVENTS} updates x ${WATCHERS} watches, write start -> event received): p50 ${fmt(percentile(sandboxFan.latencies, 50), 2)} ms  p99 ${fmt(percentile(sandboxFan.latencies, 99), 2)} ms  delivered ${sandboxFan.latencies.length}/${sandboxFan.expected}`,
    `           bare broadcast server: p50 ${fmt(percentile(baseFan.latencies, 50), 2)} ms  p99 ${fmt(percentile(baseFan.latencies, 99), 2)} ms  (p50 ratio ${fmt(percentile(sandboxFan.latencies, 50) / percentile(baseFan.latencies, 50), 2)})`,
    `client-node through the kubeconfig (TLS, one connection per request): ${fmt(clientNodeReadsPerSecond, 0)} sequential GETs/s`,
  ];
  console.log(lines.join('\n'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
