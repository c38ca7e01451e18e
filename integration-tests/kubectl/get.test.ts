import { parse } from 'yaml';
import { MANAGED_CLUSTER, MCM, startKubectlEnv, type KubectlEnv } from './harness';

jest.setTimeout(60_000);

let env: KubectlEnv;
beforeAll(async () => {
  env = await startKubectlEnv();
  const objects = env.server.objects;
  for (const [name, labels] of [
    ['cluster-a', { gpu: 'true', region: 'eu' }],
    ['cluster-b', { gpu: 'false', region: 'us' }],
    ['cluster-c', { region: 'us' }],
  ] as const) {
    objects.create(parse(MANAGED_CLUSTER(name, labels)));
    objects.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }
  const cluster = objects.get(
    'cluster.open-cluster-management.io/v1',
    'ManagedCluster',
    'cluster-a',
  );
  objects.updateStatus({
    ...cluster!,
    status: {
      conditions: [
        {
          type: 'ManagedClusterJoined',
          status: 'True',
          reason: 'Joined',
          message: 'joined',
          lastTransitionTime: '2026-01-01T00:00:00Z',
        },
        {
          type: 'ManagedClusterConditionAvailable',
          status: 'True',
          reason: 'Available',
          message: 'ok',
          lastTransitionTime: '2026-01-01T00:00:00Z',
        },
      ],
    },
  });
  objects.create(parse(MCM('gpu')));
  for (const ns of ['cluster-a', 'cluster-b']) {
    objects.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings', namespace: ns, labels: { app: ns } },
      data: { a: '1', b: '2' },
    });
  }
});
afterAll(() => env.stop());

