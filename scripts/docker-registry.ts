// Starts Debian's docker-registry (CNCF distribution) on 127.0.0.1 with filesystem storage in `dir`: for the
// `npm start` demo (plain HTTP, anonymous) and the registry tests (which add an auth section).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export const DOCKER_REGISTRY = '/usr/bin/docker-registry';

export interface DockerRegistryProcess {
  /** `127.0.0.1:<port>` */
  host: string;
  /** stops the process; the storage stays, so start() serves the same content again */
  stop(): Promise<void>;
  start(): Promise<void>;
}

export const dockerRegistryInstalled = (): boolean => existsSync(DOCKER_REGISTRY);

/** Whether something accepts TCP connections at host:port (HTTP or HTTPS alike). */
function listening(host: string): Promise<boolean> {
  const [address, port] = host.split(':');
  return new Promise((resolve) => {
    const socket = connect(Number(port), address!);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

/**
 * `authConfig`: a YAML `auth:` section, or '' for an anonymous registry; `tls`: PEM certificate and key to serve
 * HTTPS instead of plain HTTP. The storage is `<dir>/data`, so a registry started again on the same `dir` serves
 * the same images.
 */
export async function startDockerRegistry(
  dir: string,
  authConfig = '',
  tls?: { cert: string; key: string },
): Promise<DockerRegistryProcess> {
  if (!dockerRegistryInstalled())
    throw new Error(
      `${DOCKER_REGISTRY} is missing: apt-get install docker-registry (.ci/run does)`,
    );
  await mkdir(dir, { recursive: true });
  const host = `127.0.0.1:${await freePort()}`;
  const config = join(dir, 'config.yml');
  let tlsConfig = '';
  if (tls) {
    await writeFile(join(dir, 'tls.crt'), tls.cert);
    await writeFile(join(dir, 'tls.key'), tls.key, { mode: 0o600 });
    tlsConfig = `  tls:\n    certificate: ${join(dir, 'tls.crt')}\n    key: ${join(dir, 'tls.key')}\n`;
  }
  await writeFile(
    config,
    'version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\n' +
      `storage:\n  filesystem:\n    rootdirectory: ${join(dir, 'data')}\n  delete:\n    enabled: true\n` +
      `http:\n  addr: ${host}\n  secret: kmm-hub-local\n` +
      tlsConfig +
      authConfig,
  );
  let child: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    let output = '';
    const proc = spawn(DOCKER_REGISTRY, ['serve', config], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    proc.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    proc.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (proc.exitCode !== null) throw new Error(`docker-registry exited: ${output}`);
      if (await listening(host)) return;
      if (Date.now() > deadline) throw new Error(`docker-registry did not start: ${output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  await start();
  return {
    host,
    start,
    stop: async () => {
      const proc = child;
      child = undefined;
      if (!proc || proc.exitCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await exited;
    },
  };
}
