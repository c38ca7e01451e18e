import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { InvalidArgumentError, Option } from 'commander';
import {
  checkLeaderElection,
  parseBoolean,
  parseDuration,
  parseHostPort,
  parseLogLevel,
  parseNamespace,
  parseObjectName,
  parsePositiveInt,
  DEFAULT_BUILDER_IMAGE,
  DEFAULT_SIGNER_IMAGE,
  type ControllerConfig,
  type LogLevel,
} from '../config';

/** The parsed flags of `run`, before defaults that depend on other flags are filled in. */
export interface RunOptions {
  kubeconfig?: string;
  namespace: string;
  concurrency: number;
  writeConcurrency: number;
  resyncPeriod: number;
  workStatusBatch: number;
  fleetSummaryInterval: number;
  httpAddress: { host: string; port: number };
  eventsNamespace: string;
  leaderElect: boolean;
  leaderElectionId: string;
  leaderElectionNamespace?: string;
  leaderElectionLeaseDuration: number;
  leaderElectionRenewDeadline: number;
  leaderElectionRetryPeriod: number;
  identity?: string;
  shutdownTimeout: number;
  logLevel: LogLevel;
  imageChecks: boolean;
  pinDigests: boolean;
  builderImage: string;
  signerImage: string;
  registryCaFile?: string;
  registryTimeout: number;
  imageRecheckInterval: number;
  succeededJobTtl: number;
  registryConcurrency: number;
  webhookAddress?: { host: string; port: number };
  webhookCertDir: string;
}

/** commander wants InvalidArgumentError to print "option '--x <v>' argument 'y' is invalid. <why>". */
const parser =
  <T>(parse: (value: string) => T) =>
  (value: string): T => {
    try {
      return parse(value);
    } catch (error) {
      throw new InvalidArgumentError(error instanceof Error ? error.message : String(error));
    }
  };

const option = <T>(
  flags: string,
  description: string,
  env: string,
  parse: ((value: string) => T) | undefined,
  defaultValue?: T,
  defaultDescription?: string,
): Option => {
  const o = new Option(flags, description).env(env);
  if (parse) o.argParser(parser(parse));
  if (defaultValue !== undefined) o.default(defaultValue, defaultDescription);
  return o;
};

