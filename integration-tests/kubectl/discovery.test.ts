import { startKubectlEnv, type KubectlEnv } from './harness';

jest.setTimeout(60_000);

let env: KubectlEnv;
beforeAll(async () => {
  env = await startKubectlEnv();
});
afterAll(() => env.stop());

describe('kubectl discovery and OpenAPI', () => {
  it('lists built-in and CRD resources with short names, scope and kind (api-resources)', async () => {
    const result = await env.kubectl(['api-resources']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const rows = result.stdout.split('\n').map((l) => l.trim().split(/\s+/));
    const row = (name: string, apiVersion: string) =>
      rows.find((r) => r[0] === name && r.includes(apiVersion));
    expect(row('managedclusters', 'cluster.open-cluster-management.io/v1')).toEqual([
      'managedclusters',
      'mcl,mcls',
      'cluster.open-cluster-management.io/v1',
      'false',
      'ManagedCluster',
    ]);
    expect(row('manifestworks', 'work.open-cluster-management.io/v1')).toEqual([
      'manifestworks',
      'work.open-cluster-management.io/v1',
      'true',
      'ManifestWork',
    ]);
    expect(row('configmaps', 'v1')).toEqual(['configmaps', 'cm', 'v1', 'true', 'ConfigMap']);
    expect(row('leases', 'coordination.k8s.io/v1')).toBeDefined();
    expect(row('jobs', 'batch/v1')).toBeDefined();
    expect(row('events', 'events.k8s.io/v1')).toBeDefined();
  });

  it('explains CRD fields from their openAPIV3Schema, and built-in kinds', async () => {
    const field = await env.ok(['explain', 'managedclustermodules.spec.spokeNamespace']);
    expect(field).toContain('KIND:       ManagedClusterModule');
    expect(field).toContain('FIELD: spokeNamespace <string>');
    expect(field).toMatch(/SpokeNamespace describes the Spoke namespace/);
    const nested = await env.ok(['explain', 'manifestworks.spec.workload.manifests']);
    expect(nested).toContain('<[]Object>');
    const cm = await env.ok(['explain', 'configmap.data']);
    expect(cm).toContain('FIELD: data <map[string]string>');
    const missing = await env.kubectl(['explain', 'managedclustermodules.spec.nope']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/field "nope" does not exist/);
  });

  it('answers auth can-i: the administrator token (system:masters) may do anything', async () => {
    const cluster = await env.kubectl(['auth', 'can-i', 'create', 'managedclustermodules']);
    expect(cluster.stdout).toBe('yes\n');
    expect(cluster.code).toBe(0);
    expect(await env.ok(['auth', 'can-i', 'delete', 'manifestworks', '-n', 'cluster-1'])).toBe(
      'yes\n',
    );
  });

  it('reports the server version', async () => {
    const out = await env.ok(['version', '-o', 'json']);
    const version = JSON.parse(out) as { serverVersion: { gitVersion: string } };
    expect(version.serverVersion.gitVersion).toMatch(/^v1\.34\./);
  });
});
