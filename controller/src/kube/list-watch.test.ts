import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { kubeListWatch } from './list-watch';
import { MCM_RESOURCE } from './resources';

// client-node's Watch ends a watch on its own timer, with the same TimeoutError whether the API server never
// answered or answered and then stayed quiet. kubeListWatch tells the two apart; here against a local HTTP
// server that does each, with a short idle timeout.

type Behaviour = (res: ServerResponse) => void;

async function serve(behaviour: Behaviour) {
  const open = new Set<ServerResponse>();
  const server = createServer((_req, res) => {
    open.add(res);
    behaviour(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: 'c', server: `http://127.0.0.1:${port}`, skipTLSVerify: true }],
    users: [{ name: 'u', token: 't' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  return {
    kubeConfig,
    close: async () => {
      for (const res of open) res.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Starts one watch with a 300 ms idle timeout; resolves with its events and how it ended. */
async function watchOnce(behaviour: Behaviour) {
  const server = await serve(behaviour);
  try {
    const client = kubeListWatch(server.kubeConfig, MCM_RESOURCE, { watchIdleTimeoutMs: 300 });
    const events: string[] = [];
    const started = Date.now();
    const error = await new Promise<unknown>((resolve) => {
      void client.watch(
        { resourceVersion: '5', allowWatchBookmarks: true, timeoutSeconds: 600 },
        (type) => events.push(type),
        resolve,
      );
    });
    return { events, error, afterMs: Date.now() - started };
  } finally {
    await server.close();
  }
}

describe('kubeListWatch', () => {
  it('ends a watch that answered and then stayed quiet for the idle timeout as a normal end', async () => {
    const { events, error, afterMs } = await watchOnce((res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(
        `${JSON.stringify({ type: 'BOOKMARK', object: { metadata: { resourceVersion: '7' } } })}\n`,
      );
    });
    expect(events).toEqual(['BOOKMARK']);
    expect(error).toBeNull();
    expect(afterMs).toBeGreaterThanOrEqual(290);
  });

  it('reports a server that never answers within the idle timeout as a failure', async () => {
    const { events, error } = await watchOnce(() => undefined);
    expect(events).toEqual([]);
    expect(error).toMatchObject({ name: 'TimeoutError' });
  });

  it('reports an HTTP error answer as a failure with its status code', async () => {
    const { error } = await watchOnce((res) => res.writeHead(500).end());
    expect(error).toMatchObject({ statusCode: 500 });
  });
});
