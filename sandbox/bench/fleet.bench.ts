/**
 * Simulated fleet benchmark at fleet size (default 3,500 clusters), everything over HTTPS through
 * client-node as in real use. Prints:
 * - registration: clusters/s for the fleet's start (namespace + ManagedCluster + status per cluster),
 *   against a baseline measured in the same process: the same number of plain ConfigMap creates through
 *   the fleet's client setup (pooled client-node, request() transport) at the same concurrency, so the
 *   ratio is the fleet's own overhead;
 * - the work agent: from creating one Module ManifestWork per KMM cluster to every one reporting
 *   Available with feedback values, against the time the creates alone took;
 * - a quiet status-sync pass: ManifestWork writes over several intervals when nothing changed (0 expected).
 *
 *   npm run -w kmm-hub-sandbox bench:fleet -- [--clusters 3500] [--seed 1]
 */
import { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { mapLimit, PooledKubeConfig } from 'kmm-hub-controller/runtime';
import { Fleet } from '../src/fleet';
import { makeRequestApiClient } from '../src/fleet/request-transport';
import { loadSpokeCatalog } from '../src/fleet/spoke-catalog';
import { startApiServer, type KubeObject } from '../src/server';

interface FeedbackWork extends KubeObject {
  status?: { resourceStatus?: { manifests?: { statusFeedback?: { values?: unknown[] } }[] } };
}

const arg = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(`--${name}`);
  const value = at > 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`--${name} must be a whole number, got ${process.argv[at + 1]}`);
  }
  return value;
};
const CLUSTERS = arg('clusters', 3500);
const SEED = arg('seed', 1);
const CONCURRENCY = 32;
const SYNC_MS = 1000;

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const rate = (n: number, ms: number) => `${Math.round((n * 1000) / ms)}/s`;

async function main(): Promise<void> {
  const server = await startApiServer({ port: 0 });
  const kc = PooledKubeConfig.fromString(server.kubeconfig);
  // The fleet's own client setup, so the baseline costs what the fleet's requests cost in transport.
  const core = makeRequestApiClient(kc, CoreV1Api);
  const custom = makeRequestApiClient(kc, CustomObjectsApi);
  try {
    // Baseline: 3 creates per cluster, the fleet's request count, as plain ConfigMaps. A warm-up first
    // (connections, JIT), and the spoke CRDs parsed before timing (about a second, once per process).
    await core.createNamespace({ body: { metadata: { name: 'baseline' } } });
    await mapLimit(
      Array.from({ length: 300 }, (_, i) => i),
      CONCURRENCY,
      (i) =>
        core.createNamespacedConfigMap({
          namespace: 'baseline',
          body: { metadata: { name: `warm-${i}` } },
        }),
    );
    loadSpokeCatalog();
    const requests = Array.from({ length: CLUSTERS * 3 }, (_, i) => i);
    let started = performance.now();
    await mapLimit(requests, CONCURRENCY, (i) =>
      core.createNamespacedConfigMap({
        namespace: 'baseline',
        body: { metadata: { name: `cm-${i}` }, data: { cluster: String(i) } },
      }),
    );
    const baselineMs = performance.now() - started;

    server.audit.reset();
    started = performance.now();
    const fleet = await Fleet.start({
      kubeconfig: server.kubeconfig,
      clusters: CLUSTERS,
      seed: SEED,
      statusSyncIntervalMs: SYNC_MS,
      concurrency: CONCURRENCY,
    });
    const fleetMs = performance.now() - started;
    const fleetWrites = server.audit.writes();
    console.log(
      `clusters:                 ${CLUSTERS} (seed ${SEED}), ${CONCURRENCY} requests in flight`,
    );
    console.log(
      `registration:             ${seconds(fleetMs)} (${rate(CLUSTERS, fleetMs)} clusters, ${fleetWrites} writes)`,
    );
    console.log(
      `baseline:                 ${seconds(baselineMs)} for ${requests.length} ConfigMap creates (${rate(requests.length, baselineMs)})`,
    );
    console.log(`registration / baseline:  ${(fleetMs / baselineMs).toFixed(2)}`);

    // Work agent: one Module ManifestWork per KMM cluster.
    const kmm = fleet.clusterNames().filter((c) => fleet.profile(c).kmm);
    const WORK = {
      group: 'work.open-cluster-management.io',
      version: 'v1',
      plural: 'manifestworks',
    };
    started = performance.now();
    await mapLimit(kmm, CONCURRENCY, (cluster) =>
      custom.createNamespacedCustomObject({
        ...WORK,
        namespace: cluster,
        body: {
          apiVersion: 'work.open-cluster-management.io/v1',
          kind: 'ManifestWork',
          metadata: { name: 'gpu-driver', namespace: cluster },
          spec: {
            workload: {
              manifests: [
                {
                  apiVersion: 'kmm.sigs.x-k8s.io/v1beta1',
                  kind: 'Module',
                  metadata: { name: 'gpu-driver', namespace: 'openshift-kmm' },
                  spec: {
                    selector: { 'node-role.kubernetes.io/worker': '' },
                    moduleLoader: {
                      container: {
                        modprobe: { moduleName: 'gpu' },
                        kernelMappings: fleet.kernels(cluster).map((k) => ({
                          literal: k,
                          containerImage: `quay.io/acme/gpu:${k}`,
                        })),
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
                  name: 'gpu-driver',
                  namespace: 'openshift-kmm',
                },
                feedbackRules: [
                  {
                    type: 'JSONPaths',
                    jsonPaths: [
                      { name: 'available', path: '.status.moduleLoader.availableNumber' },
                    ],
                  },
                ],
              },
            ],
          },
        },
      }),
    );
    const createMs = performance.now() - started;
    // Completion is read in-process: listing thousands of works over HTTP every poll would load the
    // process that hosts the agent being measured.
    const reporting = () =>
      server.objects
        .list<FeedbackWork>('work.open-cluster-management.io/v1', 'ManifestWork')
        .filter(
          (w) =>
            (w.status?.resourceStatus?.manifests?.[0]?.statusFeedback?.values?.length ?? 0) > 0,
        ).length;
    while (reporting() < kmm.length) await new Promise((r) => setTimeout(r, 100));
    const appliedMs = performance.now() - started;
    console.log(
      `work agent:               ${kmm.length} ManifestWorks applied and reporting feedback ${seconds(appliedMs)} after the first create (${rate(kmm.length, appliedMs)})`,
    );
    console.log(
      `  creates alone:          ${seconds(createMs)}; ratio ${(appliedMs / createMs).toFixed(2)}`,
    );

    // A quiet period: status syncs run, nothing changes, nothing is written.
    await new Promise((r) => setTimeout(r, 2 * SYNC_MS));
    const before = server.audit.writes({ resource: 'manifestworks' });
    await new Promise((r) => setTimeout(r, 3 * SYNC_MS));
    console.log(
      `quiet status syncs:       ${server.audit.writes({ resource: 'manifestworks' }) - before} ManifestWork writes in 3 intervals of ${SYNC_MS} ms`,
    );
    console.log(`rss:                      ${Math.round(process.memoryUsage().rss / 2 ** 20)} MiB`);
    await fleet.stop();
  } finally {
    await kc.close();
    await server.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
