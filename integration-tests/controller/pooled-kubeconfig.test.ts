import { CustomObjectsApi, HttpMethod, RequestContext } from '@kubernetes/client-node';
import { startApiServer, type ApiServerHandle } from 'kmm-hub-sandbox';
import { PooledKubeConfig } from 'kmm-hub-controller/runtime';

// The controller's KubeConfig shares one TLS connection pool across requests (client-node 2.0.1 alone makes a
// new agent, hence a new TLS handshake, per request), and still authenticates every request.

jest.setTimeout(30_000);

describe('PooledKubeConfig against the sandbox API server (HTTPS, bearer token)', () => {
  let server: ApiServerHandle;
  beforeAll(async () => {
    server = await startApiServer();
  });
  afterAll(() => server.stop());

  it('gives every request the same dispatcher and the bearer token', async () => {
    const kc = new PooledKubeConfig();
    kc.loadFromString(server.kubeconfig);
    const contexts = [1, 2, 3].map(
      () => new RequestContext(`${server.url}/api/v1/namespaces`, HttpMethod.GET),
    );
    for (const c of contexts) await kc.applySecurityAuthentication(c);
    const dispatchers = new Set(contexts.map((c) => c.getDispatcher()));
    expect(dispatchers.size).toBe(1);
    expect([...dispatchers][0]).toBeDefined();
    for (const c of contexts) expect(c.getHeaders().Authorization).toBe(`Bearer ${server.token}`);
    await kc.close();
  });

  it('serves many concurrent requests through the pool, and a new pool after close()', async () => {
    const kc = new PooledKubeConfig();
    kc.loadFromString(server.kubeconfig);
    const api = kc.makeApiClient(CustomObjectsApi);
    const list = () =>
      api.listClusterCustomObject({
        group: 'cluster.open-cluster-management.io',
        version: 'v1',
        plural: 'managedclusters',
      });
    const before = server.audit.count({ verb: 'list', resource: 'managedclusters' });
    await Promise.all(Array.from({ length: 40 }, list));
    await kc.close();
    await list();
    await kc.close();
    expect(server.audit.count({ verb: 'list', resource: 'managedclusters' }) - before).toBe(41);
  });
});
