import {
  ApiException,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  makeInformer,
  Watch,
  type KubernetesObject,
  type V1ConfigMap,
} from '@kubernetes/client-node';
import { startApiServer, type ApiServerHandle } from '../../src/server';

jest.setTimeout(30_000);

let server: ApiServerHandle;
let kc: KubeConfig;
let core: CoreV1Api;
let custom: CustomObjectsApi;

beforeAll(async () => {
  server = await startApiServer({ port: 0, bookmarkIntervalMs: 100, watchHistorySize: 50 });
  kc = new KubeConfig();
  kc.loadFromString(server.kubeconfig);
  core = kc.makeApiClient(CoreV1Api);
  custom = kc.makeApiClient(CustomObjectsApi);
  await core.createNamespace({ body: { metadata: { name: 'watch' } } });
});
afterAll(() => server.stop());

const configMap = (name: string, labels: Record<string, string> = {}): V1ConfigMap => ({
  metadata: { name, labels },
  data: { value: name },
});

interface Seen {
  type: string;
  name?: string;
  rv?: string;
  code?: number;
  reason?: string;
}

/** Opens a raw watch and collects its events until `until` says stop (or the server closes it). */
async function collect(
  path: string,
  query: Record<string, string | number | boolean>,
  until: (seen: Seen[]) => boolean,
  during?: () => Promise<void>,
): Promise<{ seen: Seen[]; closedByServer: boolean }> {
  const seen: Seen[] = [];
  let closedByServer = false;
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const controller = await new Watch(kc).watch(
    path,
    query,
    (type, object: KubernetesObject & { code?: number; reason?: string }) => {
      seen.push({
        type,
        name: object.metadata?.name,
        rv: object.metadata?.resourceVersion,
        code: object.code,
        reason: object.reason,
      });
      if (until(seen)) finish();
    },
    () => {
      closedByServer = true;
      finish();
    },
  );
  if (during) await during();
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([finished, new Promise((r) => (timer = setTimeout(r, 10_000)))]);
  clearTimeout(timer);
  controller.abort();
  return { seen, closedByServer };
}

