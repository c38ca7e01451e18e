import type { ApiException } from '@kubernetes/client-node';
import { CoreV1Api, KubeConfig, Watch } from '@kubernetes/client-node';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startApiServer, type ApiServerHandle } from '../../src/server';

const run = promisify(execFile);
const HELD_REQUEST_FIXTURE = join(__dirname, 'held-request.fixture.ts');

jest.setTimeout(30_000);

let server: ApiServerHandle;
let core: CoreV1Api;
let kc: KubeConfig;

beforeAll(async () => {
  server = await startApiServer();
  kc = new KubeConfig();
  kc.loadFromString(server.kubeconfig);
  core = kc.makeApiClient(CoreV1Api);
});
afterAll(() => server.stop());
afterEach(() => server.faults.clear());

const cm = (name: string) => ({ metadata: { name }, data: { k: name } });

describe('fault injection', () => {
  it('fails the next N matching requests with the given status, then recovers', async () => {
    server.faults.failNext({ verb: 'create', resource: 'configmaps', count: 2, status: 503 });
    const codes: number[] = [];
    for (let i = 0; i < 3; i++) {
      try {
        await core.createNamespacedConfigMap({ namespace: 'default', body: cm(`f${i}`) });
        codes.push(201);
      } catch (error) {
        codes.push((error as ApiException<string>).code);
      }
    }
    expect(codes).toEqual([503, 503, 201]);
    // Other verbs and resources were not affected.
    server.faults.failNext({ verb: 'list', resource: 'secrets', status: 500 });
    await expect(core.listNamespacedConfigMap({ namespace: 'default' })).resolves.toBeDefined();
    const error = (await core
      .listNamespacedSecret({ namespace: 'default' })
      .catch((e: unknown) => e)) as ApiException<string>;
    expect(error.code).toBe(500);
    expect(JSON.parse(error.body)).toMatchObject({
      kind: 'Status',
      reason: 'InternalError',
      code: 500,
    });
  });

  it('adds latency to matching requests only, and 0 removes it', async () => {
    await core.createNamespacedConfigMap({ namespace: 'default', body: cm('slow') });
    // Order, not durations, tells what was delayed: robust on a loaded machine.
    const race = async () => {
      const finished: string[] = [];
      const started = Date.now();
      let getMs = 0;
      await Promise.all([
        core.readNamespacedConfigMap({ namespace: 'default', name: 'slow' }).then(() => {
          getMs = Date.now() - started;
          finished.push('get');
        }),
        core.listNamespacedConfigMap({ namespace: 'default' }).then(() => finished.push('list')),
      ]);
      return { finished, getMs };
    };
    server.faults.setLatency(1000, { verb: 'get' });
    const delayedGet = await race();
    expect(delayedGet.getMs).toBeGreaterThanOrEqual(990);
    expect(delayedGet.finished).toEqual(['list', 'get']);
    server.faults.setLatency(0, { verb: 'get' });
    server.faults.setLatency(1000, { verb: 'list' });
    expect((await race()).finished).toEqual(['get', 'list']);
  });

  it('abandons a request held by latency when its client goes away: nothing keeps the process alive', async () => {
    const started = Date.now();
    const { stdout } = await run(process.execPath, ['--import', 'tsx', HELD_REQUEST_FIXTURE], {
      timeout: 20_000,
    });
    expect(stdout.trim()).toBe('aborted');
    // The latency was 30 s: a request still held would have kept the process running until then.
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('restart drops every watch and connection but keeps the data; clients reconnect', async () => {
    await core.createNamespacedConfigMap({ namespace: 'default', body: cm('kept') });
    let ended = false;
    const controller = await new Watch(kc).watch(
      '/api/v1/namespaces/default/configmaps',
      {},
      () => undefined,
      () => {
        ended = true;
      },
    );
    // watch() resolves once the server answered: the watch is registered.
    await server.faults.restart({ downtimeMs: 200 });
    const deadline = Date.now() + 10_000;
    while (!ended && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    controller.abort();
    expect(ended).toBe(true);
    const kept = await core.readNamespacedConfigMap({ namespace: 'default', name: 'kept' });
    expect(kept.data).toEqual({ k: 'kept' });
  });

  it('dropWatches closes only the matching watches', async () => {
    const open = async (path: string) => {
      const state = { ended: false };
      const controller = await new Watch(kc).watch(
        path,
        {},
        () => undefined,
        () => {
          state.ended = true;
        },
      );
      return { state, controller };
    };
    const a = await open('/api/v1/namespaces/default/configmaps');
    const b = await open('/api/v1/namespaces/default/secrets');
    expect(server.faults.dropWatches({ resource: 'configmaps' })).toBe(1);
    const deadline = Date.now() + 10_000;
    while (!a.state.ended && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(a.state.ended).toBe(true);
    // The secrets watch is still open: the server still has it to drop.
    expect(b.state.ended).toBe(false);
    expect(server.faults.dropWatches({ resource: 'secrets' })).toBe(1);
    a.controller.abort();
    b.controller.abort();
  });
});

describe('audit', () => {
  it('counts requests by verb and resource, and resets', async () => {
    server.audit.reset();
    await core.createNamespacedConfigMap({ namespace: 'default', body: cm('audited') });
    await core.readNamespacedConfigMap({ namespace: 'default', name: 'audited' });
    await core.readNamespacedConfigMap({ namespace: 'default', name: 'audited' });
    await core.deleteNamespacedConfigMap({ namespace: 'default', name: 'audited' });
    await core.listNamespace();
    expect(server.audit.count({ verb: 'create', resource: 'configmaps' })).toBe(1);
    expect(server.audit.count({ verb: 'get', resource: 'configmaps' })).toBe(2);
    expect(server.audit.count({ resource: 'configmaps' })).toBe(4);
    expect(server.audit.writes({ resource: 'configmaps' })).toBe(2);
    expect(server.audit.count({ verb: 'list', resource: 'namespaces' })).toBe(1);
    expect(server.audit.snapshot()).toContainEqual(
      expect.objectContaining({
        verb: 'get',
        resource: 'configmaps',
        namespace: 'default',
        count: 2,
      }),
    );
    server.audit.reset();
    expect(server.audit.count()).toBe(0);
  });

  it('logs each request with who made it, on what, when, and its response code', async () => {
    server.audit.reset();
    const alice = server.userToken('alice', ['system:masters']);
    const asAlice = (ua: string) =>
      fetch(`${server.httpUrl}/api/v1/namespaces/default/configmaps`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${alice.token}`,
          'Content-Type': 'application/json',
          'User-Agent': ua,
        },
        body: JSON.stringify(cm('logged')),
      });
    const seen: string[] = [];
    const stop = server.audit.onRequest((e) => seen.push(`${e.verb} ${e.name}`));
    const before = Date.now();
    expect((await asAlice('replica-a/1')).status).toBe(201);
    expect((await asAlice('replica-a/1')).status).toBe(409);
    await core.deleteNamespacedConfigMap({ namespace: 'default', name: 'logged' });
    stop();
    await core.listNamespace();
    expect(seen).toEqual(['create logged', 'create logged', 'delete logged']);
    const creates = server.audit.events({ verb: 'create', resource: 'configmaps' });
    expect(creates.map((e) => [e.name, e.user, e.userAgent, e.code])).toEqual([
      ['logged', 'alice', 'replica-a/1', 201],
      ['logged', 'alice', 'replica-a/1', 409],
    ]);
    expect(creates[0]!.time).toBeGreaterThanOrEqual(before);
    expect(creates[0]!.completed).toBeGreaterThanOrEqual(creates[0]!.time);
    expect(creates[1]!.seq).toBeGreaterThan(creates[0]!.seq);
    expect(creates[0]!.requestObject).toBeUndefined();
    expect(server.audit.events({ writes: true }).map((e) => `${e.verb} ${e.user}`)).toEqual([
      'create alice',
      'create alice',
      'delete sandbox-admin',
    ]);
    // at level Request, the body too
    server.audit.level = 'Request';
    try {
      await core.createNamespacedConfigMap({ namespace: 'default', body: cm('with-body') });
    } finally {
      server.audit.level = 'Metadata';
    }
    expect(server.audit.events({ name: 'with-body' })[0]!.requestObject).toMatchObject({
      data: { k: 'with-body' },
    });
    await core.deleteNamespacedConfigMap({ namespace: 'default', name: 'with-body' });
  });

  it("fails one user's requests only, on one subresource or name, with a 429's Retry-After", async () => {
    const bob = server.userToken('bob', ['system:masters']);
    const asBob = new KubeConfig();
    asBob.loadFromString(bob.kubeconfig);
    const bobCore = asBob.makeApiClient(CoreV1Api);
    server.faults.failNext({ user: 'bob', status: 429, retryAfterSeconds: 7, count: 1 });
    await expect(core.listNamespace()).resolves.toBeDefined();
    // as API Priority and Fairness rejects: Retry-After and a plain-text body
    const rejected = await fetch(`${server.httpUrl}/api/v1/namespaces`, {
      headers: { Authorization: `Bearer ${bob.token}` },
    });
    expect(rejected.status).toBe(429);
    expect(rejected.headers.get('retry-after')).toBe('7');
    expect(rejected.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await rejected.text()).toBe('Too many requests, please try again later.\n');
    await expect(bobCore.listNamespace()).resolves.toBeDefined();
    // or as kube's other 429s: a Status that says it too
    server.faults.failNext({ user: 'bob', status: 429, priorityAndFairness: false });
    const error = (await bobCore.listNamespace().catch((e: unknown) => e)) as ApiException<string>;
    expect(error.code).toBe(429);
    expect(error.headers['retry-after']).toBe('1');
    expect(JSON.parse(error.body)).toMatchObject({
      reason: 'TooManyRequests',
      details: { retryAfterSeconds: 1 },
    });

    await core.createNamespace({ body: { metadata: { name: 'sub' } } });
    server.faults.failNext({ verb: 'update', resource: 'namespaces', subresource: 'status' });
    server.faults.failNext({ verb: 'get', resource: 'namespaces', name: 'other', status: 503 });
    await expect(core.readNamespace({ name: 'sub' })).resolves.toBeDefined();
    const ns = await core.readNamespace({ name: 'sub' });
    await expect(core.replaceNamespace({ name: 'sub', body: ns })).resolves.toBeDefined();
    const status = (await core
      .replaceNamespaceStatus({ name: 'sub', body: ns })
      .catch((e: unknown) => e)) as ApiException<string>;
    expect(status.code).toBe(500);
    await core.deleteNamespace({ name: 'sub' });
  });

  it('requires the bearer token', async () => {
    const response = await fetch(`${server.httpUrl}/api/v1/namespaces`);
    expect(response.status).toBe(401);
    const authorized = await fetch(`${server.httpUrl}/api/v1/namespaces`, {
      headers: { Authorization: `Bearer ${server.token}` },
    });
    expect(authorized.status).toBe(200);
  });
});
