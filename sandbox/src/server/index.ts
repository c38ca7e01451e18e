/**
 * The sandbox Kubernetes API server: HTTPS and plain HTTP on one port of 127.0.0.1, in memory,
 * kube-apiserver semantics for the built-in kinds the project uses and for every CRD (see
 * sandbox/README.md for what is faithful). The kubeconfig uses HTTPS: kubectl sends tokens only over TLS.
 *
 *   const server = await startApiServer({ port: 0 });
 *   server.writeKubeconfig('/tmp/kubeconfig');      // or new KubeConfig().loadFromString(server.kubeconfig)
 *   server.faults.failNext({ verb: 'create', resource: 'manifestworks', status: 500 });
 *   server.audit.count({ verb: 'create', resource: 'manifestworks' });
 *   await server.stop();
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type RequestListener } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import { serviceRouteKey } from './admission';
import type { Audit } from './audit';
import { serviceAccountUser, type Denial } from './authorization';
import { defaultCrdFiles, readCrds } from './crds';
import { DEFAULT_BOOKMARK_INTERVAL_MS, DEFAULT_MIN_REQUEST_TIMEOUT_SECONDS } from './defaults';
import type { FailRule, RequestFilter } from './faults';
import { Api } from './http';
import { InProcessClient } from './in-process';
import { kubeconfigYaml } from './kubeconfig';
import { selfSignedCertificate } from './tls';

export type { Audit, AuditEntry, AuditEvent, AuditKey } from './audit';
export type { Attributes, Denial } from './authorization';
export type { FailRule, RequestFilter } from './faults';
export type { KubeObject, ObjectMeta } from './types';
export { InProcessClient } from './in-process';
export { defaultCrdFiles, installCrdFiles, REPO_ROOT } from './crds';
export { selfSignedCertificate, type ServingCertificate } from './tls';
export { DEFAULT_BOOKMARK_INTERVAL_MS, DEFAULT_MIN_REQUEST_TIMEOUT_SECONDS } from './defaults';

export interface ApiServerOptions {
  /** 0 (default) picks a free port. The server always listens on 127.0.0.1. */
  port?: number;
  /** CRD YAML files to preload; default: crds/upstream/*.yaml plus charts/kmm-hub/crds/*.yaml. */
  crdFiles?: string[];
  /** Events kept per resource for watch resumption (default 10000); older versions get 410 Gone. */
  watchHistorySize?: number;
  /** The bearer token (default: random). */
  token?: string;
  /**
   * How often watches with allowWatchBookmarks get a BOOKMARK (default 60 000 ms: kube-apiserver's watch cache
   * sends one about every minute, and one 2 s before the watch's deadline).
   */
  bookmarkIntervalMs?: number;
  /**
   * kube-apiserver's `--min-request-timeout` (default 1800 s): a watch without `timeoutSeconds` is closed after
   * a random duration between 1x and 2x this. Fractions of a second are allowed for tests.
   */
  minRequestTimeoutSeconds?: number;
}

export interface Faults {
  /** Drops every watch and connection (data kept); with `downtimeMs`, refuses connections that long. */
  restart(options?: { downtimeMs?: number }): Promise<void>;
  /** Closes open watches (all, or those of a resource plural / namespace); returns how many. */
  dropWatches(filter?: { resource?: string; namespace?: string }): number;
  /** Forgets all watch history: watching from any older resourceVersion gets 410 Gone (Expired). */
  compact(): void;
  /** The next `count` requests matching verb/resource/namespace fail with `status`. */
  failNext(rule: FailRule): void;
  /** Delays requests matching the filter by `ms` (0 removes the delay). */
  setLatency(ms: number, filter?: RequestFilter): void;
  /** Removes every failure and latency rule. */
  clear(): void;
}

export interface ApiServerHandle {
  /** `https://127.0.0.1:<port>`: what the kubeconfig points at (kubectl sends tokens only over TLS). */
  url: string;
  /** `http://127.0.0.1:<port>`: the same server in plain HTTP on the same port (token still required). */
  httpUrl: string;
  port: number;
  token: string;
  /** The PEM of the server's self-signed certificate (the kubeconfig's certificate-authority-data). */
  caCertificate: string;
  /** A kubeconfig (YAML) with cluster, user and context `sandbox`, the bearer token and the CA. */
  kubeconfig: string;
  writeKubeconfig(path: string): void;
  faults: Faults;
  audit: Audit;
  /** In-process access with the same semantics, for fast test setup. */
  objects: InProcessClient;
  /**
   * Where the sandbox reaches a Service's port (it has no cluster network): an admission webhook whose
   * clientConfig.service is `namespace/name:port` is called at `target`, its certificate still verified
   * for `<name>.<namespace>.svc`.
   */
  routeService(
    namespace: string,
    name: string,
    port: number,
    target: { host: string; port: number },
  ): void;
  /**
   * A bearer token for the ServiceAccount `namespace/name` (user `system:serviceaccount:<ns>:<name>`, groups
   * `system:serviceaccounts`, `system:serviceaccounts:<ns>`, `system:authenticated`), authorized by the RBAC
   * objects stored in the server, with a kubeconfig that uses it. The ServiceAccount object need not exist.
   */
  serviceAccountToken(namespace: string, name: string): { token: string; kubeconfig: string };
  /** A bearer token for a user (groups default to `system:authenticated`), authorized by RBAC. */
  userToken(username: string, groups?: string[]): { token: string; kubeconfig: string };
  /** Requests refused with 403 so far (who, and what they asked), oldest first. */
  denials(): Denial[];
  /** The current global resourceVersion. */
  resourceVersion(): number;
  stop(): Promise<void>;
}