describe('list + watch semantics through @kubernetes/client-node', () => {
  it('resumes a watch from a list resourceVersion without gaps or duplicates', async () => {
    for (const n of ['a', 'b'])
      await core.createNamespacedConfigMap({ namespace: 'watch', body: configMap(n) });
    const list = await core.listNamespacedConfigMap({ namespace: 'watch' });
    expect(list.items.map((i) => i.metadata?.name)).toEqual(['a', 'b']);
    const listRv = list.metadata?.resourceVersion ?? '';
    await core.createNamespacedConfigMap({ namespace: 'watch', body: configMap('c') });
    const a = await core.readNamespacedConfigMap({ namespace: 'watch', name: 'a' });
    await core.replaceNamespacedConfigMap({
      namespace: 'watch',
      name: 'a',
      body: { ...a, data: { value: 'changed' } },
    });
    const { seen } = await collect(
      '/api/v1/namespaces/watch/configmaps',
      { resourceVersion: listRv },
      (s) => s.length >= 2,
    );
    expect(seen.map((s) => [s.type, s.name])).toEqual([
      ['ADDED', 'c'],
      ['MODIFIED', 'a'],
    ]);
    expect(Number(seen[1]?.rv)).toBeGreaterThan(Number(seen[0]?.rv));
    expect(Number(seen[0]?.rv)).toBeGreaterThan(Number(listRv));

    // Resume after a dropped watch from the last seen version: only what happened since.
    const lastRv = seen[1]?.rv ?? '';
    await core.deleteNamespacedConfigMap({ namespace: 'watch', name: 'b' });
    const resumed = await collect(
      '/api/v1/namespaces/watch/configmaps',
      { resourceVersion: lastRv },
      (s) => s.length >= 1,
    );
    expect(resumed.seen.map((s) => [s.type, s.name])).toEqual([['DELETED', 'b']]);
  });

  it('starts with synthetic ADDED events for resourceVersion 0 and ends with the sendInitialEvents bookmark', async () => {
    const { seen } = await collect(
      '/api/v1/namespaces/watch/configmaps',
      {
        resourceVersion: '',
        sendInitialEvents: true,
        allowWatchBookmarks: true,
        resourceVersionMatch: 'NotOlderThan',
      },
      (s) => s.some((e) => e.type === 'BOOKMARK'),
    );
    expect(seen.filter((s) => s.type === 'ADDED').map((s) => s.name)).toEqual(['a', 'c']);
    expect(seen[seen.length - 1]?.type).toBe('BOOKMARK');
  });

  it('answers a compacted resourceVersion with a 410 Expired ERROR event, and an informer relists', async () => {
    const before = String(server.resourceVersion());
    await core.createNamespacedConfigMap({ namespace: 'watch', body: configMap('d') });
    server.faults.compact();
    const { seen } = await collect(
      '/api/v1/namespaces/watch/configmaps',
      { resourceVersion: before },
      (s) => s.length >= 1,
    );
    expect(seen).toEqual([
      expect.objectContaining({ type: 'ERROR', code: 410, reason: 'Expired' }),
    ]);

    const informer = makeInformer(kc, '/api/v1/namespaces/watch/configmaps', () =>
      core.listNamespacedConfigMap({ namespace: 'watch' }),
    );
    await informer.start();
    const lists = () =>
      server.audit.count({ verb: 'list', resource: 'configmaps', namespace: 'watch' });
    const listsBefore = lists();
    // In one tick: drop the informer's watch, move the global resourceVersion past the informer's
    // (a write to another resource), and compact: its re-watch gets 410 and it must relist.
    server.faults.dropWatches({ resource: 'configmaps' });
    server.objects.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'elsewhere' } });
    server.faults.compact();
    await core.createNamespacedConfigMap({ namespace: 'watch', body: configMap('e') });
    const deadline = Date.now() + 10_000;
    while (!informer.get('e', 'watch') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    await informer.stop();
    expect(informer.get('e', 'watch')?.data).toEqual({ value: 'e' });
    expect(
      informer
        .list('watch')
        .map((o) => o.metadata?.name)
        .sort(),
    ).toEqual(['a', 'c', 'd', 'e']);
    expect(lists()).toBeGreaterThan(listsBefore);
  });

  it('answers a resourceVersion from an earlier run of the server with 410 (watch) and 504 (list)', async () => {
    const future = String(server.resourceVersion() + 1000);
    const { seen } = await collect(
      '/api/v1/namespaces/watch/configmaps',
      { resourceVersion: future },
      (s) => s.length >= 1,
    );
    expect(seen).toEqual([
      expect.objectContaining({ type: 'ERROR', code: 410, reason: 'Expired' }),
    ]);
    const error = (await core
      .listNamespacedConfigMap({ namespace: 'watch', resourceVersion: future })
      .catch((e: unknown) => e)) as ApiException<string>;
    expect(error.code).toBe(504);
    expect(JSON.parse(error.body)).toMatchObject({
      reason: 'Timeout',
      message: expect.stringContaining('Too large resource version'),
    });
  });

  it('evicts old events from the bounded history (watchHistorySize) and answers 410 for them', async () => {
    const start = String(server.resourceVersion());
    for (let i = 0; i < 60; i++) {
      await core.createNamespacedConfigMap({ namespace: 'watch', body: configMap(`bulk-${i}`) });
    }
    const { seen } = await collect(
      '/api/v1/namespaces/watch/configmaps',
      { resourceVersion: start },
      (s) => s.length >= 1,
    );
    expect(seen[0]).toMatchObject({ type: 'ERROR', code: 410 });
  });

  it('sends bookmarks when asked, and closes the watch after timeoutSeconds', async () => {
    const started = Date.now();
    // 3 s: as kube-apiserver, no bookmark comes within the last 2 s of a watch (watch-timing.test.ts).
    const { seen, closedByServer } = await collect(
      '/api/v1/namespaces/watch/configmaps',
      {
        resourceVersion: String(server.resourceVersion()),
        allowWatchBookmarks: true,
        timeoutSeconds: 3,
      },
      () => false,
    );
    expect(closedByServer).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2900);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((s) => s.type === 'BOOKMARK' && Number(s.rv) > 0)).toBe(true);
  });

  it('turns label changes into ADDED/DELETED for a label-selector watch', async () => {
    await core.createNamespacedConfigMap({
      namespace: 'watch',
      body: configMap('sel', { tier: 'x' }),
    });
    const rv = String(server.resourceVersion());
    const { seen } = await collect(
      '/api/v1/namespaces/watch/configmaps',
      { resourceVersion: rv, labelSelector: 'tier=y' },
      (s) => s.length >= 2,
      async () => {
        for (const tier of ['y', 'z']) {
          const current = await core.readNamespacedConfigMap({ namespace: 'watch', name: 'sel' });
          await core.replaceNamespacedConfigMap({
            namespace: 'watch',
            name: 'sel',
            body: { ...current, metadata: { ...current.metadata, labels: { tier } } },
          });
        }
      },
    );
    expect(seen.map((s) => [s.type, s.name])).toEqual([
      ['ADDED', 'sel'],
      ['DELETED', 'sel'],
    ]);
  });
});

