// The console shell's server: the API proxied with the shell's token (the browser has none), websocket
// watches carrying the API server's events, plugin files served only from their dist/.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { startApiServer, type ApiServerHandle } from '../../src';
import { startShellServer, type ShellServer } from '../../src/shell';

let api: ApiServerHandle;
let shell: ShellServer;
let dist: string;

beforeAll(async () => {
  api = await startApiServer({ port: 0, crdFiles: [] });
  dist = mkdtempSync(join(tmpdir(), 'shell-dist-'));
  writeFileSync(join(dist, 'plugin-manifest.json'), '{"name":"p"}');
  shell = await startShellServer({
    upstream: { server: api.url, token: api.token, caPem: api.caCertificate },
    plugins: [{ name: 'p', dist }],
    hostDist: dist,
  });
});

afterAll(async () => {
  await shell.stop();
  await api.stop();
  rmSync(dist, { recursive: true, force: true });
});

it('proxies the API with its own token, whatever the browser sends', async () => {
  const res = await fetch(`${shell.url}/api/kubernetes/api/v1/namespaces`, {
    headers: { Authorization: 'Bearer not-the-token' },
  });
  expect(res.status).toBe(200);
  expect(((await res.json()) as { kind: string }).kind).toBe('NamespaceList');
});

it('answers 502 with a Status when the API server is unreachable', async () => {
  const dead = await startShellServer({
    upstream: { server: 'http://127.0.0.1:1', token: 'x' },
    plugins: [],
  });
  try {
    const res = await fetch(`${dead.url}/api/kubernetes/api/v1/namespaces`);
    expect(res.status).toBe(502);
    expect(((await res.json()) as { reason: string }).reason).toBe('ServiceUnavailable');
  } finally {
    await dead.stop();
  }
});

it('carries a watch over a websocket, one event per message', async () => {
  const list = (await (await fetch(`${shell.url}/api/kubernetes/api/v1/namespaces`)).json()) as {
    metadata: { resourceVersion: string };
  };
  const ws = new WebSocket(
    `${shell.url.replace('http', 'ws')}/api/kubernetes/api/v1/namespaces?watch=true&resourceVersion=${list.metadata.resourceVersion}`,
  );
  const event = new Promise<{ type: string; object: { metadata: { name: string } } }>((resolve) =>
    ws.once('message', (data) => resolve(JSON.parse(String(data)))),
  );
  await new Promise((resolve) => ws.once('open', resolve));
  await fetch(`${shell.url}/api/kubernetes/api/v1/namespaces`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ metadata: { name: 'watched' } }),
  });
  expect(await event).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'watched' } } });
  ws.close();
});

it('serves plugin files from their dist/ only, and the app page for any other path', async () => {
  const manifest = await fetch(`${shell.url}/api/plugins/p/plugin-manifest.json`);
  expect(await manifest.json()).toEqual({ name: 'p' });
  expect((await fetch(`${shell.url}/api/plugins/p/..%2f..%2fetc%2fpasswd`)).status).toBe(404);
  expect((await fetch(`${shell.url}/api/plugins/other/x.js`)).status).toBe(404);
  const page = await (await fetch(`${shell.url}/k8s/cluster/x~v1~Y`)).text();
  expect(page).toContain('"consolePlugins":["p"]');
  expect(page).not.toContain(api.token);
});
