/**
 * The bench's measuring of the controller against a sandbox fleet after the rollout: latencies of single
 * changes (from the sandbox's audit timestamps) and the steady state. Kept apart from converge-run.ts so that
 * each phase reads on its own.
 */
import type { AuditEvent as LoggedRequest, Sandbox } from 'kmm-hub-sandbox';

/** A write as the audit log has it, and when (performance.now()) the API server logged its arrival. */
export type AuditEvent = LoggedRequest & { at: number };

const WRITE_VERBS = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Every write the API server received since `start()`, in arrival order, with its arrival time. */
export class WriteLog {
  readonly events: AuditEvent[] = [];
  private off?: () => void;

  start(sandbox: Sandbox): void {
    // the listener runs synchronously as the request is logged, before it is served
    this.off = sandbox.audit.onRequest((e) => {
      if (WRITE_VERBS.has(e.verb)) this.events.push({ ...e, at: performance.now() });
    });
  }

  stop(): void {
    this.off?.();
  }

  /** The first write matching `match` that arrived after `after`, waiting up to `timeoutMs` for it. */
  async first(
    match: (e: AuditEvent) => boolean,
    after: number,
    timeoutMs: number,
  ): Promise<AuditEvent | undefined> {
    const deadline = performance.now() + timeoutMs;
    let from = 0;
    for (;;) {
      for (; from < this.events.length; from++) {
        const e = this.events[from]!;
        if (e.at > after && match(e)) return e;
      }
      if (performance.now() > deadline) return undefined;
      await sleep(5);
    }
  }

  /** The last write matching `match` that arrived at or before `before`. */
  last(match: (e: AuditEvent) => boolean, before = Infinity): AuditEvent | undefined {
    for (let i = this.events.length - 1; i >= 0; i--) {
      const e = this.events[i]!;
      if (e.at <= before && match(e)) return e;
    }
    return undefined;
  }

  /** Writes that arrived in [from, to), by "verb resource[/subresource]". */
  between(from: number, to: number): Map<string, number> {
    const out = new Map<string, number>();
    for (const e of this.events) {
      if (e.at < from || e.at >= to) continue;
      const key = `${e.verb} ${e.resource ?? ''}${e.subresource ? `/${e.subresource}` : ''}`;
      out.set(key, (out.get(key) ?? 0) + 1);
    }
    return out;
  }
}

export const isWorkSpecUpdate = (cluster: string, mcm: string) => (e: AuditEvent) =>
  e.verb === 'update' &&
  e.resource === 'manifestworks' &&
  !e.subresource &&
  e.namespace === cluster &&
  e.name === mcm;

export const isWorkStatusReport = (cluster?: string, mcm?: string) => (e: AuditEvent) =>
  e.resource === 'manifestworks' &&
  e.subresource === 'status' &&
  (cluster === undefined || e.namespace === cluster) &&
  (mcm === undefined || e.name === mcm);

export const isMcmStatusWrite = (mcm?: string) => (e: AuditEvent) =>
  e.resource === 'managedclustermodules' &&
  e.subresource === 'status' &&
  (mcm === undefined || e.name === mcm);

const isClusterWrite = (cluster: string) => (e: AuditEvent) =>
  e.resource === 'managedclusters' && e.name === cluster;

/** One kernel upgrade's latencies, in ms. */
export interface ChangeSample {
  cluster: string;
  /** from the ManagedCluster's claim written to the last of its ManifestWorks updated by the controller */
  claimToWorks?: number;
  /** per ManifestWork: from the work agent's status report to the MCM status written next */
  reportToStatus: number[];
  /** works whose report needed no MCM status write (the status was right already) */
  statusUnchanged: number;
}

/**
 * Upgrades the kernel of `samples` clusters one at a time (spread over time, `gapMs` apart), each to a kernel
 * from `kernels` it does not run (kernels whose images are built already, so that the change is the
 * controller's alone), and measures from the audit: (a) its claim written to its ManifestWorks updated, and
 * (b) each work's status report (the agent applied the new spec) to the MCM status written next.
 */
export async function sampleKernelUpgrades(options: {
  sandbox: Sandbox;
  log: WriteLog;
  mcms: string[];
  /** clusters that have a ManifestWork of every MCM (others, e.g. without KMM, get nothing to update) */
  clusters: string[];
  kernels: string[];
  samples: number;
  gapMs: number;
  random: () => number;
  timeoutMs?: number;
}): Promise<ChangeSample[]> {
  const { sandbox, log, mcms, clusters, kernels, random } = options;
  const timeout = options.timeoutMs ?? 30_000;
  const out: ChangeSample[] = [];
  for (let i = 0; i < options.samples; i++) {
    const cluster = clusters[Math.floor(random() * clusters.length)]!;
    const running = sandbox.fleet.kernels(cluster);
    const targets = kernels.filter((k) => !running.includes(k));
    if (running.length === 0 || targets.length === 0) continue;
    const to = targets[Math.floor(random() * targets.length)]!;
    const from = running[Math.floor(random() * running.length)]!;
    const begin = performance.now();
    await sandbox.fleet.upgradeKernel(cluster, from, to);
    const claim = await log.first(isClusterWrite(cluster), begin, timeout);
    if (!claim) throw new Error(`sample ${i}: ${cluster}'s claim was never written`);
    const sample: ChangeSample = { cluster, reportToStatus: [], statusUnchanged: 0 };
    const updates = await Promise.all(
      mcms.map((m) => log.first(isWorkSpecUpdate(cluster, m), claim.at, timeout)),
    );
    const missing = mcms.filter((_, j) => !updates[j]);
    if (missing.length > 0) {
      throw new Error(
        `sample ${i}: ${cluster} upgraded from ${from} to ${to} (running ${running.join(', ')}): ` +
          `its ManifestWorks of ${missing.join(', ')} were not updated in ${timeout} ms`,
      );
    }
    sample.claimToWorks = Math.max(...updates.map((u) => u!.at)) - claim.at;
    await Promise.all(
      mcms.map(async (m, j) => {
        const report = await log.first(isWorkStatusReport(cluster, m), updates[j]!.at, timeout);
        if (!report) throw new Error(`sample ${i}: the work agent never reported ${cluster}/${m}`);
        // The controller batches status reports; without a change to show it writes nothing.
        const status = await log.first(isMcmStatusWrite(m), report.at, 5_000);
        if (status) sample.reportToStatus.push(status.at - report.at);
        else sample.statusUnchanged++;
      }),
    );
    out.push(sample);
    await sleep(options.gapMs);
  }
  return out;
}

/** The p-th percentile (0-100) by nearest rank; NaN for no values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  ]!;
}

/** Waits until no write arrived for `quietMs` (at most `timeoutMs`); false if the writes never stopped. */
export async function waitQuiet(
  log: WriteLog,
  quietMs: number,
  timeoutMs: number,
  ignore: (e: AuditEvent) => boolean,
): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const last = log.last((e) => !ignore(e));
    const now = performance.now();
    if (!last || now - last.at >= quietMs) return true;
    if (now > deadline) return false;
    await sleep(200);
  }
}
