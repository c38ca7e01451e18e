// The sandbox hub in one call: the API server (with the upstream CRDs) plus a simulated ACM fleet talking to
// it over HTTPS. It is a test and demo hub, not a Kubernetes cluster: everything lives in memory.

import { startBuildExecutor, type BuildExecutor, type BuildExecutorOptions } from './builds';
import { Fleet } from './fleet';
import { startApiServer } from './server';

export * from './fleet';
export * from './builds';
export {
  startApiServer,
  defaultCrdFiles,
  installCrdFiles,
  DEFAULT_BOOKMARK_INTERVAL_MS,
  DEFAULT_MIN_REQUEST_TIMEOUT_SECONDS,
  InProcessClient,
  REPO_ROOT,
  selfSignedCertificate,
  type ServingCertificate,
  type ApiServerHandle,
  type ApiServerOptions,
  type Audit,
  type AuditEntry,
  type AuditEvent,
  type AuditKey,
  type Attributes,
  type Denial,
  type FailRule,
  type Faults,
  type KubeObject,
  type ObjectMeta,
  type RequestFilter,
} from './server';

export interface SandboxOptions {
  /** TCP port on 127.0.0.1; 0 (the default) picks a free one */
  port?: number;
  /** clusters registered at start (default 0) */
  clusters?: number;
  /** fleet generation seed (default 1) */
  seed?: number;
  /** the work agent's status sync interval (default 10 000 ms, as OCM; tests use a few ms) */
  statusSyncIntervalMs?: number;
  /** where progress lines go (default: nowhere) */
  log?: (line: string) => void;
  /** the simulated build executor for kmm-hub's Jobs (default: on, 2 s per Job); false turns it off */
  buildExecutor?: false | Omit<BuildExecutorOptions, 'kubeconfig'>;
  /** CRD files the API server preloads (default: defaultCrdFiles()) */
  crdFiles?: string[];
  /** every generated cluster without KMM (see FleetOptions.withoutKmm) */
  withoutKmm?: boolean;
  /** evaluate ACM Policies this often, installing KMM where the install Policy is placed (FleetOptions) */
  policyIntervalMs?: number;
  /** the API server's bookmark interval (default 60 000 ms, as kube-apiserver) */
  bookmarkIntervalMs?: number;
  /** the API server's `--min-request-timeout` (default 1800 s) */
  minRequestTimeoutSeconds?: number;
}

type ApiServer = Awaited<ReturnType<typeof startApiServer>>;

export interface Sandbox {
  /** `https://127.0.0.1:<port>`, what the kubeconfig points at */
  url: string;
  /** `http://127.0.0.1:<port>`: the same server in plain HTTP (bearer token still required) */
  httpUrl: string;
  token: string;
  /** a kubeconfig (YAML) for the server, with the bearer token */
  kubeconfig: string;
  writeKubeconfig(path: string): Promise<void> | void;
  /** the fleet and its actions (upgradeKernel, relabel, setOffline, addClusters, ...) */
  fleet: Fleet;
  faults: ApiServer['faults'];
  audit: ApiServer['audit'];
  /** the simulated build executor, unless turned off */
  builds?: BuildExecutor;
  /** the API server itself: tokens for ServiceAccounts, denials, in-process objects, service routes */
  server: ApiServer;
  /** how long registering the initial clusters took */
  fleetStartMs: number;
  /** stops the fleet, then the server */
  stop(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const server = await startApiServer({
    port: options.port ?? 0,
    ...(options.crdFiles ? { crdFiles: options.crdFiles } : {}),
    bookmarkIntervalMs: options.bookmarkIntervalMs,
    minRequestTimeoutSeconds: options.minRequestTimeoutSeconds,
  });
  let fleet: Fleet;
  const started = performance.now();
  try {
    fleet = await Fleet.start({
      kubeconfig: server.kubeconfig,
      clusters: options.clusters ?? 0,
      seed: options.seed ?? 1,
      ...(options.statusSyncIntervalMs !== undefined
        ? { statusSyncIntervalMs: options.statusSyncIntervalMs }
        : {}),
      ...(options.log ? { log: options.log } : {}),
      ...(options.withoutKmm !== undefined ? { withoutKmm: options.withoutKmm } : {}),
      ...(options.policyIntervalMs !== undefined
        ? { policyIntervalMs: options.policyIntervalMs }
        : {}),
    });
  } catch (err) {
    await server.stop();
    throw err;
  }
  const fleetStartMs = performance.now() - started;
  const builds =
    options.buildExecutor === false
      ? undefined
      : await startBuildExecutor({
          kubeconfig: server.kubeconfig,
          ...(options.log ? { log: options.log } : {}),
          ...options.buildExecutor,
        });
  let stopping: Promise<void> | undefined;
  return {
    url: server.url,
    httpUrl: server.httpUrl,
    token: server.token,
    kubeconfig: server.kubeconfig,
    writeKubeconfig: (path) => server.writeKubeconfig(path),
    fleet,
    faults: server.faults,
    audit: server.audit,
    server,
    fleetStartMs,
    ...(builds ? { builds } : {}),
    stop: () =>
      (stopping ??= (async () => {
        await builds?.stop();
        await fleet.stop();
        await server.stop();
      })()),
  };
}
