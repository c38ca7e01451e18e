import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

/** One named check; `ok: false` makes the endpoint answer 503 with the message. */
export interface Check {
  name: string;
  check(): { ok: boolean; message: string };
}

export interface HealthServerOptions {
  host: string;
  port: number;
  registry: Registry;
  liveness: Check[];
  readiness: Check[];
}

export interface HealthServer {
  /** the bound address, e.g. http://127.0.0.1:34567 */
  url: string;
  close(): Promise<void>;
}

/**
 * Serves /healthz and /readyz as kube-apiserver does (plain `ok`, or one `[+]name ok` / `[-]name failed: why`
 * line per check with `?verbose`, or whenever a check fails) and Prometheus /metrics.
 */
export async function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  const server = createServer((req, res) => {
    void route(options, req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    });
  });
  // Probes hold no long connections; do not let an idle keep-alive socket delay shutdown.
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function route(
  options: HealthServerOptions,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { 'content-type': 'text/plain', allow: 'GET, HEAD' });
    res.end('method not allowed\n');
    return;
  }
  switch (url.pathname) {
    case '/healthz':
    case '/livez':
      return answerChecks(options.liveness, url.searchParams.has('verbose'), res);
    case '/readyz':
      return answerChecks(options.readiness, url.searchParams.has('verbose'), res);
    case '/metrics': {
      const body = await options.registry.metrics();
      res.writeHead(200, { 'content-type': options.registry.contentType });
      res.end(body);
      return;
    }
    default:
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found: try /healthz, /readyz or /metrics\n');
  }
}

function answerChecks(checks: Check[], verbose: boolean, res: ServerResponse): void {
  const results = checks.map((c) => ({ name: c.name, ...c.check() }));
  const ok = results.every((r) => r.ok);
  res.writeHead(ok ? 200 : 503, { 'content-type': 'text/plain; charset=utf-8' });
  if (ok && !verbose) {
    res.end('ok\n');
    return;
  }
  const lines = results.map((r) =>
    r.ok ? `[+]${r.name} ${r.message}` : `[-]${r.name} failed: ${r.message}`,
  );
  lines.push(ok ? 'check passed' : 'check failed');
  res.end(lines.join('\n') + '\n');
}
