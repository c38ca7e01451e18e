/**
 * The converge bench's measuring (see converge.bench.ts for what it prints): the sandbox hub and its simulated
 * fleet in this process, the controller as its own process, MCMs that select every cluster. Returns every
 * figure; `print` gets the lines of the report as they are known.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { parse as parseYaml } from 'yaml';
import { startSandbox } from 'kmm-hub-sandbox';
import {
  MANAGED_CLUSTER_RESOURCE,
  MANIFEST_WORK_RESOURCE,
  MCM_RESOURCE,
  heapEnv,
  heapFlags,
} from 'kmm-hub-controller';
import {
  planManagedClusterModule,
  type ManagedCluster,
  type ManagedClusterModule,
  type ManifestWork,
} from 'kmm-hub-controller/model';
import { PooledKubeConfig, settleAll } from 'kmm-hub-controller/runtime';
import { dockerRegistryInstalled, startDockerRegistry } from '../../scripts/docker-registry';
import {
  WriteLog,
  isMcmStatusWrite,
  isWorkStatusReport,
  percentile,
  sampleKernelUpgrades,
  waitQuiet,
} from './converge-fleet';

const ROOT = resolve(__dirname, '../..');
const BIN = join(ROOT, 'node_modules/.bin');
const BENCH = join(__dirname, 'converge.bench.ts');
const WORK = MANIFEST_WORK_RESOURCE;
const MCM = MCM_RESOURCE;
const CLUSTERS = MANAGED_CLUSTER_RESOURCE;
export const BASELINE_LABEL = 'kmm-hub-bench/baseline';
/** The controller's defaults: 4 MCMs at a time, 16 writes in flight for each. */
const CONCURRENCY = 4;
const WRITE_CONCURRENCY = 16;

export interface ConvergeOptions {
  clusters: number;
  mcms: number;
  statusSyncIntervalMs: number;
  seed: number;
  /** kernel upgrades measured one after the other after the rollout */
  samples: number;
  /** pause between two samples */
  sampleGapMs: number;
  /** how long the steady state is watched */
  steadySeconds: number;
  /** the container memory limit the controller is sized for (bytes; the chart's by default), or none */
  memoryLimitBytes: number | undefined;
  /** run controller/dist (built first), as deployed; otherwise the sources through tsx */
  compiled: boolean;
  /** images at a local docker-registry, built on the hub, when docker-registry is installed */
  images: boolean;
}

export interface ConvergeFigures {
  clusters: number;
  mcms: number;
  works: number;
  baselineMs: number;
  writtenMs: number;
  settledMs: number;
  /** from the work agents' last status report to the last MCM status write of the rollout */
  statusLagMs: number;
  peakRssMiB: number;
  heapFlags: string[];
  reconciles: { count: number; avgMs: number; computed: number; reused: number };
  requests: [string, number][];
  samples: {
    count: number;
    claimToWorks: { p50: number; p99: number; max: number };
    reportToStatus: { p50: number; p99: number; max: number; count: number; unchanged: number };
    /** the controller's reconciles over the sampling: how long one took on average */
    reconcileAvgMs: number;
    reconciles: number;
  };
  steady: {
    seconds: number;
    writes: [string, number][];
    /** writes other than Lease renewals */
    otherWrites: number;
    cpuSeconds: number;
    rssStartMiB: number;
    rssEndMiB: number;
  };
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const rate = (n: number, ms: number): string => `${Math.round((n * 1000) / ms)}/s`;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const ms = (v: number): string => `${v.toFixed(0)} ms`;

/** `384Mi`, `1Gi`, `512M` or bytes, as Kubernetes writes quantities. */
export function parseMemoryQuantity(q: string): number {
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|K|M|G)?$/.exec(q.trim());
  if (!m) throw new Error(`not a memory quantity: "${q}" (e.g. 384Mi)`);
  const unit = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, K: 1e3, M: 1e6, G: 1e9 }[m[2] ?? ''] ?? 1;
  return Math.round(Number(m[1]) * unit);
}

/** The controller's memory limit in the chart's default values. */
export function chartMemoryLimit(): string {
  const values = parseYaml(readFileSync(join(ROOT, 'charts/kmm-hub/values.yaml'), 'utf8')) as {
    resources?: { limits?: { memory?: string } };
  };
  const limit = values.resources?.limits?.memory;
  if (!limit) throw new Error('charts/kmm-hub/values.yaml sets no resources.limits.memory');
  return limit;
}