/** Every flag of `run`, each with its environment variable and its default (shown by --help). */
export function runOptions(): Option[] {
  return [
    option(
      '--kubeconfig <path>',
      'kubeconfig file, several separated by ":" as in KUBECONFIG ' +
        '(default: the in-cluster service account, else ~/.kube/config)',
      'KUBECONFIG',
      undefined,
    ),
    option(
      '--namespace <name>',
      "the controller's namespace: where its leader Lease lives",
      'OPERATOR_NAMESPACE',
      parseNamespace,
      'kmm-hub',
    ),
    option(
      '--concurrency <n>',
      'ManagedClusterModules reconciled at the same time',
      'KMM_HUB_CONCURRENCY',
      parsePositiveInt,
      4,
    ),
    option(
      '--write-concurrency <n>',
      "API writes in flight at once within one ManagedClusterModule's reconcile",
      'KMM_HUB_WRITE_CONCURRENCY',
      parsePositiveInt,
      16,
    ),
    option(
      '--resync-period <duration>',
      'reconcile every ManagedClusterModule again after this long (from the cache; writes only what differs)',
      'KMM_HUB_RESYNC_PERIOD',
      parseDuration,
      600_000,
      '10m',
    ),
    option(
      '--work-status-batch <duration>',
      'reconcile an MCM for ManifestWork status reports at most once per this period; a lone report acts within 50 ms (spec changes act at once)',
      'KMM_HUB_WORK_STATUS_BATCH',
      parseDuration,
      500,
      '500ms',
    ),
    option(
      '--fleet-summary-interval <duration>',
      'compute and write each MCM fleet summary (what the console reads) at most once per this long',
      'KMM_HUB_FLEET_SUMMARY_INTERVAL',
      parseDuration,
      2000,
      '2s',
    ),
    option(
      '--http-address <host:port>',
      'listen address of /healthz, /readyz and /metrics (port 0 picks a free port)',
      'KMM_HUB_HTTP_ADDRESS',
      parseHostPort,
      { host: '0.0.0.0', port: 8081 },
      '0.0.0.0:8081',
    ),
    option(
      '--events-namespace <name>',
      'namespace of the Events about (cluster-scoped) ManagedClusterModules',
      'KMM_HUB_EVENTS_NAMESPACE',
      parseNamespace,
      'default',
    ),
    option(
      '--leader-elect <bool>',
      'elect a leader through a Lease; only the leader writes',
      'KMM_HUB_LEADER_ELECT',
      parseBoolean,
      true,
    ),
    option(
      '--leader-election-id <name>',
      'name of the Lease',
      'KMM_HUB_LEADER_ELECTION_ID',
      parseObjectName,
      'kmm-hub-controller',
    ),
    option(
      '--leader-election-namespace <name>',
      'namespace of the Lease (default: the --namespace value)',
      'KMM_HUB_LEADER_ELECTION_NAMESPACE',
      parseNamespace,
    ),
    option(
      '--leader-election-lease-duration <duration>',
      'how long a standby waits after the last renewal before taking over',
      'KMM_HUB_LEADER_ELECTION_LEASE_DURATION',
      parseDuration,
      15_000,
      '15s',
    ),
    option(
      '--leader-election-renew-deadline <duration>',
      'the leader stops writing when it could not renew for this long',
      'KMM_HUB_LEADER_ELECTION_RENEW_DEADLINE',
      parseDuration,
      10_000,
      '10s',
    ),
    option(
      '--leader-election-retry-period <duration>',
      'interval between attempts to acquire or renew the Lease',
      'KMM_HUB_LEADER_ELECTION_RETRY_PERIOD',
      parseDuration,
      2000,
      '2s',
    ),
    option(
      '--identity <id>',
      "this replica's name in the Lease and in its Events (default: <hostname>_<random uuid>)",
      'POD_NAME',
      (v) => {
        if (v.trim() === '') throw new Error('the identity must not be empty');
        return v;
      },
    ),
    option(
      '--shutdown-timeout <duration>',
      'on SIGTERM, how long reconciles in progress may take to finish',
      'KMM_HUB_SHUTDOWN_TIMEOUT',
      parseDuration,
      30_000,
      '30s',
    ),
    option(
      '--webhook-address <host:port>',
      'serve the validating admission webhook for ManagedClusterModules over HTTPS here (default: not served)',
      'KMM_HUB_WEBHOOK_ADDRESS',
      parseHostPort,
    ),
    option(
      '--webhook-cert-dir <dir>',
      "the webhook's serving certificate: tls.crt and tls.key, read again whenever they change",
      'KMM_HUB_WEBHOOK_CERT_DIR',
      undefined,
      '/var/run/kmm-hub/webhook-tls',
    ),
    option(
      '--log-level <level>',
      'fatal, error, warn, info, debug, trace or silent',
      'LOG_LEVEL',
      parseLogLevel,
      'info',
    ),
    option(
      '--image-checks <bool>',
      'check images in their registries and build/sign them on the hub (false: every image is taken to exist ' +
        'with its tag, and one that needs a build or sign waits)',
      'KMM_HUB_IMAGE_CHECKS',
      parseBoolean,
      true,
    ),
    option(
      '--pin-digests <bool>',
      'send images to spokes as repository@sha256:... resolved from their registries (false: the tags as written)',
      'KMM_HUB_PIN_DIGESTS',
      parseBoolean,
      true,
    ),
    option(
      '--builder-image <image>',
      'image of the build and sign Jobs (takes kaniko executor arguments)',
      'RELATED_IMAGE_BUILD',
      nonEmpty('--builder-image'),
      DEFAULT_BUILDER_IMAGE,
    ),
    option(
      '--signer-image <image>',
      'image sign Jobs take sign-file from',
      'RELATED_IMAGE_SIGN',
      nonEmpty('--signer-image'),
      DEFAULT_SIGNER_IMAGE,
    ),
    option(
      '--registry-ca-file <path>',
      'PEM bundle of CAs trusted for registries, besides the system ones (default: none)',
      'KMM_HUB_REGISTRY_CA_FILE',
      readableFile,
    ),
    option(
      '--registry-timeout <duration>',
      'timeout of one registry request',
      'KMM_HUB_REGISTRY_TIMEOUT',
      parseDuration,
      10_000,
      '10s',
    ),
    option(
      '--image-recheck-interval <duration>',
      'check every image in its registry again after this long (at once after kmm-hub built or signed it)',
      'KMM_HUB_IMAGE_RECHECK_INTERVAL',
      parseDuration,
      300_000,
      '5m',
    ),
    option(
      '--succeeded-job-ttl <duration>',
      'delete succeeded build and sign Jobs this long after they finished (failed ones stay for inspection)',
      'KMM_HUB_SUCCEEDED_JOB_TTL',
      parseDuration,
      600_000,
      '10m',
    ),
    option(
      '--registry-concurrency <n>',
      'registry checks in flight at once',
      'KMM_HUB_REGISTRY_CONCURRENCY',
      parsePositiveInt,
      8,
    ),
  ];
}

const nonEmpty = (flag: string) => (v: string) => {
  if (v.trim() === '') throw new Error(`${flag} must not be empty`);
  return v;
};

function readableFile(path: string): string {
  try {
    readFileSync(path);
  } catch (error) {
    throw new Error(`cannot read ${path}: ${(error as Error).message}`);
  }
  return path;
}

/** The configuration the flags describe; throws (naming the flags) when they contradict each other. */
export function toConfig(o: RunOptions): ControllerConfig {
  const config: ControllerConfig = {
    kubeconfig: o.kubeconfig,
    namespace: o.namespace,
    concurrency: o.concurrency,
    writeConcurrency: o.writeConcurrency,
    resyncPeriodMs: o.resyncPeriod,
    workStatusBatchMs: o.workStatusBatch,
    fleetSummaryIntervalMs: o.fleetSummaryInterval,
    httpAddress: o.httpAddress,
    eventsNamespace: o.eventsNamespace,
    shutdownTimeoutMs: o.shutdownTimeout,
    logLevel: o.logLevel,
    leaderElection: {
      enabled: o.leaderElect,
      leaseName: o.leaderElectionId,
      namespace: o.leaderElectionNamespace ?? o.namespace,
      identity: o.identity ?? `${hostname()}_${randomUUID()}`,
      leaseDurationMs: o.leaderElectionLeaseDuration,
      renewDeadlineMs: o.leaderElectionRenewDeadline,
      retryPeriodMs: o.leaderElectionRetryPeriod,
    },
    images: o.imageChecks
      ? {
          pinDigests: o.pinDigests,
          builderImage: o.builderImage,
          signerImage: o.signerImage,
          registryCaFile: o.registryCaFile,
          registryTimeoutMs: o.registryTimeout,
          recheckIntervalMs: o.imageRecheckInterval,
          succeededJobTtlMs: o.succeededJobTtl,
          registryConcurrency: o.registryConcurrency,
        }
      : undefined,
  };
  checkLeaderElection(config.leaderElection);
  return config;
}
