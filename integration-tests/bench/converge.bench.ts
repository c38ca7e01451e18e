/**
 * Convergence at fleet scale: the sandbox hub and its simulated fleet in this process, the controller as its
 * own process (`kmm-hub-controller run` with its defaults, as deployed), MCMs that select every cluster.
 * Prints
 * - the time from creating the MCMs to every ManifestWork written, and to every MCM status settled
 *   (Ready=True and numberApplied = numberDesired, for its generation);
 * - the controller's API requests over that time, by verb and resource (its own /metrics counters,
 *   cross-checked against the sandbox's audit);
 * - the controller's peak RSS (VmHWM of its process), its CPU time over that time, and its reconciles (how
 *   many planned anew, how many reused the last plan because only ManifestWork status came in);
 * - registry requests and build Jobs over that time: every image is at a local docker-registry and built on the
 *   hub by the sandbox's build executor, so these must follow the distinct images, not the clusters;
 * - the ratio of those times to a baseline measured in the same run against the same sandbox: a minimal
 *   client (also its own process, same connection pooling, as many requests in flight as the controller can
 *   have) that creates the very ManifestWorks the model plans: no informers, no status, no decisions.
 *
 *   npm run bench:converge -- [--clusters 500] [--mcms 2] [--status-sync-interval 1000] [--seed 1]
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { startSandbox } from 'kmm-hub-sandbox';
import { MANAGED_CLUSTER_RESOURCE, MANIFEST_WORK_RESOURCE, MCM_RESOURCE } from 'kmm-hub-controller';
import {
  planManagedClusterModule,
  type ManagedCluster,
  type ManagedClusterModule,
  type ManifestWork,
} from 'kmm-hub-controller/model';
import { PooledKubeConfig, settleAll } from 'kmm-hub-controller/runtime';
import { dockerRegistryInstalled, startDockerRegistry } from '../../scripts/docker-registry';

const ROOT = resolve(__dirname, '../..');
const BIN = join(ROOT, 'node_modules/.bin');
const WORK = MANIFEST_WORK_RESOURCE;
const MCM = MCM_RESOURCE;
const CLUSTERS = MANAGED_CLUSTER_RESOURCE;
const BASELINE_LABEL = 'kmm-hub-bench/baseline';
/** The controller's defaults: 4 MCMs at a time, 16 writes in flight for each. */
const CONCURRENCY = 4;
const WRITE_CONCURRENCY = 16;

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const rate = (n: number, ms: number): string => `${Math.round((n * 1000) / ms)}/s`;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  if (at < 0) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`--${name} must be a whole number, got ${process.argv[at + 1]}`);
  }
  return value;
}

/** The local registry the bench's images live at; without docker-registry the controller skips image checks. */
let registryHost: string | undefined;

function mcm(i: number): ManagedClusterModule {
  return {
    apiVersion: 'hub.kmm.sigs.x-k8s.io/v1beta1',
    kind: 'ManagedClusterModule',
    metadata: { name: `bench-drv-${i}` },
    spec: {
      spokeNamespace: 'openshift-kmm',
      selector: {},
      moduleSpec: {
        selector: { 'node-role.kubernetes.io/worker': '' },
        moduleLoader: {
          container: {
            modprobe: { moduleName: `bench_drv_${i}` },
            ...(registryHost
              ? {
                  registryTLS: { insecure: true },
                  build: { dockerfileConfigMap: { name: 'bench-dockerfile' } },
                }
              : {}),
            kernelMappings: [
              {
                regexp: '^5\\.14\\.0-[0-9.]+\\.el9_[0-9]+\\.(x86_64|aarch64)$',
                containerImage: `${registryHost ?? 'quay.io'}/acme/drv-${i}:\${KERNEL_FULL_VERSION}`,
              },
            ],
          },
        },
      },
    },
  };
}

/**
 * Baseline writer mode (a child process): create the given ManifestWorks with `inFlight` requests at a time
 * and print the elapsed milliseconds. A warm-up round on a tenth of them (renamed) comes first, so that the
 * measured round does not pay for the API server's cold paths any more than the controller does.
 */
