/**
 * Convergence at fleet scale: the sandbox hub and its simulated fleet in this process, the controller as its
 * own process (`kmm-hub-controller run` with its defaults, compiled as deployed, its heap sized for the chart's
 * memory limit as it sizes it in a container), MCMs that select every cluster. Prints
 * - the time from creating the MCMs to every ManifestWork written, and to every MCM status settled
 *   (Ready=True and numberApplied = numberDesired, for its generation), and the status lag: from the work
 *   agents' last report to that last status write (the agents' own time is not the controller's);
 * - the controller's API requests over that time, by verb and resource (its own /metrics counters,
 *   cross-checked against the sandbox's audit);
 * - the controller's peak RSS (VmHWM of its process), its CPU time over that time, and its reconciles (how
 *   many planned anew, how many reused the last plan because only ManifestWork status came in);
 * - registry requests and build Jobs over that time: every image is at a local docker-registry and built on the
 *   hub by the sandbox's build executor, so these must follow the distinct images, not the clusters;
 * - the ratio of those times to a baseline measured in the same run against the same sandbox: a minimal
 *   client (also its own process, same connection pooling, as many requests in flight as the controller can
 *   have) that creates the very ManifestWorks the model plans: no informers, no status, no decisions;
 * - latencies people feel, from the sandbox's audit timestamps, over `--samples` kernel upgrades one cluster
 *   at a time: the cluster's claim written to its ManifestWorks updated, and each work's status report to the
 *   MCM status written; and the controller's reconcile time per such change (`--compare` an earlier run's
 *   `--save`d figures, e.g. at 350 clusters, to print the ratio: it must not grow with the fleet);
 * - the steady state over `--steady-seconds`: writes (from the audit), controller CPU, RSS at start and end.
 *
 *   npm run bench:converge -- [--clusters 500] [--mcms 2] [--status-sync-interval 1000] [--seed 1]
 *     [--samples 100] [--sample-gap-ms 200] [--steady-seconds 30] [--memory-limit 320Mi | none]
 *     [--sources] [--save figures.json] [--compare figures.json]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { CustomObjectsApi } from '@kubernetes/client-node';
import { MANIFEST_WORK_RESOURCE } from 'kmm-hub-controller';
import type { ManifestWork } from 'kmm-hub-controller/model';
import { PooledKubeConfig, settleAll } from 'kmm-hub-controller/runtime';
import {
  chartMemoryLimit,
  parseMemoryQuantity,
  runConverge,
  type ConvergeFigures,
} from './converge-run';

function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  if (at < 0) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`--${name} must be a whole number, got ${process.argv[at + 1]}`);
  }
  return value;
}

function stringArg(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at < 0 ? undefined : process.argv[at + 1];
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
    api.createNamespacedCustomObject({
      ...MANIFEST_WORK_RESOURCE,
      namespace: body.metadata.namespace!,
      body,
    });
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

async function main(): Promise<void> {
  const limit = stringArg('memory-limit') ?? chartMemoryLimit();
  const figures = await runConverge({
    clusters: arg('clusters', 500),
    mcms: arg('mcms', 2),
    statusSyncIntervalMs: arg('status-sync-interval', 1000),
    seed: arg('seed', 1),
    samples: arg('samples', 100),
    sampleGapMs: arg('sample-gap-ms', 200),
    steadySeconds: arg('steady-seconds', 30),
    memoryLimitBytes: limit === 'none' ? undefined : parseMemoryQuantity(limit),
    compiled: !process.argv.includes('--sources'),
    images: true,
  });
  const save = stringArg('save');
  if (save) writeFileSync(save, `${JSON.stringify(figures, null, 2)}\n`);
  const compare = stringArg('compare');
  if (compare) {
    const other = JSON.parse(readFileSync(compare, 'utf8')) as ConvergeFigures;
    const ratio = (a: number, b: number) => (b > 0 ? (a / b).toFixed(2) : 'n/a');
    console.log(
      `compared with ${compare} (${other.clusters} clusters x ${other.mcms} MCMs), this run / that run:`,
    );
    console.log(
      `  reconcile per kernel upgrade:  ${figures.samples.reconcileAvgMs.toFixed(1)} ms / ${other.samples.reconcileAvgMs.toFixed(1)} ms = ` +
        `${ratio(figures.samples.reconcileAvgMs, other.samples.reconcileAvgMs)} for ${ratio(figures.clusters, other.clusters)}x the clusters`,
    );
    console.log(
      `  claim to works updated, p99:   ${ratio(figures.samples.claimToWorks.p99, other.samples.claimToWorks.p99)}`,
    );
    console.log(`  peak RSS:                      ${ratio(figures.peakRssMiB, other.peakRssMiB)}`);
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
