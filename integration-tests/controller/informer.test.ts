import { startApiServer, type ApiServerHandle } from 'kmm-hub-sandbox';
import {
  Informer,
  dropManagedFields,
  MANIFEST_WORK_RESOURCE,
  MCM_RESOURCE,
  createMetrics,
} from 'kmm-hub-controller';
import { MCM_NAME_LABEL } from 'kmm-hub-controller/model';
import { kubeConfigFrom, testLogger, waitFor } from '../helpers';

// The controller's informer against the sandbox API server and its fault injection: list + watch, resume
// after dropped connections and restarts, relist on 410 Gone with the missed changes replayed to handlers,
// backoff on errors, label-selected watches.

type Cm = {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    resourceVersion?: string;
  };
  data?: Record<string, string>;
};

const work = (ns: string, name: string, labelled = true, value = 'a') => ({
  apiVersion: 'work.open-cluster-management.io/v1',
  kind: 'ManifestWork',
  metadata: {
    name,
    namespace: ns,
    labels: (labelled ? { [MCM_NAME_LABEL]: name } : { other: 'x' }) as Record<string, string>,
  },
  spec: {
    workload: {
      manifests: [
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'x', namespace: 'y' },
          data: { v: value },
        },
      ],
    },
  },
});

/** apiVersion and kind of the MCMs the tests read and write directly in the server's store. */
const MCM_TYPE = ['hub.kmm.sigs.x-k8s.io/v1beta1', 'ManagedClusterModule'] as const;

const mcm = (name: string, gen = 'a') => ({
  apiVersion: 'hub.kmm.sigs.x-k8s.io/v1beta1',
  kind: 'ManagedClusterModule',
  metadata: { name, labels: { gen } },
  spec: {
    spokeNamespace: 'kmm',
    selector: {},
    moduleSpec: {
      selector: {},
      moduleLoader: {
        container: {
          modprobe: { moduleName: 'm' },
          kernelMappings: [{ literal: '1', containerImage: 'i:1' }],
        },
      },
    },
  },
});

function recorder() {
  const events: string[] = [];
  return {
    events,
    handlers: {
      add: (o: Cm) => events.push(`add ${o.metadata.name}`),
      update: (a: Cm, b: Cm) =>
        events.push(
          `update ${b.metadata.name} ${a.metadata.labels?.gen}->${b.metadata.labels?.gen}`,
        ),
      delete: (o: Cm) => events.push(`delete ${o.metadata.name}`),
    },
  };
}

jest.setTimeout(30_000);