const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

export async function startApiServer(options: ApiServerOptions = {}): Promise<ApiServerHandle> {
  for (const [name, value] of [
    ['bookmarkIntervalMs', options.bookmarkIntervalMs],
    ['minRequestTimeoutSeconds', options.minRequestTimeoutSeconds],
  ] as const) {
    if (value !== undefined && !(Number.isFinite(value) && value > 0)) {
      throw new Error(`${name} must be a positive number, got ${value}`);
    }
  }
  const token = options.token ?? randomBytes(24).toString('hex');
  const api = new Api({
    token,
    watchHistorySize: options.watchHistorySize ?? 10000,
    bookmarkIntervalMs: options.bookmarkIntervalMs ?? DEFAULT_BOOKMARK_INTERVAL_MS,
    minRequestTimeoutSeconds:
      options.minRequestTimeoutSeconds ?? DEFAULT_MIN_REQUEST_TIMEOUT_SECONDS,
  });
  const objects = new InProcessClient(api.registry, api.resources);
  for (const name of SYSTEM_NAMESPACES) {
    objects.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }
  for (const crd of readCrds(options.crdFiles ?? defaultCrdFiles())) objects.create(crd);

  const tls = selfSignedCertificate();
  const handler: RequestListener = (req, res) => void api.handle(req, res);
  const httpServer = createHttpServer(handler);
  const httpsServer = createHttpsServer({ cert: tls.cert, key: tls.key }, handler);
  for (const s of [httpServer, httpsServer]) s.keepAliveTimeout = 60_000;
  const sockets = new Set<Socket>();
  // One port, two protocols: a TLS ClientHello starts with 0x16, anything else is plain HTTP.
  const server = createNetServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.once('data', (first: Buffer) => {
      socket.pause();
      socket.unshift(first);
      (first[0] === 0x16 ? httpsServer : httpServer).emit('connection', socket);
      process.nextTick(() => socket.resume());
    });
  });
  const port = await listen(server, options.port ?? 0);
  const url = `https://127.0.0.1:${port}`;
  const httpUrl = `http://127.0.0.1:${port}`;
  api.serverAddress = `127.0.0.1:${port}`;
  const kubeconfig = kubeconfigYaml(url, token, tls.cert);

  const dropConnections = () => {
    api.dropWatches();
    for (const socket of sockets) socket.destroy();
  };
  const faults: Faults = {
    async restart(restartOptions = {}) {
      const downtime = restartOptions.downtimeMs ?? 0;
      if (downtime > 0) {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        dropConnections();
        await closed;
        await new Promise((r) => setTimeout(r, downtime));
        await listen(server, port);
      } else dropConnections();
    },
    dropWatches: (filter) => api.dropWatches(filter),
    compact: () => api.store.compact(),
    failNext: (rule) => api.faults.failNext(rule),
    setLatency: (ms, filter) => api.faults.setLatency(ms, filter),
    clear: () => api.faults.clear(),
  };

  return {
    url,
    httpUrl,
    port,
    token,
    caCertificate: tls.cert,
    kubeconfig,
    writeKubeconfig: (path) => writeFileSync(path, kubeconfig, { mode: 0o600 }),
    faults,
    audit: api.audit,
    objects,
    routeService: (namespace, name, port, target) =>
      api.admission.serviceRoutes.set(serviceRouteKey(namespace, name, port), target),
    serviceAccountToken(namespace, name) {
      const user = serviceAccountUser(namespace, name);
      const saToken = randomBytes(24).toString('hex');
      api.users.set(saToken, user);
      return { token: saToken, kubeconfig: kubeconfigYaml(url, saToken, tls.cert) };
    },
    userToken(username, groups = []) {
      const userTokenValue = randomBytes(24).toString('hex');
      api.users.set(userTokenValue, { username, groups: [...groups, 'system:authenticated'] });
      return { token: userTokenValue, kubeconfig: kubeconfigYaml(url, userTokenValue, tls.cert) };
    },
    denials: () => [...api.authorizer.denials],
    resourceVersion: () => api.store.resourceVersion,
    async stop() {
      api.controllers.stop();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      dropConnections();
      await closed;
    },
  };
}