describe('kubectl get', () => {
  it('prints CRD printer columns with JSONPath cells (Joined, Available) and AGE', async () => {
    const out = await env.ok(['get', 'managedclusters']);
    const lines = out.trim().split('\n');
    expect(lines[0]).toMatch(
      /^NAME\s+HUB ACCEPTED\s+MANAGED CLUSTER URLS\s+JOINED\s+AVAILABLE\s+AGE$/,
    );
    expect(lines[1]).toMatch(/^cluster-a\s+true\s+True\s+True\s+\d+s$/);
    expect(lines).toHaveLength(4);
  });

  it('uses short names and prints built-in tables (ConfigMap DATA count) across namespaces', async () => {
    expect(await env.ok(['get', 'mcl', '-o', 'name'])).toBe(
      'managedcluster.cluster.open-cluster-management.io/cluster-a\nmanagedcluster.cluster.open-cluster-management.io/cluster-b\nmanagedcluster.cluster.open-cluster-management.io/cluster-c\n',
    );
    const all = await env.ok(['get', 'cm', '-A']);
    expect(all).toMatch(/^NAMESPACE\s+NAME\s+DATA\s+AGE\n/);
    expect(all).toMatch(/cluster-a\s+settings\s+2\s+\d+s/);
    expect(all).toMatch(/cluster-b\s+settings\s+2\s+\d+s/);
    const one = await env.ok(['get', 'cm', '-n', 'cluster-b']);
    expect(one).not.toContain('cluster-a');
  });

  it('prints -o yaml, -o json and -o jsonpath', async () => {
    const yaml = parse(await env.ok(['get', 'managedclustermodule', 'gpu', '-o', 'yaml']));
    expect(yaml.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(yaml.metadata.generation).toBe(1);
    // Structural defaulting from the CRD schema (dirName defaults to /opt).
    expect(yaml.spec.moduleSpec.moduleLoader.container.modprobe.dirName).toBe('/opt');
    const json = JSON.parse(await env.ok(['get', 'managedclusters', '-o', 'json']));
    expect(json.kind).toBe('List');
    expect(json.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual([
      'cluster-a',
      'cluster-b',
      'cluster-c',
    ]);
    const path = await env.ok([
      'get',
      'managedclusters',
      '-o',
      'jsonpath={range .items[*]}{.metadata.name}={.metadata.labels.region}{"\\n"}{end}',
    ]);
    expect(path).toBe('cluster-a=eu\ncluster-b=us\ncluster-c=us\n');
  });

  it('prints -o wide with the priority columns only then', async () => {
    env.server.objects.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p1', namespace: 'cluster-a' },
      spec: { nodeName: 'worker-1', containers: [{ name: 'c', image: 'busybox' }] },
    });
    const [plain, wide] = await Promise.all([
      env.ok(['get', 'pods', '-n', 'cluster-a']),
      env.ok(['get', 'pods', '-n', 'cluster-a', '-o', 'wide']),
    ]);
    expect(plain).toMatch(/^NAME\s+STATUS\s+AGE\np1\s+Pending\s+\d+s\n$/);
    expect(wide).toMatch(/^NAME\s+STATUS\s+NODE\s+AGE\np1\s+Pending\s+worker-1\s+\d+s\n$/);
  });

  it('filters with equality and set-based label selectors', async () => {
    const names = async (selector: string) =>
      (await env.ok(['get', 'managedclusters', '-l', selector, '-o', 'name']))
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((n) => n.split('/')[1]);
    const selectors = [
      'gpu=true',
      'region in (us)',
      'gpu,region!=eu',
      '!gpu',
      'region notin (us,eu)',
    ];
    expect(await Promise.all(selectors.map(names))).toEqual([
      ['cluster-a'],
      ['cluster-b', 'cluster-c'],
      ['cluster-b'],
      ['cluster-c'],
      [],
    ]);
  });

  it('filters with metadata.name / metadata.namespace field selectors and rejects other fields', async () => {
    expect(
      await env.ok([
        'get',
        'managedclusters',
        '--field-selector',
        'metadata.name=cluster-b',
        '-o',
        'name',
      ]),
    ).toBe('managedcluster.cluster.open-cluster-management.io/cluster-b\n');
    expect(
      await env.ok([
        'get',
        'cm',
        '-A',
        '--field-selector',
        'metadata.namespace!=cluster-a',
        '-o',
        'name',
      ]),
    ).toBe('configmap/settings\n');
    const bad = await env.kubectl([
      'get',
      'managedclusters',
      '--field-selector',
      'spec.hubAcceptsClient=true',
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('field label not supported: spec.hubAcceptsClient');
  });

  it('streams changes with get -w (each change printed once, no duplicate initial rows)', async () => {
    const resource = 'managedclustermodules';
    const before = env.watches(resource);
    const watch = env.stream(['get', resource, '-w']);
    await env.untilWatches(resource, before + 1);
    await env.ok(['label', 'managedclustermodule', 'gpu', 'stage=one']);
    await env.ok(['apply', '-f', '-'], MCM('net'));
    // A last change as a sentinel: any duplicate of the earlier rows would be printed before it.
    await env.ok(['label', 'managedclustermodule', 'net', 'stage=two']);
    await watch.until((out) => out.trim().split('\n').length >= 5);
    const rows = (await watch.stop()).stdout.trim().split('\n');
    expect(rows[0]).toMatch(/^NAME\s.*\sAGE$/);
    expect(rows.slice(1).map((r) => r.split(/\s+/)[0])).toEqual(['gpu', 'gpu', 'net', 'net']);
  });

  it('pages lists with --chunk-size (limit and continue)', async () => {
    const lists = () => env.server.audit.count({ verb: 'list', resource: 'managedclusters' });
    const before = lists();
    expect(await env.ok(['get', 'managedclusters', '--chunk-size=1', '-o', 'name'])).toBe(
      await env.ok(['get', 'managedclusters', '-o', 'name']),
    );
    // Three clusters one at a time, then the unpaged list.
    expect(lists() - before).toBe(4);
  });

  it('reports a missing object as NotFound', async () => {
    const result = await env.kubectl(['get', 'managedcluster', 'nope']);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      'Error from server (NotFound): managedclusters.cluster.open-cluster-management.io "nope" not found',
    );
  });
});
