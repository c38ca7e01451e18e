import { ApiException } from '@kubernetes/client-node';
import { FakeListWatch, apiError, settle, silentLogger } from '../__fakes__/kube';
import { createMetrics } from '../metrics';
import type { KubeObject } from '../model/types';
import { Informer } from './informer';
import type { ListQuery } from './list-watch';
import { MCM_RESOURCE } from './resources';

// The informer's recovery branches against a scripted API server, in fake time: the integration suite shows
// them against a real server; here each one is forced exactly (a 410 on the second page of a relist, on a
// watch, on a list) and its outcome checked event by event.

type Obj = KubeObject & { data?: string };

const obj = (name: string, rv: number, data = 'a'): Obj => ({
  metadata: { name, resourceVersion: String(rv) },
  data,
});

/** What the handlers saw, as short strings. */
function recorder() {
  const seen: string[] = [];
  return {
    seen,
    handlers: {
      add: (o: Obj) => seen.push(`add ${o.metadata?.name}@${o.metadata?.resourceVersion}`),
      update: (a: Obj, b: Obj) =>
        seen.push(
          `update ${b.metadata?.name} ${a.metadata?.resourceVersion}->${b.metadata?.resourceVersion}`,
        ),
      delete: (o: Obj) => seen.push(`delete ${o.metadata?.name}`),
    },
  };
}

