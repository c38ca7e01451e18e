import { KubeConfig, Watch } from '@kubernetes/client-node';
import { startApiServer, type ApiServerHandle } from '../../src/server';
import { watchTimeoutMs } from '../../src/server/watch';

// Watch timing as kube-apiserver serves it: bookmarks about once a minute (here shortened where a test needs
// several), a last one 2 s before the watch's deadline, and watches without timeoutSeconds closed after a
// random 1x to 2x --min-request-timeout.

jest.setTimeout(30_000);

interface Watched {
  bookmarks: { at: number; rv: number }[];
  closedAfterMs: number;
}

/** Watches ConfigMaps until the server ends the watch; returns when each bookmark came and when it ended. */
async function watchUntilClosed(
  server: ApiServerHandle,
  query: Record<string, string | number | boolean>,
): Promise<Watched> {
  const kc = new KubeConfig();
  kc.loadFromString(server.kubeconfig);
  const watch = new Watch(kc);
  // client-node's own 30 s inactivity timeout must not be what ends these watches.
  (watch as unknown as { requestTimeoutMs: number }).requestTimeoutMs = 120_000;
  const started = Date.now();
  const bookmarks: Watched['bookmarks'] = [];
  return new Promise((resolve, reject) => {
    void watch.watch(
      '/api/v1/namespaces/default/configmaps',
      { resourceVersion: String(server.resourceVersion()), ...query },
      (type, object: { metadata?: { resourceVersion?: string } }) => {
        if (type === 'BOOKMARK') {
          bookmarks.push({
            at: Date.now() - started,
            rv: Number(object.metadata?.resourceVersion),
          });
        }
      },
      (err: unknown) =>
        err ? reject(err as Error) : resolve({ bookmarks, closedAfterMs: Date.now() - started }),
    );
  });
}

describe('watch timeouts', () => {
  it('draws the timeout of a watch without timeoutSeconds between 1x and 2x --min-request-timeout', () => {
    expect(watchTimeoutMs(0, 1800, () => 0)).toBe(1_800_000);
    expect(watchTimeoutMs(0, 1800, () => 0.5)).toBe(2_700_000);
    expect(watchTimeoutMs(0, 1800, () => 0.999)).toBeLessThan(3_600_000);
    // The client's timeoutSeconds wins, whatever the server's flag.
    expect(watchTimeoutMs(5, 1800, () => 0.5)).toBe(5000);
  });

  it('closes a watch without timeoutSeconds after 1x to 2x minRequestTimeoutSeconds', async () => {
    const server = await startApiServer({ crdFiles: [], minRequestTimeoutSeconds: 1 });
    try {
      const watched = await Promise.all(
        [1, 2, 3].map(() => watchUntilClosed(server, { allowWatchBookmarks: true })),
      );
      for (const { closedAfterMs, bookmarks } of watched) {
        expect(closedAfterMs).toBeGreaterThanOrEqual(950);
        // 2 s, plus what a loaded machine adds to a timer.
        expect(closedAfterMs).toBeLessThan(3500);
        // Within 2 s of the deadline from the start: no bookmark at all, as kube-apiserver.
        expect(bookmarks).toEqual([]);
      }
    } finally {
      await server.stop();
    }
  });

  it('rejects a timeoutSeconds that is not an integer with 400', async () => {
    const server = await startApiServer({ crdFiles: [] });
    try {
      const res = await fetch(
        `${server.httpUrl}/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=soon`,
        { headers: { authorization: `Bearer ${server.token}` } },
      );
      expect(res.status).toBe(400);
      expect(((await res.json()) as { message: string }).message).toMatch(/timeoutSeconds/);
    } finally {
      await server.stop();
    }
  });
});

describe('bookmarks', () => {
  it('come about once a minute by default: within a 4 s watch only the one 2 s before its deadline', async () => {
    const server = await startApiServer({ crdFiles: [] });
    try {
      const { bookmarks, closedAfterMs } = await watchUntilClosed(server, {
        allowWatchBookmarks: true,
        timeoutSeconds: 4,
      });
      expect(closedAfterMs).toBeGreaterThanOrEqual(3950);
      expect(bookmarks).toHaveLength(1);
      expect(bookmarks[0]!.at).toBeGreaterThanOrEqual(1950);
      expect(bookmarks[0]!.rv).toBe(server.resourceVersion());
    } finally {
      await server.stop();
    }
  });

  it('come every bookmarkIntervalMs until 2 s before the deadline, carrying the current resourceVersion', async () => {
    const server = await startApiServer({ crdFiles: [], bookmarkIntervalMs: 200 });
    try {
      const writes = setInterval(() => {
        server.objects.create({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { generateName: 'w-', namespace: 'other' },
        });
      }, 150);
      server.objects.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other' } });
      const { bookmarks, closedAfterMs } = await watchUntilClosed(server, {
        allowWatchBookmarks: true,
        timeoutSeconds: 3,
      });
      clearInterval(writes);
      expect(closedAfterMs).toBeGreaterThanOrEqual(2950);
      // At 0.2, 0.4, 0.6, 0.8 and 1.0 s (the deadline's), fewer when timers are late; none after.
      expect(bookmarks.length).toBeGreaterThanOrEqual(2);
      expect(bookmarks.length).toBeLessThanOrEqual(5);
      // Writes to other namespaces move the resourceVersion of bookmarks forward.
      expect(bookmarks.at(-1)!.rv).toBeGreaterThan(bookmarks[0]!.rv);
    } finally {
      await server.stop();
    }
  });

  it('refuses a bookmark interval or a minimum request timeout that is not positive', async () => {
    await expect(startApiServer({ bookmarkIntervalMs: 0 })).rejects.toThrow(/bookmarkIntervalMs/);
    await expect(startApiServer({ minRequestTimeoutSeconds: -1 })).rejects.toThrow(
      /minRequestTimeoutSeconds/,
    );
  });
});