async function writeBaseline(
  kubeconfigPath: string,
  worksPath: string,
  inFlight: number,
): Promise<void> {
  const kc = new PooledKubeConfig();
  kc.loadFromFile(kubeconfigPath);
  const api = kc.makeApiClient(CustomObjectsApi);
  const works = JSON.parse(readFileSync(worksPath, 'utf8')) as ManifestWork[];
  const create = (body: ManifestWork) =>
    api.createNamespacedCustomObject({ ...WORK, namespace: body.metadata.namespace!, body });
  const warmup = works
    .slice(0, Math.ceil(works.length / 10))
    .map((w) => ({ ...w, metadata: { ...w.metadata, name: `warmup-${w.metadata.name}` } }));
  await settleAll(warmup, inFlight, create);
  const started = performance.now();
  const results = await settleAll(works, inFlight, create);
  const ms = performance.now() - started;
  await kc.close();
  const failed = results.filter((r) => r.status === 'rejected').length;
  process.stdout.write(`${JSON.stringify({ ms, failed })}\n`);
}

/** The controller's own request counters (reads made, writes done) from its /metrics, by "verb resource". */
async function controllerRequests(url: string): Promise<Map<string, number>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const out = new Map<string, number>();
  // writes that failed (any code but 2xx) are left out: the audit they are checked against has successes
  const line =
    /^kmm_hub_api_(?:reads|writes)_total\{verb="(\w+)",resource="([\w/]+)"(?:,code="2xx")?\} (\d+)$/gm;
  for (const m of text.matchAll(line)) out.set(`${m[1]} ${m[2]}`, Number(m[3]));
  return out;
}

/**
 * How many reconciles the controller ran and how long they took in total, from its histogram, and how many
 * of them planned anew or reused a plan.
 */
async function reconciles(
  url: string,
): Promise<{ count: number; seconds: number; computed: number; reused: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const sum = (name: string, labels = '[^}]*') =>
    [...text.matchAll(new RegExp(`^${name}\\{${labels}\\} ([\\d.e+-]+)$`, 'gm'))].reduce(
      (t, m) => t + Number(m[1]),
      0,
    );
  return {
    count: sum('kmm_hub_reconcile_duration_seconds_count'),
    seconds: sum('kmm_hub_reconcile_duration_seconds_sum'),
    computed: sum('kmm_hub_plans_total', 'source="computed"'),
    reused: sum('kmm_hub_plans_total', 'source="reused"'),
  };
}

/** Registry requests and build/sign Jobs created so far, from the controller's /metrics. */
async function imageWork(url: string): Promise<{ registryRequests: number; jobs: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const sum = (re: RegExp) => [...text.matchAll(re)].reduce((t, m) => t + Number(m[1]), 0);
  return {
    registryRequests: sum(/^kmm_hub_registry_requests_total\{[^}]*\} (\d+)$/gm),
    jobs: sum(/^kmm_hub_image_jobs_total\{[^}]*event="created"[^}]*\} (\d+)$/gm),
  };
}

/** CPU seconds (user + system) the controller process has used so far, from its process metrics. */
async function cpuSeconds(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/^process_cpu_seconds_total ([\d.e+-]+)$/m.exec(text)?.[1]);
}