/** A small deterministic generator (mulberry32), so that a seed picks the same samples every time. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mcm(i: number, registryHost: string | undefined): ManagedClusterModule {
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

/** The controller's /metrics text, or undefined while it does not answer. */
async function metricsText(url: string): Promise<string | undefined> {
  return (await fetch(`${url}/metrics`).catch(() => undefined))?.text();
}

/** The controller's own request counters (reads made, writes done) from its /metrics, by "verb resource". */
function controllerRequests(text: string): Map<string, number> {
  const out = new Map<string, number>();
  // writes that failed (any code but 2xx) are left out: the audit they are checked against has successes
  const line =
    /^kmm_hub_api_(?:reads|writes)_total\{verb="(\w+)",resource="([\w/]+)"(?:,code="2xx")?\} (\d+)$/gm;
  for (const m of text.matchAll(line)) out.set(`${m[1]} ${m[2]}`, Number(m[3]));
  return out;
}

interface ReconcileCounts {
  count: number;
  seconds: number;
  computed: number;
  reused: number;
}

/** How many reconciles ran and how long they took in total, and how many planned anew or reused a plan. */
function reconcileCounts(text: string): ReconcileCounts {
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

const minus = (a: ReconcileCounts, b: ReconcileCounts): ReconcileCounts => ({
  count: a.count - b.count,
  seconds: a.seconds - b.seconds,
  computed: a.computed - b.computed,
  reused: a.reused - b.reused,
});

/** Registry requests and build/sign Jobs created so far. */
function imageWork(text: string): { registryRequests: number; jobs: number } {
  const sum = (re: RegExp) => [...text.matchAll(re)].reduce((t, m) => t + Number(m[1]), 0);
  return {
    registryRequests: sum(/^kmm_hub_registry_requests_total\{[^}]*\} (\d+)$/gm),
    jobs: sum(/^kmm_hub_image_jobs_total\{[^}]*event="created"[^}]*\} (\d+)$/gm),
  };
}

/** CPU seconds (user + system: process.cpuUsage) the controller has used so far. */
function cpuSeconds(text: string): number {
  return Number(/^process_cpu_seconds_total ([\d.e+-]+)$/m.exec(text)?.[1]);
}

function heapUsedMiB(text: string): number {
  return Number(/^nodejs_heap_size_used_bytes (\d+)$/m.exec(text)?.[1]) / 2 ** 20;
}

/** VmHWM (peak) or VmRSS (now) of a process, in MiB. */
function procMemoryMiB(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1]) / 1024;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

/** Set when the controller process ends before the bench stops it (a heap error, say): waits stop at once. */
let controllerDied: string | undefined;

async function waitUntil(
  what: string,
  check: () => boolean | Promise<boolean>,
  everyMs: number,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (controllerDied) throw new Error(`${controllerDied} while waiting for ${what}`);
    if (Date.now() > deadline)
      throw new Error(`timed out after ${seconds(timeoutMs)} waiting for ${what}`);
    await sleep(everyMs);
  }
}

