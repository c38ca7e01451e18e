// Debian's real docker-registry (CNCF distribution 2.8), started by tests on 127.0.0.1 with a temporary
// config: anonymous, htpasswd basic auth, or token auth backed by a small token server in the test process.
import { createPrivateKey, randomUUID, sign, X509Certificate, type KeyObject } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startDockerRegistry } from '../../scripts/docker-registry';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { OciPusher, selfSignedCertificate } from 'kmm-hub-sandbox';

export type RegistryAuth =
  | { kind: 'none' }
  | { kind: 'basic'; username: string; password: string }
  | { kind: 'token'; username: string; password: string };

export interface TestRegistry {
  /** `127.0.0.1:<port>`: what image references name */
  host: string;
  baseUrl: string;
  /** token requests the token server answered (token auth only) */
  tokenRequests(): number;
  /** a pusher for a repository, with the registry's credentials */
  pusher(repository: string): OciPusher;
  /** stops the registry process (storage kept, so start() brings the same content back) */
  stop(): Promise<void>;
  /** starts it again on the same port */
  start(): Promise<void>;
  /** stops it and removes its storage */
  destroy(): Promise<void>;
}

/** The token server distribution's `auth.token` trusts: ES256 JWTs with the signing cert in `x5c`. */
async function startTokenServer(
  username: string,
  password: string,
  issuer: string,
  service: string,
): Promise<{ url: string; cert: string; server: Server; requests: () => number }> {
  const { cert, key } = selfSignedCertificate();
  const privateKey: KeyObject = createPrivateKey(key);
  const der = new X509Certificate(cert).raw.toString('base64');
  let requests = 0;
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const server = createServer((req, res) => {
    requests++;
    const url = new URL(req.url ?? '/', 'http://x');
    const expected = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
    if (req.headers.authorization !== expected) {
      res
        .writeHead(401, { 'content-type': 'application/json' })
        .end('{"details":"bad credentials"}');
      return;
    }
    const access = url.searchParams.getAll('scope').map((scope) => {
      const [type, name, actions] = scope.split(':');
      return { type, name, actions: (actions ?? '').split(',').filter(Boolean) };
    });
    const now = Math.floor(Date.now() / 1000);
    const header = { alg: 'ES256', typ: 'JWT', x5c: [der] };
    const claims = {
      iss: issuer,
      sub: username,
      aud: url.searchParams.get('service') ?? service,
      exp: now + 300,
      nbf: now - 10,
      iat: now,
      jti: randomUUID(),
      access,
    };
    const input = `${b64(header)}.${b64(claims)}`;
    const signature = sign('sha256', Buffer.from(input), {
      key: privateKey,
      dsaEncoding: 'ieee-p1363',
    }).toString('base64url');
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ token: `${input}.${signature}`, expires_in: 300 }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/token`, cert, server, requests: () => requests };
}

/** Starts docker-registry with filesystem storage in a temp dir; fails clearly when it is not installed. */
export async function startTestRegistry(
  auth: RegistryAuth = { kind: 'none' },
): Promise<TestRegistry> {
  const dir = await mkdtemp(join(tmpdir(), 'kmm-hub-registry-'));
  let token: Awaited<ReturnType<typeof startTokenServer>> | undefined;
  let authConfig = '';
  if (auth.kind === 'basic') {
    const hash = bcrypt.hashSync(auth.password, 5);
    await writeFile(join(dir, 'htpasswd'), `${auth.username}:${hash}\n`);
    authConfig = `auth:\n  htpasswd:\n    realm: kmm-hub-test\n    path: ${join(dir, 'htpasswd')}\n`;
  } else if (auth.kind === 'token') {
    token = await startTokenServer(
      auth.username,
      auth.password,
      'kmm-hub-test-issuer',
      'kmm-hub-test',
    );
    await writeFile(join(dir, 'root.pem'), token.cert);
    authConfig =
      `auth:\n  token:\n    realm: ${token.url}\n    service: kmm-hub-test\n` +
      `    issuer: kmm-hub-test-issuer\n    rootcertbundle: ${join(dir, 'root.pem')}\n`;
  }
  const registryProcess = await startDockerRegistry(join(dir, 'registry'), authConfig);
  const { host, stop, start } = registryProcess;
  const credentials =
    auth.kind === 'none' ? {} : { username: auth.username, password: auth.password };
  return {
    host,
    baseUrl: `http://${host}`,
    tokenRequests: () => token?.requests() ?? 0,
    pusher: (repository) =>
      new OciPusher({ baseUrl: `http://${host}`, repository, ...credentials }),
    stop,
    start,
    destroy: async () => {
      await stop();
      if (token) await new Promise((r) => token.server.close(r));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