/** The controller's resident set and V8 heap in use now, from its process metrics. */
async function memoryNow(url: string): Promise<{ rss: string; heapUsed: string }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const mib = (name: string) => {
    const bytes = Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(text)?.[1]);
    return `${(bytes / 2 ** 20).toFixed(0)} MiB`;
  };
  return {
    rss: mib('process_resident_memory_bytes'),
    heapUsed: mib('nodejs_heap_size_used_bytes'),
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

async function waitUntil(
  what: string,
  check: () => boolean | Promise<boolean>,
  everyMs: number,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${seconds(timeoutMs)} waiting for ${what}`);
    await sleep(everyMs);
  }
}

function peakRss(pid: number): string {
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
  return `${(kb / 1024).toFixed(0)} MiB`;
}

async function main(): Promise<void> {
  const clusters = arg('clusters', 500);
  const mcms = arg('mcms', 2);
  const syncMs = arg('status-sync-interval', 1000);
  const seed = arg('seed', 1);
  const dir = mkdtempSync(join(tmpdir(), 'kmm-hub-bench-'));
  const kubeconfigPath = join(dir, 'kubeconfig');
  // The bins run `env node`: the project's Node 24 first on PATH.
  const env = { ...process.env, PATH: `${BIN}${delimiter}${process.env.PATH ?? ''}` };

  const registry = dockerRegistryInstalled()
    ? await startDockerRegistry(join(dir, 'registry'))
    : undefined;
  registryHost = registry?.host;
  let started = performance.now();
  const sandbox = await startSandbox({
    clusters,
    seed,
    statusSyncIntervalMs: syncMs,
    buildExecutor: { delayMs: 200 },
  });
  const registrationMs = performance.now() - started;
  await sandbox.writeKubeconfig(kubeconfigPath);
  const kc = new PooledKubeConfig();
  kc.loadFromString(sandbox.kubeconfig);
  const api = kc.makeApiClient(CustomObjectsApi);
  const core = kc.makeApiClient(CoreV1Api);
  await core.createNamespace({ body: { metadata: { name: 'kmm-hub' } } });
  await core.createNamespacedConfigMap({
    namespace: 'kmm-hub',
    body: { metadata: { name: 'bench-dockerfile' }, data: { dockerfile: 'FROM scratch\n' } },
  });
  let controller: ChildProcess | undefined;
  try {
    // What the model plans for these MCMs: the baseline writes exactly these, renamed and relabelled so that
    // the controller never sees them.
    const fleet = ((await api.listClusterCustomObject(CLUSTERS)) as { items: ManagedCluster[] })
      .items;
    const plans = Array.from({ length: mcms }, (_, i) => planManagedClusterModule(mcm(i), fleet));
    const planned = plans.flatMap((p) => p.manifestWorks);
    const distinctImages = new Set(plans.flatMap((p) => p.images.map((i) => i.image))).size;
    const expected = planned.length;
    const baselineWorks = planned.map((w) => ({
      ...w,
      metadata: {
        name: `baseline-${w.metadata.name}`,
        namespace: w.metadata.namespace,
        labels: { [BASELINE_LABEL]: 'true' },
      },
    }));
    writeFileSync(join(dir, 'works.json'), JSON.stringify(baselineWorks));
    console.log(
      `clusters:               ${clusters} (seed ${seed}), registered in ${seconds(registrationMs)}`,
    );
    console.log(
      `MCMs:                   ${mcms}, each selecting every cluster: ${expected} ManifestWorks`,
    );
    console.log(`work agent:             status sync every ${syncMs} ms`);
    console.log(
      registry
        ? `images:                 ${distinctImages} distinct, at a local docker-registry (${registry.host}), each built on the hub`
        : 'images:                 docker-registry is not installed: the controller runs with --image-checks false',
    );

    const inFlight = Math.min(mcms, CONCURRENCY) * WRITE_CONCURRENCY;
    const out = await promisify(execFile)(
      join(BIN, 'tsx'),
      [__filename, '--write-baseline', kubeconfigPath, join(dir, 'works.json'), String(inFlight)],
      { env, maxBuffer: 1 << 20 },
    );
    const baseline = JSON.parse(out.stdout.trim().split('\n').pop()!) as {
      ms: number;
      failed: number;
    };
    if (baseline.failed > 0) throw new Error(`baseline: ${baseline.failed} creates failed`);
    console.log(
      `baseline writer:        ${seconds(baseline.ms)} for ${expected} creates (${rate(expected, baseline.ms)}), ${inFlight} in flight`,
    );

    // Clear the baseline's works (the work agent applied them too) before the controller starts.
    const listBaseline = async () =>
      (
        (await api.listCustomObjectForAllNamespaces({
          ...WORK,
          resourcePlural: WORK.plural,
          labelSelector: BASELINE_LABEL,
        })) as { items: ManifestWork[] }
      ).items;
    await settleAll(await listBaseline(), 32, (w) =>
      api.deleteNamespacedCustomObject({
        ...WORK,
        namespace: w.metadata.namespace!,
        name: w.metadata.name!,
      }),
    );
    await waitUntil(
      'the baseline works to be gone',
      async () => (await listBaseline()).length === 0,
      500,
      600_000,
    );

    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    controller = spawn(
      join(BIN, 'kmm-hub-controller'),
      [
        'run',
        '--kubeconfig',
        kubeconfigPath,
        '--http-address',
        `127.0.0.1:${port}`,
        '--log-level',
        'warn',
        ...(registry ? [] : ['--image-checks', 'false']),
      ],
      { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] },
    );
    const child = controller;
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const metricsText = async () => (await fetch(`${url}/metrics`).catch(() => undefined))?.text();
    await waitUntil(
      'the controller to lead',
      async () => /^kmm_hub_leader 1$/m.test((await metricsText()) ?? ''),
      100,
      120_000,
    );

    const audit = sandbox.audit;
    const requestsBefore = await controllerRequests(url);
    const imageBefore = await imageWork(url);
    const cpuBefore = await cpuSeconds(url);
    const creates0 = audit.count({ verb: 'create', resource: 'manifestworks' });
    started = performance.now();
    for (let i = 0; i < mcms; i++) await api.createClusterCustomObject({ ...MCM, body: mcm(i) });
    await waitUntil(
      'every ManifestWork',
      () => audit.count({ verb: 'create', resource: 'manifestworks' }) - creates0 >= expected,
      10,
      1_800_000,
    );
    const writtenMs = performance.now() - started;
    const settled = async (): Promise<boolean> => {
      for (let i = 0; i < mcms; i++) {
        const m = (await api.getClusterCustomObject({
          ...MCM,
          name: `bench-drv-${i}`,
        })) as ManagedClusterModule;
        const s = m.status;
        const ready = s?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
        if (
          !ready ||
          s?.observedGeneration !== m.metadata.generation ||
          s.numberApplied !== s.numberDesired
        ) {
          return false;
        }
      }
      return true;
    };
    await waitUntil('every MCM status to settle', settled, 100, 3_600_000);
    const settledMs = performance.now() - started;
    const rss = peakRss(child.pid!);
    const imageAfter = await imageWork(url);
    const requestsAfter = await controllerRequests(url);
    const reconcileStats = await reconciles(url);
    const memory = await memoryNow(url);
    const cpu = (await cpuSeconds(url)) - cpuBefore;
    const requests = [...requestsAfter]
      .map(([k, v]) => [k, v - (requestsBefore.get(k) ?? 0)] as const)
      .filter(([, v]) => v > 0)
      .sort(([a], [b]) => a.localeCompare(b));
    const creates = audit.count({ verb: 'create', resource: 'manifestworks' }) - creates0;
    if ((requestsAfter.get('create manifestworks') ?? 0) !== creates) {
      throw new Error(
        `the controller counted ${requestsAfter.get('create manifestworks')} creates, the API server ${creates}`,
      );
    }

    console.log(
      `controller, written:    ${seconds(writtenMs)} from MCM creation to all ${expected} ManifestWorks (${rate(expected, writtenMs)})`,
    );
    console.log(
      `controller, settled:    ${seconds(settledMs)} to every MCM Ready with numberApplied = numberDesired`,
    );
    console.log(`ratio written/baseline: ${(writtenMs / baseline.ms).toFixed(2)}`);
    console.log(
      `ratio settled/baseline: ${(settledMs / baseline.ms).toFixed(2)} (includes the work agent applying and reporting)`,
    );
    console.log(
      `controller peak RSS:    ${rss} (at the end: RSS ${memory.rss}, V8 heap used ${memory.heapUsed})`,
    );
    console.log(
      `controller CPU:         ${cpu.toFixed(1)} s from MCM creation to settled (${((cpu * 100_000) / settledMs).toFixed(0)}% of a core)`,
    );
    console.log(
      `controller reconciles:  ${reconcileStats.count}, ${((reconcileStats.seconds * 1000) / Math.max(1, reconcileStats.count)).toFixed(1)} ms on average ` +
        `(${reconcileStats.computed} planned, ${reconcileStats.reused} reusing the last plan)`,
    );
    const registryRequests = imageAfter.registryRequests - imageBefore.registryRequests;
    const jobs = imageAfter.jobs - imageBefore.jobs;
    console.log(
      `registry requests:      ${registryRequests} for ${distinctImages} distinct images and ${clusters} clusters ` +
        `(${(registryRequests / Math.max(1, distinctImages)).toFixed(1)} per image, ` +
        `${(registryRequests / Math.max(1, clusters)).toFixed(2)} per cluster)`,
    );
    console.log(`build/sign Jobs:        ${jobs} created (${distinctImages} distinct images)`);
    console.log('controller API requests from MCM creation to settled (verb resource):');
    for (const [k, v] of requests) console.log(`  ${k.padEnd(36)} ${v}`);
    console.log(`  ${'total'.padEnd(36)} ${requests.reduce((sum, [, v]) => sum + v, 0)}`);

    child.kill('SIGTERM');
    const code = await exited;
    controller = undefined;
    if (code !== 0) throw new Error(`the controller exited ${code} after SIGTERM`);
  } finally {
    controller?.kill('SIGKILL');
    await kc.close();
    await sandbox.stop();
    await registry?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--write-baseline') {
  void writeBaseline(process.argv[3]!, process.argv[4]!, Number(process.argv[5]));
} else {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
