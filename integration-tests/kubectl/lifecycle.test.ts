import { parse } from 'yaml';
import { waitFor } from '../helpers';
import { MANAGED_CLUSTER, MCM, startKubectlEnv, type KubectlEnv } from './harness';

jest.setTimeout(60_000);

let env: KubectlEnv;
beforeAll(async () => {
  env = await startKubectlEnv();
});
afterAll(() => env.stop());

const exists = async (...args: string[]) => (await env.kubectl(['get', ...args])).code === 0;

describe('kubectl delete, wait, finalizers, status, garbage collection', () => {
  it('delete of an object with a finalizer leaves it Terminating until the finalizer is removed', async () => {
    await env.ok(['apply', '-f', '-'], MCM('held'));
    await env.ok([
      'patch',
      'managedclustermodule',
      'held',
      '--type',
      'merge',
      '-p',
      '{"metadata":{"finalizers":["example.com/hold"]}}',
    ]);
    expect(await env.ok(['delete', 'managedclustermodule', 'held', '--wait=false'])).toBe(
      'managedclustermodule.hub.kmm.sigs.x-k8s.io "held" deleted\n',
    );
    const held = parse(await env.ok(['get', 'managedclustermodule', 'held', '-o', 'yaml']));
    expect(held.metadata.deletionTimestamp).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    // A blocked `delete` (default --wait) and `wait --for=delete` both finish once the finalizer goes.
    const watches = env.watches('managedclustermodules');
    const deleting = env.kubectl(['delete', 'managedclustermodule', 'held', '--timeout=30s']);
    const waiting = env.kubectl([
      'wait',
      '--for=delete',
      'managedclustermodule/held',
      '--timeout=30s',
    ]);
    await env.untilWatches('managedclustermodules', watches + 2);
    expect(await exists('managedclustermodule', 'held')).toBe(true);
    await env.ok([
      'patch',
      'managedclustermodule',
      'held',
      '--type',
      'json',
      '-p',
      '[{"op":"remove","path":"/metadata/finalizers"}]',
    ]);
    const [deleted, waited] = await Promise.all([deleting, waiting]);
    expect(waited.code).toBe(0);
    expect(waited.stdout).toContain(
      'managedclustermodule.hub.kmm.sigs.x-k8s.io/held condition met',
    );
    expect(deleted.code).toBe(0);
    expect(await exists('managedclustermodule', 'held')).toBe(false);
  });

  it('wait --for=condition finishes when the status subresource reports it', async () => {
    await env.ok(['apply', '-f', '-'], MANAGED_CLUSTER('cluster-w', { gpu: 'true' }));
    const watches = env.watches('managedclusters');
    const waiting = env.kubectl([
      'wait',
      '--for=condition=ManagedClusterConditionAvailable',
      'managedcluster/cluster-w',
      '--timeout=30s',
    ]);
    await env.untilWatches('managedclusters', watches + 1);
    const status = {
      status: {
        conditions: [
          {
            type: 'ManagedClusterConditionAvailable',
            status: 'True',
            reason: 'ManagedClusterAvailable',
            message: 'ok',
            lastTransitionTime: '2026-01-01T00:00:00Z',
          },
        ],
      },
    };
    // Status written through the main resource is ignored (status subresource enabled) ...
    await env.ok([
      'patch',
      'managedcluster',
      'cluster-w',
      '--type',
      'merge',
      '-p',
      JSON.stringify(status),
    ]);
    expect(
      parse(await env.ok(['get', 'managedcluster', 'cluster-w', '-o', 'yaml'])).status,
    ).toBeUndefined();
    // ... and honoured through /status.
    await env.ok([
      'patch',
      'managedcluster',
      'cluster-w',
      '--subresource=status',
      '--type',
      'merge',
      '-p',
      JSON.stringify(status),
    ]);
    const result = await waiting;
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      'managedcluster.cluster.open-cluster-management.io/cluster-w condition met\n',
    );
    const cluster = parse(await env.ok(['get', 'managedcluster', 'cluster-w', '-o', 'yaml']));
    expect(cluster.metadata.generation).toBe(1);
  });

  it("wait --for=condition times out with kubectl's message when it never holds", async () => {
    const result = await env.kubectl([
      'wait',
      '--for=condition=Nope',
      'managedcluster/cluster-w',
      '--timeout=1s',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('timed out waiting for the condition');
  });

  it('deleting an owner garbage-collects its dependents (background and foreground)', async () => {
    await env.ok(['create', 'namespace', 'gc']);
    for (const owner of ['bg', 'fg']) {
      await env.ok(['apply', '-f', '-'], MCM(owner));
      const uid = (
        await env.ok(['get', 'managedclustermodule', owner, '-o', 'jsonpath={.metadata.uid}'])
      ).trim();
      await env.ok(
        ['apply', '-f', '-'],
        `apiVersion: v1
kind: ConfigMap
metadata:
  name: dep-${owner}
  namespace: gc
  ownerReferences:
    - apiVersion: hub.kmm.sigs.x-k8s.io/v1beta1
      kind: ManagedClusterModule
      name: ${owner}
      uid: ${uid}
      blockOwnerDeletion: true
      controller: true
`,
      );
    }
    await env.ok(['delete', 'managedclustermodule', 'bg']);
    await waitFor(
      'dep-bg garbage-collected',
      async () => !(await exists('configmap', 'dep-bg', '-n', 'gc')),
    );
    await env.ok(['delete', 'managedclustermodule', 'fg', '--cascade=foreground']);
    expect(await exists('configmap', 'dep-fg', '-n', 'gc')).toBe(false);
    expect(await exists('managedclustermodule', 'fg')).toBe(false);
  });

  it('deleting a namespace removes its contents, Terminating first', async () => {
    await env.ok(['create', 'namespace', 'doomed']);
    await env.ok(['create', 'configmap', 'a', '-n', 'doomed']);
    await env.ok(
      ['apply', '-f', '-'],
      `apiVersion: work.open-cluster-management.io/v1
kind: ManifestWork
metadata:
  name: w
  namespace: doomed
  finalizers: [cluster.open-cluster-management.io/manifest-work-cleanup]
spec:
  workload:
    manifests:
      - apiVersion: v1
        kind: ConfigMap
        metadata: {name: x, namespace: y}
`,
    );
    await env.ok(['delete', 'namespace', 'doomed', '--wait=false']);
    await waitFor(
      'configmap a deleted with its namespace',
      async () => !(await exists('configmap', 'a', '-n', 'doomed')),
    );
    const ns = parse(await env.ok(['get', 'namespace', 'doomed', '-o', 'yaml']));
    expect(ns.status.phase).toBe('Terminating');
    const blocked = await env.kubectl(['create', 'configmap', 'b', '-n', 'doomed']);
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toContain('because it is being terminated');
    await env.ok([
      'patch',
      'manifestwork',
      'w',
      '-n',
      'doomed',
      '--type',
      'merge',
      '-p',
      '{"metadata":{"finalizers":null}}',
    ]);
    await env.ok(['wait', '--for=delete', 'namespace/doomed', '--timeout=20s']);
  });

  it('delete --dry-run=server keeps the object', async () => {
    await env.ok(['apply', '-f', '-'], MCM('kept'));
    await env.ok(['delete', 'managedclustermodule', 'kept', '--dry-run=server']);
    expect(await exists('managedclustermodule', 'kept')).toBe(true);
  });
});
