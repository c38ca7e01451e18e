// The controller's configuration and the parsers that turn flag/env strings into it. Every parser throws an
// error that names what it expected, so a bad flag or environment variable is reported with its fix.
import { dnsLabelProblem, dnsSubdomainProblem } from './model/names';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
export const LOG_LEVELS: readonly LogLevel[] = [
  'fatal',
  'error',
  'warn',
  'info',
  'debug',
  'trace',
  'silent',
];

export interface LeaderElectionConfig {
  enabled: boolean;
  leaseName: string;
  /** where the Lease lives; the controller's namespace unless set */
  namespace: string;
  identity: string;
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
}

/** Registry checks and hub builds (the `run` command always sets it; in-process users may leave it out). */
export interface ImagesConfig {
  /** send `repository@sha256:...` to spokes */
  pinDigests: boolean;
  /** the build Jobs' image: kaniko's executor or one that takes its arguments */
  builderImage: string;
  /** the image sign Jobs take sign-file from (upstream's signing image) */
  signerImage: string;
  /** PEM file of CAs trusted for registries besides the system ones */
  registryCaFile?: string;
  registryTimeoutMs: number;
  /** every distinct image is checked again after this long */
  recheckIntervalMs: number;
  /** succeeded build/sign Jobs are deleted this long after they finished */
  succeededJobTtlMs: number;
  /** registry checks in flight at once */
  registryConcurrency: number;
}

export const DEFAULT_BUILDER_IMAGE = 'gcr.io/kaniko-project/executor:v1.23.2';
export const DEFAULT_SIGNER_IMAGE =
  'quay.io/edge-infrastructure/kernel-module-management-signimage:latest';

export interface ControllerConfig {
  /** kubeconfig file(s) (--kubeconfig or KUBECONFIG); undefined = the in-cluster service account, else ~/.kube/config */
  kubeconfig?: string;
  namespace: string;
  /** MCMs reconciled at the same time */
  concurrency: number;
  /** API writes in flight at once within one MCM's reconcile */
  writeConcurrency: number;
  resyncPeriodMs: number;
  /**
   * An MCM is reconciled for ManifestWork status changes (the work agent's reports) at most once per this period,
   * so that a fleet reporting in does not keep every MCM in a reconcile loop; a report after a quiet period is
   * acted on within 50 ms
   */
  workStatusBatchMs: number;
  /**
   * At most one fleet summary computation and write per MCM per this long (default 2 s): a fleet reporting in
   * costs one write per interval, not one per report
   */
  fleetSummaryIntervalMs?: number;
  /** host:port of the /healthz, /readyz and /metrics server; port 0 picks a free port */
  httpAddress: { host: string; port: number };
  /** where Events about cluster-scoped MCMs are written (kube uses `default` for cluster-scoped objects) */
  eventsNamespace: string;
  shutdownTimeoutMs: number;
  logLevel: LogLevel;
  leaderElection: LeaderElectionConfig;
  /**
   * Registry checks, digest pinning and hub builds. Without it (in-process tests that need no registry) every
   * image is taken to exist with its tag and one needing a build or sign waits.
   */
  images?: ImagesConfig;
}

// Go's time.ParseDuration units, in milliseconds: Kubernetes operators' duration flags all take this form.
const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  '\u00b5s': 1e-3, // µ, MICRO SIGN
  '\u03bcs': 1e-3, // μ, GREEK SMALL LETTER MU
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};
const DURATION_PART = /(\d+\.?\d*|\.\d+)([^\d.]*)/y;
const DURATION_HINT =
  'use a number with a unit, e.g. 500ms, 15s, 1m30s or 1h2m3.5s (units: ns, us, ms, s, m, h)';

/**
 * Parses a duration as Go's time.ParseDuration does (`500ms`, `15s`, `1m30s`, `1h2m3.5s`, `2us`, `0`), to
 * milliseconds rounded to the nearest one (the controller's timers count milliseconds). Negative durations are
 * refused: none of the controller's durations can be negative.
 */
