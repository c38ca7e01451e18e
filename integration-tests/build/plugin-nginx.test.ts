// The console plugin image's nginx configuration, run by Debian's nginx (apt package `nginx`, which .ci/run
// installs) as the image runs it: over TLS, serving the production build (`npm run build`; `npm test` runs it
// first), with the MIME types the console needs to load the plugin's scripts.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selfSignedCertificate } from 'kmm-hub-sandbox';
import { REPO_ROOT } from '../../scripts/tools';
import { waitFor } from '../helpers';

const NGINX = '/usr/sbin/nginx';
const dist = join(REPO_ROOT, 'dist');
const conf = readFileSync(join(REPO_ROOT, 'containers/console-plugin/nginx.conf'), 'utf8');

let work: string;
let port: number;
let nginx: ChildProcess | undefined;
let ca: string;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}

/** The image's paths moved under a temporary directory; everything else exactly as shipped. */
function localConf(): string {
  // one pass, so a replacement (under the temporary directory, often /tmp) is never replaced again
  const moved: Record<string, string> = {
    '/var/serving-cert/': `${work}/cert/`,
    '/tmp/': `${work}/run/`,
    '/opt/app-root/src': dist,
    'listen 9443 ssl;': `listen 127.0.0.1:${port} ssl;`,
  };
  const replaced = conf.replace(
    /\/var\/serving-cert\/|\/tmp\/|\/opt\/app-root\/src|listen 9443 ssl;/g,
    (m) => moved[m]!,
  );
  // the substitutions must have hit: the shipped file still names the image's paths
  expect(replaced).not.toMatch(/\/var\/serving-cert|\/opt\/app-root|listen 9443/);
  // As root (CI machines), nginx would run its workers as `nobody`, who may not traverse the checkout; the
  // image runs everything as one non-root user, which `user` of the current user reproduces.
  return process.getuid?.() === 0 ? `user root;\n${replaced}` : replaced;
}

function get(path: string): Promise<{ status: number; type: string; cache: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, ca, servername: 'localhost' }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          type: String(res.headers['content-type']),
          cache: String(res.headers['cache-control']),
          body,
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  if (!existsSync(join(dist, 'plugin-manifest.json'))) {
    throw new Error(
      `${dist}/plugin-manifest.json is missing: run \`npm run build\` first (npm test does)`,
    );
  }
  if (!existsSync(NGINX))
    throw new Error(`${NGINX} is missing: apt-get install nginx (.ci/run does)`);
  work = mkdtempSync(join(tmpdir(), 'kmm-plugin-nginx-'));
  mkdirSync(join(work, 'cert'));
  mkdirSync(join(work, 'run'));
  const tls = selfSignedCertificate();
  ca = tls.cert;
  writeFileSync(join(work, 'cert/tls.crt'), tls.cert);
  writeFileSync(join(work, 'cert/tls.key'), tls.key, { mode: 0o600 });
  port = await freePort();
  writeFileSync(join(work, 'nginx.conf'), localConf());
});

afterAll(async () => {
  if (nginx && nginx.exitCode === null) {
    nginx.kill('SIGQUIT');
    await new Promise((r) => nginx!.once('exit', r));
  }
  rmSync(work, { recursive: true, force: true });
});

test('nginx -t accepts the configuration', () => {
  // stdout is /dev/null here: nginx opens /dev/stdout (the access log), which a jest socket cannot be.
  // A refused configuration exits non-zero, which throws with nginx's message.
  expect(() =>
    execFileSync(NGINX, ['-t', '-e', 'stderr', '-c', join(work, 'nginx.conf')], {
      stdio: ['ignore', 'ignore', 'pipe'],
    }),
  ).not.toThrow();
});

test('serves the plugin over TLS with JavaScript and JSON types', async () => {
  nginx = spawn(NGINX, ['-e', 'stderr', '-c', join(work, 'nginx.conf'), '-g', 'daemon off;'], {
    stdio: 'ignore',
  });
  await waitFor(
    'nginx to answer',
    async () => (await get('/plugin-manifest.json')).status === 200,
    {
      timeoutMs: 15_000,
      intervalMs: 100,
    },
  );
  const manifest = await get('/plugin-manifest.json');
  expect(manifest.type).toBe('application/json; charset=utf-8');
  expect(manifest.cache).toBe('no-cache');
  const { loadScripts } = JSON.parse(manifest.body) as { loadScripts: string[] };
  const script = loadScripts[0]!;
  const js = await get(`/${script}`);
  expect(js.status).toBe(200);
  expect(js.type).toBe('application/javascript; charset=utf-8');
  expect(js.body).toBe(readFileSync(join(dist, script), 'utf8'));
  const locale = readdirSync(join(dist, 'locales/en'))[0]!;
  expect((await get(`/locales/en/${locale}`)).type).toBe('application/json; charset=utf-8');
  expect((await get('/no-such-file.js')).status).toBe(404);
}, 30_000);
