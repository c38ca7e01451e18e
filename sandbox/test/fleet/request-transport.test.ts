// The fleet's client-node transport (undici request() instead of fetch()) must behave like client-node's own:
// typed results, ApiExceptions carrying the HTTP status and Status body, network errors without a status.
import { ApiException, CoreV1Api } from '@kubernetes/client-node';
import { PooledKubeConfig, apiFailure, isTransient } from 'kmm-hub-controller/runtime';
import { makeRequestApiClient } from '../../src/fleet/request-transport';
import { startApiServer, type ApiServerHandle } from '../../src/server';

let server: ApiServerHandle;
let kc: PooledKubeConfig;
let core: CoreV1Api;
beforeAll(async () => {
  server = await startApiServer({ crdFiles: [] });
  kc = PooledKubeConfig.fromString(server.kubeconfig);
  core = makeRequestApiClient(kc, CoreV1Api);
});
afterAll(async () => {
  await kc.close();
  await server.stop();
});

describe('makeRequestApiClient', () => {
  it('sends authenticated requests and deserializes answers as client-node does', async () => {
    const created = await core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name: 'via-request' }, data: { a: '1' } },
    });
    expect(created.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    const read = await core.readNamespace({ name: 'default' });
    expect(read.metadata?.creationTimestamp).toBeInstanceOf(Date);
    expect(server.audit.count({ verb: 'create', resource: 'configmaps' })).toBe(1);
    expect(server.objects.get('v1', 'ConfigMap', 'via-request', 'default')?.data).toEqual({
      a: '1',
    });
  });

  it('turns error answers into ApiExceptions with the status and the Status body', async () => {
    const err = await core.readNamespacedConfigMap({ name: 'nope', namespace: 'default' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ApiException);
    expect(apiFailure(err).code).toBe(404);
    expect(isTransient(err)).toBe(false);
    // As with client-node's fetch transport, the body is the Status text.
    expect(JSON.parse((err as ApiException<string>).body)).toMatchObject({
      kind: 'Status',
      reason: 'NotFound',
      message: 'configmaps "nope" not found',
    });
  });

  it('fails without an HTTP status when the server is unreachable (retried as transient)', async () => {
    const restarted = server.faults.restart({ downtimeMs: 500 });
    const err = await core.readNamespace({ name: 'default' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    await restarted;
    expect(err).toBeInstanceOf(Error);
    // no HTTP answer at all
    expect(apiFailure(err).code).toBe(0);
    expect(isTransient(err)).toBe(true);
    expect((await core.readNamespace({ name: 'default' })).metadata?.name).toBe('default');
  });
});