describe('writes through @kubernetes/client-node', () => {
  it('rejects an update with a stale resourceVersion (409 Conflict) and accepts the current one', async () => {
    const created = await core.createNamespacedConfigMap({
      namespace: 'watch',
      body: configMap('conflict'),
    });
    await core.replaceNamespacedConfigMap({
      namespace: 'watch',
      name: 'conflict',
      body: { ...created, data: { value: 'one' } },
    });
    const error = await core
      .replaceNamespacedConfigMap({
        namespace: 'watch',
        name: 'conflict',
        body: { ...created, data: { value: 'two' } },
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiException);
    const apiError = error as ApiException<string>;
    expect(apiError.code).toBe(409);
    expect(JSON.parse(apiError.body)).toMatchObject({
      kind: 'Status',
      reason: 'Conflict',
      code: 409,
    });
    const current = await core.readNamespacedConfigMap({ namespace: 'watch', name: 'conflict' });
    const updated = await core.replaceNamespacedConfigMap({
      namespace: 'watch',
      name: 'conflict',
      body: { ...current, data: { value: 'two' } },
    });
    expect(updated.data).toEqual({ value: 'two' });
  });

  it('uses one resourceVersion counter across every resource, as etcd does', async () => {
    const cm = await core.createNamespacedConfigMap({
      namespace: 'watch',
      body: configMap('rv-1'),
    });
    const mcm = (await custom.createClusterCustomObject({
      group: 'cluster.open-cluster-management.io',
      version: 'v1',
      plural: 'managedclusters',
      body: {
        apiVersion: 'cluster.open-cluster-management.io/v1',
        kind: 'ManagedCluster',
        metadata: { name: 'rv-cluster' },
        spec: {},
      },
    })) as KubernetesObject;
    expect(Number(mcm.metadata?.resourceVersion)).toBe(Number(cm.metadata?.resourceVersion) + 1);
  });

  it('pages lists with limit and continue over a snapshot of the first page', async () => {
    const all = await core.listNamespacedConfigMap({ namespace: 'watch' });
    const names: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await core.listNamespacedConfigMap({
        namespace: 'watch',
        limit: 25,
        _continue: token,
      });
      names.push(...page.items.map((i) => i.metadata?.name ?? ''));
      expect(page.metadata?.resourceVersion).toBe(all.metadata?.resourceVersion);
      token = page.metadata?._continue || undefined;
      if (pages === 0) {
        // Changes after the first page do not show up in the following pages.
        await core.createNamespacedConfigMap({ namespace: 'watch', body: configMap('zz-late') });
        await core.deleteNamespacedConfigMap({
          namespace: 'watch',
          name: all.items.at(-1)?.metadata?.name ?? '',
        });
      }
      pages++;
    } while (token);
    expect(names).toEqual(all.items.map((i) => i.metadata?.name));
    expect(pages).toBe(Math.ceil(all.items.length / 25));
    const expired = await core
      .listNamespacedConfigMap({
        namespace: 'watch',
        limit: 25,
        _continue: Buffer.from(JSON.stringify({ rv: 1, id: 999999, offset: 25 })).toString(
          'base64',
        ),
      })
      .catch((e: unknown) => e as ApiException<string>);
    expect((expired as ApiException<string>).code).toBe(410);
  });
});