export function parseDuration(value: string): number {
  const text = value.trim().replace(/^\+/, '');
  if (text === '0') return 0;
  if (text.startsWith('-'))
    throw new Error(`"${value}" is not a duration: it must not be negative`);
  if (text === '') throw new Error(`"${value}" is not a duration: ${DURATION_HINT}`);
  let ms = 0;
  DURATION_PART.lastIndex = 0;
  while (DURATION_PART.lastIndex < text.length) {
    const m = DURATION_PART.exec(text);
    if (!m) throw new Error(`"${value}" is not a duration: ${DURATION_HINT}`);
    const [, number, unit] = m as unknown as [string, string, string];
    const size = UNIT_MS[unit];
    if (size === undefined) {
      throw new Error(
        unit === ''
          ? `"${value}" is not a duration: ${DURATION_HINT}`
          : `"${value}" is not a duration: unknown unit "${unit}"; ${DURATION_HINT}`,
      );
    }
    ms += Number(number) * size;
  }
  if (!Number.isSafeInteger(Math.round(ms))) {
    throw new Error(`"${value}" is not a duration: it is too long`);
  }
  return Math.round(ms);
}

export function formatDuration(ms: number): string {
  for (const unit of ['h', 'm', 's'] as const) {
    const size = UNIT_MS[unit] as number;
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

export function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) {
    throw new Error(`"${value}" is not a positive integer`);
  }
  return n;
}

export function parseBoolean(value: string): boolean {
  const v = value.trim().toLowerCase();
  if (v === 'true' || v === '1' || v === 'yes') return true;
  if (v === 'false' || v === '0' || v === 'no') return false;
  throw new Error(`"${value}" is not a boolean: use true or false`);
}

/** `host:port`, `:port` (all interfaces) or `[v6]:port`. */
export function parseHostPort(value: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(value.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) {
    throw new Error(
      `"${value}" is not an address: use host:port, e.g. 0.0.0.0:8081 or 127.0.0.1:0`,
    );
  }
  return { host: m[1] ?? (m[2] || '0.0.0.0'), port };
}

export function parseLogLevel(value: string): LogLevel {
  const v = value.trim().toLowerCase() as LogLevel;
  if (!LOG_LEVELS.includes(v)) {
    throw new Error(`"${value}" is not a log level: use one of ${LOG_LEVELS.join(', ')}`);
  }
  return v;
}

/** A DNS label (the model's rule for names): a namespace. */
export function parseNamespace(value: string): string {
  const problem = dnsLabelProblem(value);
  if (problem) throw new Error(`"${value}" is not a namespace name: it ${problem}`);
  return value;
}

/** A DNS subdomain (the model's rule for names): e.g. the Lease's name. */
export function parseObjectName(value: string): string {
  const problem = dnsSubdomainProblem(value);
  if (problem) throw new Error(`"${value}" is not an object name: it ${problem}`);
  return value;
}

/** Cross-field rules the flags cannot express one by one (the same ones client-go enforces). */
export function checkLeaderElection(le: LeaderElectionConfig): void {
  if (!le.enabled) return;
  if (le.leaseDurationMs <= le.renewDeadlineMs) {
    throw new Error(
      `--leader-election-lease-duration (${formatDuration(le.leaseDurationMs)}) must be greater than ` +
        `--leader-election-renew-deadline (${formatDuration(le.renewDeadlineMs)})`,
    );
  }
  if (le.renewDeadlineMs <= le.retryPeriodMs) {
    throw new Error(
      `--leader-election-renew-deadline (${formatDuration(le.renewDeadlineMs)}) must be greater than ` +
        `--leader-election-retry-period (${formatDuration(le.retryPeriodMs)})`,
    );
  }
  if (le.leaseDurationMs < 1000) {
    throw new Error(
      '--leader-election-lease-duration must be at least 1s: a Lease counts whole seconds',
    );
  }
}