describe('Informer against the sandbox API server', () => {
  let server: ApiServerHandle;
  const informers: Informer<Cm>[] = [];
  const start = (
    opts: {
      resource?: typeof MCM_RESOURCE;
      labelSelector?: string;
      pageSize?: number;
      transform?: typeof dropManagedFields;
    } = {},
  ) => {
    const metrics = createMetrics({ processMetrics: false });
    const inf = new Informer<Cm>({
      kubeConfig: kubeConfigFrom(server.kubeconfig),
      resource: opts.resource ?? MCM_RESOURCE,
      labelSelector: opts.labelSelector,
      pageSize: opts.pageSize,
      transform: opts.transform,
      logger: testLogger(),
      metrics,
      minBackoffMs: 20,
      maxBackoffMs: 200,
    });
    informers.push(inf);
    const rec = recorder();
    inf.on(rec.handlers);
    inf.start();
    return { inf, rec, metrics };
  };

  // One server for the file (it takes about a second to load the CRDs); every test uses its own names and
  // clears the MCMs of the previous one.
  beforeAll(async () => {
    server = await startApiServer({ watchHistorySize: 1000 });
    for (const ns of ['c1', 'c2', 'c3'])
      server.objects.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  });
  afterAll(() => server.stop());
  afterEach(async () => {
    await Promise.all(informers.splice(0).map((i) => i.stop()));
    server.faults.clear();
    for (const m of server.objects.list<Cm>(...MCM_TYPE)) {
      server.objects.delete(...MCM_TYPE, m.metadata.name);
    }
  });

  it('lists in pages, then sees adds, updates (with the old object) and deletes through the watch', async () => {
    for (const n of ['a', 'b', 'c']) server.objects.create(mcm(n));
    const { inf, rec } = start({ pageSize: 2 });
    await inf.whenSynced();
    expect(
      inf.store
        .list()
        .map((o) => o.metadata.name)
        .sort(),
    ).toEqual(['a', 'b', 'c']);
    expect(server.audit.count({ verb: 'list', resource: 'managedclustermodules' })).toBe(2);
    rec.events.length = 0;
    server.objects.create(mcm('d'));
    const b = server.objects.get<Cm>(...MCM_TYPE, 'b')!;
    server.objects.update({ ...b, metadata: { ...b.metadata, labels: { gen: 'b' } } });
    server.objects.delete(...MCM_TYPE, 'c');
    await waitFor('three events', () => rec.events.length >= 3);
    expect(rec.events).toEqual(['add d', 'update b a->b', 'delete c']);
  });

  it('watches only the ManifestWorks carrying the label', async () => {
    server.objects.create(work('c1', 'mine'));
    server.objects.create(work('c1', 'foreign', false));
    const { inf, rec } = start({
      resource: MANIFEST_WORK_RESOURCE,
      labelSelector: MCM_NAME_LABEL,
    });
    await inf.whenSynced();
    server.objects.create(work('c2', 'mine2'));
    server.objects.create(work('c2', 'foreign2', false));
    await waitFor('the labelled work', () => inf.store.get('c2/mine2'));
    expect(
      inf.store
        .list()
        .map((o) => `${o.metadata.namespace}/${o.metadata.name}`)
        .sort(),
    ).toEqual(['c1/mine', 'c2/mine2']);
    expect(rec.events).toEqual(['add mine', 'add mine2']);
  });

  it('resumes from the last resourceVersion after a restart, without relisting, and sees what changed meanwhile', async () => {
    server.objects.create(mcm('a'));
    const { inf, rec, metrics } = start();
    await inf.whenSynced();
    const lists = server.audit.count({ verb: 'list', resource: 'managedclustermodules' });
    rec.events.length = 0;
    const restarting = server.faults.restart({ downtimeMs: 300 });
    server.objects.create(mcm('during-downtime'));
    await restarting;
    server.objects.create(mcm('after'));
    await waitFor('both adds', () => rec.events.length >= 2);
    expect(rec.events).toEqual(['add during-downtime', 'add after']);
    expect(server.audit.count({ verb: 'list', resource: 'managedclustermodules' })).toBe(lists);
    const text = await metrics.registry.getSingleMetricAsString('kmm_hub_watch_restarts_total');
    expect(text).toMatch(/resource="managedclustermodules",reason="(error|closed)"/);
  });

  it('relists after 410 Gone and replays exactly the missed adds, updates and deletes', async () => {
    for (const n of ['keep', 'change', 'remove']) server.objects.create(mcm(n));
    const { inf, rec } = start();
    await inf.whenSynced();
    rec.events.length = 0;
    // Cut the watch, change things, and forget the history so that resuming is impossible.
    server.faults.restart({ downtimeMs: 300 }).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 50));
    const c = server.objects.get<Cm>(...MCM_TYPE, 'change')!;
    server.objects.update({ ...c, metadata: { ...c.metadata, labels: { gen: 'z' } } });
    server.objects.delete(...MCM_TYPE, 'remove');
    server.objects.create(mcm('new'));
    server.faults.compact();
    const lists = server.audit.count({ verb: 'list', resource: 'managedclustermodules' });
    await waitFor('the replayed changes', () => rec.events.length >= 3);
    expect(rec.events.sort()).toEqual(['add new', 'delete remove', 'update change a->z']);
    expect(server.audit.count({ verb: 'list', resource: 'managedclustermodules' })).toBe(lists + 1);
    expect(
      inf.store
        .list()
        .map((o) => o.metadata.name)
        .sort(),
    ).toEqual(['change', 'keep', 'new']);
  });

  it('resumes without a relist when history was compacted but nothing was missed', async () => {
    server.objects.create(mcm('a'));
    const { inf, rec } = start();
    await inf.whenSynced();
    await waitFor('a bookmark or event', () => inf.lastResourceVersion !== '');
    const lists = server.audit.count({ verb: 'list', resource: 'managedclustermodules' });
    server.faults.compact();
    server.faults.dropWatches({ resource: 'managedclustermodules' });
    server.objects.create(mcm('b'));
    await waitFor('b', () => inf.store.get('b'));
    expect(rec.events).toEqual(['add a', 'add b']);
    expect(server.audit.count({ verb: 'list', resource: 'managedclustermodules' })).toBe(lists);
  });

  it('retries a failing list with backoff until it succeeds', async () => {
    server.objects.create(mcm('a'));
    server.faults.failNext({
      verb: 'list',
      resource: 'managedclustermodules',
      count: 3,
      status: 500,
    });
    const { inf } = start();
    await inf.whenSynced();
    expect(inf.store.get('a')).toBeDefined();
    expect(
      server.audit.count({ verb: 'list', resource: 'managedclustermodules' }),
    ).toBeGreaterThanOrEqual(4);
  });

  it('caches objects through the transform (the controller drops managedFields)', async () => {
    server.objects.create(mcm('listed'));
    const { inf } = start({ transform: dropManagedFields });
    await inf.whenSynced();
    server.objects.create(mcm('watched'));
    await waitFor('the watched one', () => inf.store.get('watched'));
    const served = server.objects.get<Cm>(...MCM_TYPE, 'watched');
    expect(served?.metadata).toHaveProperty('managedFields');
    for (const name of ['listed', 'watched']) {
      expect(inf.store.get(name)?.metadata).not.toHaveProperty('managedFields');
      expect(inf.store.get(name)?.metadata.resourceVersion).toBeDefined();
    }
  });

  it('ignores watch events older than a write the controller recorded itself', async () => {
    server.objects.create(mcm('a'));
    const { inf } = start();
    await inf.whenSynced();
    const current = server.objects.get<Cm>(...MCM_TYPE, 'a')!;
    const newer = server.objects.update({
      ...current,
      metadata: { ...current.metadata, labels: { gen: 'mine' } },
    });
    inf.recordWrite(newer);
    expect(inf.store.get('a')?.metadata.labels?.gen).toBe('mine');
    await new Promise((r) => setTimeout(r, 100));
    expect(inf.store.get('a')?.metadata.resourceVersion).toBe(newer.metadata.resourceVersion);
  });
});