export async function runConverge(
  o: ConvergeOptions,
  print: (line: string) => void = console.log,
): Promise<ConvergeFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'kmm-hub-bench-'));
  const kubeconfigPath = join(dir, 'kubeconfig');
  // The bins run `env node`: the project's Node 24 first on PATH.
  const env = { ...process.env, PATH: `${BIN}${delimiter}${process.env.PATH ?? ''}` };
  const node = join(BIN, 'node');

  const registry =
    o.images && dockerRegistryInstalled()
      ? await startDockerRegistry(join(dir, 'registry'))
      : undefined;
  const registryHost = registry?.host;
  if (o.compiled) {
    await promisify(execFile)('npm', ['run', '--silent', 'build', '-w', 'kmm-hub-controller'], {
      cwd: ROOT,
      env,
    });
  }
  let started = performance.now();
  const sandbox = await startSandbox({
    clusters: o.clusters,
    seed: o.seed,
    statusSyncIntervalMs: o.statusSyncIntervalMs,
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
  const log = new WriteLog();
  let controller: ChildProcess | undefined;
  try {
    // What the model plans for these MCMs: the baseline writes exactly these, renamed and relabelled so that
    // the controller never sees them.
    const fleet = ((await api.listClusterCustomObject(CLUSTERS)) as { items: ManagedCluster[] })
      .items;
    const mcms = Array.from({ length: o.mcms }, (_, i) => mcm(i, registryHost));
    const mcmNames = mcms.map((m) => m.metadata.name!);
    const plans = mcms.map((m) => planManagedClusterModule(m, fleet));
    const planned = plans.flatMap((p) => p.manifestWorks);
    // kernels that have a mapping (and so an image, built during the rollout): what samples upgrade to
    const mappedKernels = [
      ...new Set(plans[0]?.works.flatMap((w) => w.mappings.map((m) => m.literal)) ?? []),
    ].sort();
    // clusters with a ManifestWork of every MCM: what samples upgrade
    const covered = plans
      .map((p) => new Set(p.works.map((w) => w.cluster)))
      .reduce((a, b) => new Set([...a].filter((c) => b.has(c))));
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
    print(
      `clusters:               ${o.clusters} (seed ${o.seed}), registered in ${seconds(registrationMs)}`,
    );
    print(
      `MCMs:                   ${o.mcms}, each selecting every cluster: ${expected} ManifestWorks`,
    );
    print(`work agent:             status sync every ${o.statusSyncIntervalMs} ms`);
    print(
      registry
        ? `images:                 ${distinctImages} distinct, at a local docker-registry (${registry.host}), each built on the hub`
        : 'images:                 no docker-registry: the controller runs with --image-checks false',
    );

    const inFlight = Math.min(o.mcms, CONCURRENCY) * WRITE_CONCURRENCY;
    const out = await promisify(execFile)(
      join(BIN, 'tsx'),
      [BENCH, '--write-baseline', kubeconfigPath, join(dir, 'works.json'), String(inFlight)],
      { env, maxBuffer: 1 << 20 },
    );
    const baseline = JSON.parse(out.stdout.trim().split('\n').pop()!) as {
      ms: number;
      failed: number;
    };
    if (baseline.failed > 0) throw new Error(`baseline: ${baseline.failed} creates failed`);
    print(
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

    // The heap flags and environment the controller gives itself in a container with this memory limit (there
    // is no cgroup limit here).
    const flags = o.memoryLimitBytes === undefined ? [] : heapFlags([], {}, o.memoryLimitBytes)!;
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const entry = o.compiled
      ? join(ROOT, 'controller/dist/cli.js')
      : join(ROOT, 'controller/bin/kmm-hub-controller.js');
    controller = spawn(
      node,
      [
        ...flags,
        entry,
        'run',
        '--kubeconfig',
        kubeconfigPath,
        '--http-address',
        `127.0.0.1:${port}`,
        '--log-level',
        'warn',
        ...(registry ? [] : ['--image-checks', 'false']),
      ],
      {
        cwd: ROOT,
        env: flags.length > 0 ? heapEnv(env) : env,
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    const child = controller;
    const pid = child.pid!;
    let stopping = false;
    controllerDied = undefined;
    const exited = new Promise<number | null>((r) =>
      child.on('exit', (code, signal) => {
        if (!stopping) controllerDied = `the controller exited (${signal ?? `code ${code}`})`;
        r(code);
      }),
    );
    print(
      `controller:             ${o.compiled ? 'compiled (controller/dist)' : 'sources through tsx'}, ` +
        (flags.length > 0
          ? `sized for a ${(o.memoryLimitBytes! / 2 ** 20).toFixed(0)} MiB limit: ${flags.join(' ')}, ` +
            `MALLOC_ARENA_MAX=${heapEnv(env).MALLOC_ARENA_MAX}`
          : 'no memory limit'),
    );
    const metrics = async () => (await metricsText(url)) ?? '';
    await waitUntil(
      'the controller to lead',
      async () => /^kmm_hub_leader 1$/m.test(await metrics()),
      100,
      120_000,
    );

    log.start(sandbox);
    const audit = sandbox.audit;
    let text = await metrics();
    const requestsBefore = controllerRequests(text);
    const imageBefore = imageWork(text);
    const cpuBefore = cpuSeconds(text);
    const reconcilesBefore = reconcileCounts(text);
    const creates0 = audit.count({ verb: 'create', resource: 'manifestworks' });
    started = performance.now();
    for (const m of mcms) await api.createClusterCustomObject({ ...MCM, body: m });
    await waitUntil(
      'every ManifestWork',
      () => audit.count({ verb: 'create', resource: 'manifestworks' }) - creates0 >= expected,
      10,
      1_800_000,
    );
    const writtenMs = performance.now() - started;
    const settled = async (): Promise<boolean> => {
      for (const name of mcmNames) {
        const m = (await api.getClusterCustomObject({ ...MCM, name })) as ManagedClusterModule;
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
    const seenSettled = performance.now();
    // From the audit: the status write that settled the MCMs, and the last report before it.
    const lastStatus = log.last(isMcmStatusWrite(), seenSettled);
    const lastReport = log.last(isWorkStatusReport(), lastStatus?.at ?? seenSettled);
    const settledMs = (lastStatus?.at ?? seenSettled) - started;
    const statusLagMs = lastStatus && lastReport ? lastStatus.at - lastReport.at : NaN;
    const peakRssMiB = procMemoryMiB(pid, 'VmHWM');
    text = await metrics();
    const imageAfter = imageWork(text);
    const requestsAfter = controllerRequests(text);
    const rollout = minus(reconcileCounts(text), reconcilesBefore);
    const cpu = cpuSeconds(text) - cpuBefore;
    const requests = [...requestsAfter]
      .map(([k, v]) => [k, v - (requestsBefore.get(k) ?? 0)] as [string, number])
      .filter(([, v]) => v > 0)
      .sort(([a], [b]) => a.localeCompare(b));
    const creates = audit.count({ verb: 'create', resource: 'manifestworks' }) - creates0;
    if ((requestsAfter.get('create manifestworks') ?? 0) !== creates) {
      throw new Error(
        `the controller counted ${requestsAfter.get('create manifestworks')} creates, the API server ${creates}`,
      );
    }

    print(
      `controller, written:    ${seconds(writtenMs)} from MCM creation to all ${expected} ManifestWorks (${rate(expected, writtenMs)})`,
    );
    print(
      `controller, settled:    ${seconds(settledMs)} to every MCM Ready with numberApplied = numberDesired (its last status write)`,
    );
    print(
      `status lag:             ${ms(statusLagMs)} from the work agents' last report to that status write`,
    );
    print(`ratio written/baseline: ${(writtenMs / baseline.ms).toFixed(2)}`);
    print(
      `ratio settled/baseline: ${(settledMs / baseline.ms).toFixed(2)} (includes the work agent applying and reporting)`,
    );
    print(
      `controller peak RSS:    ${peakRssMiB.toFixed(0)} MiB (at settled: RSS ${procMemoryMiB(pid, 'VmRSS').toFixed(0)} MiB, V8 heap used ${heapUsedMiB(text).toFixed(0)} MiB)`,
    );
    print(
      `controller CPU:         ${cpu.toFixed(1)} s from MCM creation to settled (${((cpu * 100_000) / settledMs).toFixed(0)}% of a core)`,
    );
    print(
      `controller reconciles:  ${rollout.count}, ${((rollout.seconds * 1000) / Math.max(1, rollout.count)).toFixed(1)} ms on average ` +
        `(${rollout.computed} planned, ${rollout.reused} reusing the last plan)`,
    );
    const registryRequests = imageAfter.registryRequests - imageBefore.registryRequests;
    const jobs = imageAfter.jobs - imageBefore.jobs;
    print(
      `registry requests:      ${registryRequests} for ${distinctImages} distinct images and ${o.clusters} clusters ` +
        `(${(registryRequests / Math.max(1, distinctImages)).toFixed(1)} per image, ` +
        `${(registryRequests / Math.max(1, o.clusters)).toFixed(2)} per cluster)`,
    );
    print(`build/sign Jobs:        ${jobs} created (${distinctImages} distinct images)`);
    print('controller API requests from MCM creation to settled (verb resource):');
    for (const [k, v] of requests) print(`  ${k.padEnd(36)} ${v}`);
    print(`  ${'total'.padEnd(36)} ${requests.reduce((sum, [, v]) => sum + v, 0)}`);

    // Single changes, one at a time: what a person waits for.
    const isLease = (e: { resource?: string }) => e.resource === 'leases';
    await waitQuiet(log, 2_000, 120_000, isLease);
    const beforeSamples = reconcileCounts(await metrics());
    const samples = await sampleKernelUpgrades({
      sandbox,
      log,
      mcms: mcmNames,
      clusters: [...covered].sort(),
      kernels: mappedKernels,
      samples: o.samples,
      gapMs: o.sampleGapMs,
      random: seeded(o.seed),
    });
    const sampling = minus(reconcileCounts(await metrics()), beforeSamples);
    const claimToWorks = samples.map((s) => s.claimToWorks!);
    const reportToStatus = samples.flatMap((s) => s.reportToStatus);
    const figuresOf = (v: number[]) => ({
      p50: percentile(v, 50),
      p99: percentile(v, 99),
      max: v.length ? Math.max(...v) : NaN,
    });
    const sampleFigures: ConvergeFigures['samples'] = {
      count: samples.length,
      claimToWorks: figuresOf(claimToWorks),
      reportToStatus: {
        ...figuresOf(reportToStatus),
        count: reportToStatus.length,
        unchanged: samples.reduce((t, s) => t + s.statusUnchanged, 0),
      },
      reconcileAvgMs: (sampling.seconds * 1000) / Math.max(1, sampling.count),
      reconciles: sampling.count,
    };
    const c = sampleFigures.claimToWorks;
    const r = sampleFigures.reportToStatus;
    print(
      `kernel upgrade:         ${samples.length} clusters, one at a time ${o.sampleGapMs} ms apart; ` +
        `claim written to its ${o.mcms} ManifestWorks updated: p50 ${ms(c.p50)}, p99 ${ms(c.p99)}, max ${ms(c.max)}`,
    );
    print(
      `work status report:     to the MCM status written: p50 ${ms(r.p50)}, p99 ${ms(r.p99)}, max ${ms(r.max)} ` +
        `(${r.count} reports; ${r.unchanged} needed no status write)`,
    );
    print(
      `reconciles per change:  ${sampling.count} over the samples (${sampling.computed} planned, ${sampling.reused} reused), ` +
        `${sampleFigures.reconcileAvgMs.toFixed(1)} ms on average`,
    );

    // The steady state: nothing changes, so nothing should be written.
    const quiet = await waitQuiet(log, 3_000, 120_000, isLease);
    text = await metrics();
    const cpu0 = cpuSeconds(text);
    const rssStartMiB = procMemoryMiB(pid, 'VmRSS');
    const from = performance.now();
    await sleep(o.steadySeconds * 1000);
    const to = performance.now();
    const steadyCpu = cpuSeconds(await metrics()) - cpu0;
    const rssEndMiB = procMemoryMiB(pid, 'VmRSS');
    const writes = [...log.between(from, to)].sort(([a], [b]) => a.localeCompare(b));
    const otherWrites = writes
      .filter(([k]) => !k.endsWith(' leases'))
      .reduce((t, [, v]) => t + v, 0);
    const steadyMs = to - from;
    print(
      `steady state:           ${o.steadySeconds} s${quiet ? '' : ' (writes had not stopped after 120 s)'}: ` +
        `${otherWrites} writes besides Lease renewals (${writes.map(([k, v]) => `${k} ${v}`).join(', ') || 'none at all'}); ` +
        `controller CPU ${steadyCpu.toFixed(2)} s (${((steadyCpu * 100_000) / steadyMs).toFixed(1)}% of a core); ` +
        `RSS ${rssStartMiB.toFixed(0)} MiB at the start, ${rssEndMiB.toFixed(0)} MiB at the end`,
    );
    const wholeRunPeak = procMemoryMiB(pid, 'VmHWM');
    print(`controller peak RSS:    ${wholeRunPeak.toFixed(0)} MiB over the whole run`);

    stopping = true;
    child.kill('SIGTERM');
    const code = await exited;
    controller = undefined;
    if (code !== 0) throw new Error(`the controller exited ${code} after SIGTERM`);
    return {
      clusters: o.clusters,
      mcms: o.mcms,
      works: expected,
      baselineMs: baseline.ms,
      writtenMs,
      settledMs,
      statusLagMs,
      peakRssMiB: wholeRunPeak,
      heapFlags: flags,
      reconciles: {
        count: rollout.count,
        avgMs: (rollout.seconds * 1000) / Math.max(1, rollout.count),
        computed: rollout.computed,
        reused: rollout.reused,
      },
      requests,
      samples: sampleFigures,
      steady: {
        seconds: o.steadySeconds,
        writes,
        otherWrites,
        cpuSeconds: steadyCpu,
        rssStartMiB,
        rssEndMiB,
      },
    };
  } finally {
    log.stop();
    controller?.kill('SIGKILL');
    await kc.close();
    await sandbox.stop();
    await registry?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