describe('Informer', () => {
  const informers: Informer<Obj>[] = [];

  beforeEach(() => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick'] });
    // No jitter: the backoff delays are exactly min * 2^n.
    jest.spyOn(Math, 'random').mockReturnValue(0.5);
  });
  afterEach(async () => {
    await Promise.all(informers.splice(0).map((i) => i.stop()));
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  function start(api: FakeListWatch, pageSize = 2) {
    const metrics = createMetrics({ processMetrics: false });
    const informer = new Informer<Obj>({
      client: api,
      resource: MCM_RESOURCE,
      logger: silentLogger(),
      metrics,
      pageSize,
      minBackoffMs: 200,
      maxBackoffMs: 1000,
    });
    informers.push(informer);
    const rec = recorder();
    informer.on(rec.handlers);
    informer.start();
    return { informer, rec, metrics };
  }

  it('restarts a relist whose continue token expired (410) as one unpaged list, with no stale page kept', async () => {
    const api = new FakeListWatch();
    api.onList = (q: ListQuery) => {
      // Page 1 is served, then the token expires: page 2 is refused; the unpaged list has what is current.
      if (q.limit && !q.continue)
        return {
          items: [obj('a', 1), obj('b', 2)],
          metadata: { resourceVersion: '2', continue: 't1' },
        };
      if (q.continue) throw apiError(410, 'Expired', 'The provided continue parameter is too old');
      return {
        items: [obj('a', 5, 'z'), obj('b', 2), obj('c', 3)],
        metadata: { resourceVersion: '9' },
      };
    };
    const { informer, rec } = start(api);
    await settle();

    expect(api.lists).toEqual([
      { limit: 2, continue: undefined, labelSelector: undefined },
      { limit: 2, continue: 't1', labelSelector: undefined },
      { limit: undefined, continue: undefined, labelSelector: undefined },
    ]);
    // Only the unpaged list's objects, each added once: the first page's a@1 was dropped, not applied.
    expect(rec.seen).toEqual(['add a@5', 'add b@2', 'add c@3']);
    expect(informer.hasSynced).toBe(true);
    expect(api.current.query.resourceVersion).toBe('9');
  });

  it('relists at once when the first page of a list is refused with 410, without backing off', async () => {
    const api = new FakeListWatch();
    let refused = false;
    api.onList = () => {
      if (!refused) {
        refused = true;
        throw apiError(410, 'Expired', 'too old resource version');
      }
      return { items: [obj('a', 1)], metadata: { resourceVersion: '4' } };
    };
    const { informer, metrics } = start(api);
    await settle();

    // No timer was advanced: a backoff sleep would have left the informer unsynced.
    expect(informer.hasSynced).toBe(true);
    expect(api.lists).toHaveLength(2);
    const restarts = await metrics.watchRestarts.get();
    expect(restarts.values).toEqual([
      expect.objectContaining({
        labels: { resource: 'managedclustermodules', reason: 'expired' },
        value: 1,
      }),
    ]);
  });

  it('relists after a 410 on the watch and replays to the handlers exactly what changed meanwhile', async () => {
    const api = new FakeListWatch();
    api.onList = () => ({
      items: [obj('keep', 1), obj('change', 2), obj('remove', 3)],
      metadata: { resourceVersion: '3' },
    });
    const { informer, rec } = start(api, 0);
    await settle();
    expect(api.lists).toEqual([
      { limit: undefined, continue: undefined, labelSelector: undefined },
    ]);
    rec.seen.length = 0;

    api.onList = () => ({
      items: [obj('keep', 1), obj('change', 7, 'z'), obj('new', 8)],
      metadata: { resourceVersion: '8' },
    });
    const first = api.current;
    first.send('ERROR', { kind: 'Status', code: 410, reason: 'Expired', message: 'too old' });
    await settle();

    expect(first.ended).toBe(true);
    expect(api.lists).toHaveLength(2);
    expect(rec.seen.sort()).toEqual(['add new@8', 'delete remove', 'update change 2->7']);
    expect(
      informer.store
        .list()
        .map((o) => o.metadata?.name)
        .sort(),
    ).toEqual(['change', 'keep', 'new']);
    expect(api.current).not.toBe(first);
    expect(api.current.query.resourceVersion).toBe('8');
  });

  it('relists after a watch refused with HTTP 410, and resumes (no relist) after a clean close', async () => {
    const api = new FakeListWatch();
    api.onList = () => ({ items: [obj('a', 1)], metadata: { resourceVersion: '5' } });
    start(api);
    await settle();

    api.current.send('MODIFIED', obj('a', 6, 'b'));
    api.current.end(); // a server-side timeout: resume from the last resourceVersion seen
    await settle();
    expect(api.lists).toHaveLength(1);
    expect(api.current.query.resourceVersion).toBe('6');

    api.current.end(Object.assign(new Error('Gone'), { statusCode: 410 }));
    await settle();
    expect(api.lists).toHaveLength(2);
    expect(api.current.query.resourceVersion).toBe('5');
  });

  it('resumes a quiet watch the client ended from the last bookmark: no relist, no error, nothing lost', async () => {
    const api = new FakeListWatch();
    api.onList = () => ({ items: [obj('a', 1)], metadata: { resourceVersion: '5' } });
    const { rec, metrics } = start(api);
    await settle();
    rec.seen.length = 0;

    api.current.send('BOOKMARK', { metadata: { resourceVersion: '9' } });
    // Quiet for the idle timeout: the client ends the watch the way a server-side close ends it.
    await jest.advanceTimersByTimeAsync(90_000);
    api.current.end();
    await settle();
    // At once, from the bookmark's version: what happened meanwhile is replayed by the server from there.
    expect(api.watches).toHaveLength(2);
    expect(api.current.query.resourceVersion).toBe('9');
    api.current.send('ADDED', obj('b', 10));
    expect(rec.seen).toEqual(['add b@10']);
    expect(api.lists).toHaveLength(1);
    const restarts = await metrics.watchRestarts.get();
    expect(restarts.values).toEqual([
      expect.objectContaining({
        labels: { resource: 'managedclustermodules', reason: 'closed' },
        value: 1,
      }),
    ]);
  });

  it('counts a watch the API server never answered (a timeout before any answer) as an error, with backoff', async () => {
    const api = new FakeListWatch();
    const { metrics } = start(api);
    await settle();
    api.current.end(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
    await settle();
    expect(api.watches).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(200);
    expect(api.watches).toHaveLength(2);
    expect(api.current.query.resourceVersion).toBe('1');
    expect(api.lists).toHaveLength(1);
    const restarts = await metrics.watchRestarts.get();
    expect(restarts.values).toEqual([
      expect.objectContaining({
        labels: { resource: 'managedclustermodules', reason: 'error' },
        value: 1,
      }),
    ]);
  });

  it('backs off exponentially while lists fail, and starts from the minimum again after a success', async () => {
    const api = new FakeListWatch();
    let failing = 2;
    api.onList = () => {
      if (failing > 0) {
        failing--;
        throw apiError(503, 'ServiceUnavailable');
      }
      return { items: [], metadata: { resourceVersion: '1' } };
    };
    const { informer } = start(api);
    await settle();
    expect(api.lists).toHaveLength(1);

    await jest.advanceTimersByTimeAsync(199);
    expect(api.lists).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(api.lists).toHaveLength(2); // after 200 ms
    await jest.advanceTimersByTimeAsync(399);
    expect(api.lists).toHaveLength(2);
    await jest.advanceTimersByTimeAsync(1);
    expect(api.lists).toHaveLength(3); // after 400 ms more
    expect(informer.hasSynced).toBe(true);

    // A watch refused without a response now waits the minimum again, not 800 ms.
    api.current.end(Object.assign(new Error('fetch failed'), { cause: { code: 'ECONNREFUSED' } }));
    await settle();
    const watches = api.watches.length;
    await jest.advanceTimersByTimeAsync(200);
    expect(api.watches.length).toBe(watches + 1);
  });

  it("waits a throttled list's Retry-After when it is longer than the backoff", async () => {
    const api = new FakeListWatch();
    let throttled = true;
    api.onList = () => {
      if (throttled) {
        throttled = false;
        throw new ApiException(429, 'Too Many Requests', 'Too many requests\n', {
          'retry-after': '3',
        });
      }
      return { items: [], metadata: { resourceVersion: '1' } };
    };
    const { informer } = start(api);
    await settle();
    expect(api.lists).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(2999); // the backoff alone would have retried after 200 ms
    expect(api.lists).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(api.lists).toHaveLength(2);
    expect(informer.hasSynced).toBe(true);
  });

  it('ignores a watch event older than a write the controller recorded, and applies a newer one', async () => {
    const api = new FakeListWatch();
    api.onList = () => ({ items: [obj('a', 1)], metadata: { resourceVersion: '1' } });
    const { informer, rec } = start(api);
    await settle();
    rec.seen.length = 0;

    informer.recordWrite(obj('a', 10, 'mine'));
    api.current.send('MODIFIED', obj('a', 9, 'stale'));
    expect(informer.store.get('a')?.data).toBe('mine');
    expect(rec.seen).toEqual([]);

    api.current.send('MODIFIED', obj('a', 11, 'newer'));
    expect(informer.store.get('a')?.data).toBe('newer');
    expect(rec.seen).toEqual(['update a 10->11']);
  });
});
