import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { RbacAuthorizationV1Api } from '@kubernetes/client-node';
import {
  kernelVersionsOf,
  type ManagedCluster,
  type ManagedClusterModule,
  type PlanDiffDocument,
} from 'kmm-hub-controller/model';
import { startTestRegistry } from '../registry/docker-registry';
import {
  clusters,
  createMcm,
  driverMcm,
  isReady,
  kernelsOf,
  startController,
  startHub,
  waitForStatus,
  worksOf,
  type Hub,
} from './harness';

// `kmm-hub-controller plan --diff`, the real bin as a child process, against a sandbox hub on which the
// controller rolled an MCM out: each edit names exactly the clusters and kernels that would change, derived
// here from the fleet itself; the hub's failures end in one line and a documented exit status.

jest.setTimeout(120_000);

const root = resolve(__dirname, '../..');
const bin = join(root, 'controller/bin/kmm-hub-controller.js');
const dir = mkdtempSync(join(tmpdir(), 'kmm-plan-diff-'));
const MCM = 'preview-drv';
const SELECTOR = { gpu: 'true' };

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

const run = (...args: string[]): Promise<Run> =>
  new Promise((done) =>
    execFile(
      process.execPath,
      [bin, 'plan', ...args],
      { cwd: root, maxBuffer: 64 << 20 },
      (error, stdout, stderr) =>
        done({ code: error ? ((error as { code?: number }).code ?? -1) : 0, stdout, stderr }),
    ),
  );

let n = 0;
const file = (text: string) => {
  const p = join(dir, `f${n++}.yaml`);
  writeFileSync(p, text);
  return p;
};
const mcmFile = (m: ManagedClusterModule) => file(JSON.stringify(m));

let hub: Hub;
let fleet: ManagedCluster[];
let kubeconfig: string;
/** the clusters the controller rolled the MCM out to, from the hub */
let rolledOut: string[];

beforeAll(async () => {
  hub = await startHub(24);
  await startController(hub);
  await createMcm(hub, driverMcm(MCM, SELECTOR));
  await waitForStatus(hub, MCM, 'Ready', isReady);
  fleet = await clusters(hub);
  rolledOut = [...(await worksOf(hub, MCM)).keys()].sort();
  kubeconfig = join(dir, 'hub.kubeconfig');
  hub.sandbox.writeKubeconfig(kubeconfig);
}, 120_000);
afterAll(async () => {
  await hub?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Clusters a selector picks that report kernels: where the controller rolls a module out. */
const eligible = (selector: Record<string, string>) =>
  fleet
    .filter((c) => Object.entries(selector).every(([k, v]) => c.metadata.labels?.[k] === v))
    .filter((c) => kernelVersionsOf(c) !== undefined && kernelVersionsOf(c)!.length > 0)
    .map((c) => c.metadata.name!)
    .sort();

const diffJson = async (...args: string[]) => {
  const r = await run('--kubeconfig', kubeconfig, '-o', 'json', ...args);
  return { ...r, doc: r.stdout ? (JSON.parse(r.stdout) as PlanDiffDocument) : undefined };
};

it('rolled the MCM out to the selected clusters first (the baseline of every preview)', () => {
  expect(rolledOut).toEqual(eligible(SELECTOR));
  expect(rolledOut.length).toBeGreaterThan(2);
});

it('an unchanged MCM: exit 0 and "No changes", in text and JSON', async () => {
  const same = mcmFile(driverMcm(MCM, SELECTOR));
  const [text, json] = await Promise.all([
    run('--diff', '--kubeconfig', kubeconfig, '--mcm', same),
    diffJson('--mcm', same),
  ]);
  expect(text).toMatchObject({ code: 0, stderr: '' });
  expect(text.stdout).toBe(
    `ManagedClusterModule ${MCM}: no changes\n\n` +
      'No changes: applying these ManagedClusterModules would change no ManifestWork.\n',
  );
  expect(json.code).toBe(0);
  expect(json.doc).toMatchObject({ changed: false, changedClusters: 0, fleetClusters: 24 });
});

it('a selector change names exactly the clusters gained and lost; exit 5, or 6 past the limit', async () => {
  const selector = { cloud: 'Amazon' };
  const edited = mcmFile(driverMcm(MCM, selector));
  const after = eligible(selector);
  const gained = after.filter((c) => !rolledOut.includes(c));
  const lost = rolledOut.filter((c) => !after.includes(c));
  expect(gained.length).toBeGreaterThan(0);
  expect(lost.length).toBeGreaterThan(0);
  const changed = gained.length + lost.length;
  const [json, text, over, within] = await Promise.all([
    diffJson('--mcm', edited),
    run('--kubeconfig', kubeconfig, '--mcm', edited),
    diffJson('--mcm', edited, '--max-changed-clusters', String(changed - 1)),
    diffJson('--mcm', edited, '--max-changed-clusters', '100%'),
  ]);
  expect(json.code).toBe(5);
  const m = json.doc!.mcms[0]!;
  expect(m.clustersGained).toEqual(gained);
  expect(m.clustersLost).toEqual(lost);
  expect(m.imageChanges).toEqual([]);
  expect(m.otherChanges).toEqual([]);
  expect(json.doc!.changedClusters).toBe(changed);
  // every image the gained clusters need is new to them, and nobody asked its registry
  expect(new Set(m.images.flatMap((i) => i.clusters))).toEqual(new Set(gained));
  expect(m.images.every((i) => i.state === 'NotChecked' || i.source === 'hub')).toBe(true);

  expect(text.code).toBe(5);
  expect(text.stdout).toContain(`  + gains the module (${gained.length}): ${gained.join(', ')}\n`);
  expect(text.stdout).toContain(`  - loses the module (${lost.length}): ${lost.join(', ')}\n`);
  expect(text.stdout).toContain(`${changed} clusters of 24 would change.`);

  expect(over.code).toBe(6);
  expect(over.doc!.limit).toEqual({ maxChangedClusters: String(changed - 1), exceeded: true });
  expect(within.code).toBe(5);
  expect(within.doc!.limit).toEqual({ maxChangedClusters: '100%', exceeded: false });
});

it("a kernel mapping's new image names that kernel, old and new image, and exactly its clusters", async () => {
  const kernel = kernelsOf(hub, rolledOut[0]!)[0]!;
  const running = rolledOut.filter((c) => kernelsOf(hub, c).includes(kernel));
  const edited = driverMcm(MCM, SELECTOR);
  edited.spec.moduleSpec.moduleLoader!.container.kernelMappings.unshift({
    literal: kernel,
    containerImage: 'quay.io/acme/drv-hotfix:1',
  });
  const { code, doc } = await diffJson('--mcm', mcmFile(edited));
  expect(code).toBe(5);
  const m = doc!.mcms[0]!;
  expect(m.imageChanges).toEqual([
    {
      kernelVersion: kernel,
      from: `quay.io/acme/drv-v1:${kernel}`,
      to: 'quay.io/acme/drv-hotfix:1',
      clusters: running,
    },
  ]);
  expect(m.clustersGained).toEqual([]);
  expect(m.clustersLost).toEqual([]);
  expect(m.changedClusters).toEqual(running);
  expect(m.images).toEqual([
    expect.objectContaining({
      image: 'quay.io/acme/drv-hotfix:1',
      clusters: running,
      kernelVersions: [kernel],
      source: 'none',
      state: 'NotChecked',
    }),
  ]);
});

it('a new MCM shows every eligible cluster as gained; an invalid one exits 1 naming the field', async () => {
  const invalid = driverMcm(MCM, SELECTOR);
  invalid.spec.moduleSpec.moduleLoader!.container.kernelMappings[0]!.containerImage =
    'quay.io/acme/drv';
  const [fresh, bad] = await Promise.all([
    diffJson('--mcm', mcmFile(driverMcm('brand-new', { gpu: 'true', cloud: 'Amazon' }))),
    diffJson('--mcm', mcmFile(invalid)),
  ]);
  expect(fresh.code).toBe(5);
  expect(fresh.doc!.mcms[0]).toMatchObject({
    mcm: 'brand-new',
    onHub: false,
    clustersGained: eligible({ gpu: 'true', cloud: 'Amazon' }),
    clustersLost: [],
  });
  expect(bad.code).toBe(1);
  expect(bad.doc!.mcms).toEqual([]);
  expect(bad.doc!.errors).toEqual([
    expect.objectContaining({
      mcm: MCM,
      field: 'spec.moduleSpec.moduleLoader.container.kernelMappings[0].containerImage',
    }),
  ]);
});

it('--check-registry asks the registry: present, to be built on the hub, or missing', async () => {
  const registry = await startTestRegistry();
  try {
    const kernels = [...new Set(rolledOut.flatMap((c) => kernelsOf(hub, c)))].sort();
    expect(kernels.length).toBeGreaterThan(2);
    const [pushed, absent] = kernels;
    await registry.pusher('acme/pushed').pushImage(pushed!);
    const tls = { insecure: true };
    const edited = driverMcm(MCM, SELECTOR);
    edited.spec.moduleSpec.moduleLoader!.container.kernelMappings = [
      {
        literal: pushed!,
        containerImage: `${registry.host}/acme/pushed:${pushed}`,
        registryTLS: tls,
      },
      { literal: absent!, containerImage: `${registry.host}/acme/absent:1`, registryTLS: tls },
      {
        regexp: '^5\\.14\\.0-',
        containerImage: `${registry.host}/acme/built:\${KERNEL_FULL_VERSION}`,
        registryTLS: tls,
        build: { dockerfileConfigMap: { name: 'acme-dockerfile' } },
      },
    ];
    const file = mcmFile(edited);
    const [checked, unchecked] = await Promise.all([
      diffJson('--mcm', file, '--check-registry'),
      diffJson('--mcm', file),
    ]);
    expect(checked).toMatchObject({ code: 5, stderr: '' });
    const byImage = new Map(checked.doc!.mcms[0]!.images.map((i) => [i.image, i]));
    expect(byImage.get(`${registry.host}/acme/pushed:${pushed}`)).toMatchObject({
      source: 'registry',
      state: 'Ready',
      note: expect.stringMatching(/^in its registry \(sha256:[0-9a-f]{64}\)$/),
    });
    expect(byImage.get(`${registry.host}/acme/absent:1`)).toMatchObject({
      source: 'registry',
      state: 'Missing',
    });
    const built = kernels.slice(2).map((k) => byImage.get(`${registry.host}/acme/built:${k}`));
    expect(built.length).toBeGreaterThan(0);
    for (const b of built)
      expect(b).toMatchObject({
        source: 'registry',
        state: 'Waiting',
        note: 'not in its registry: a hub build would start',
      });
    // the same preview without the flag asks nobody and says so
    expect(unchecked.doc!.mcms[0]!.images.map((i) => i.state)).toEqual(
      checked.doc!.mcms[0]!.images.map(() => 'NotChecked'),
    );
  } finally {
    await registry.destroy();
  }
});

describe('failures: one line on stderr, nothing on stdout, a documented exit status', () => {
  it('an unreachable hub (4), missing permissions naming verb and resource (4), bad input (2)', async () => {
    const rbac = hub.kubeConfig.makeApiClient(RbacAuthorizationV1Api);
    await rbac.createClusterRole({
      body: {
        metadata: { name: 'preview-partial' },
        rules: [
          {
            apiGroups: ['hub.kmm.sigs.x-k8s.io'],
            resources: ['managedclustermodules'],
            verbs: ['get'],
          },
          {
            apiGroups: ['cluster.open-cluster-management.io'],
            resources: ['managedclusters'],
            verbs: ['list'],
          },
          {
            apiGroups: ['apiextensions.k8s.io'],
            resources: ['customresourcedefinitions'],
            verbs: ['get'],
          },
        ],
      },
    });
    await rbac.createClusterRoleBinding({
      body: {
        metadata: { name: 'preview-partial' },
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'ClusterRole',
          name: 'preview-partial',
        },
        subjects: [{ kind: 'ServiceAccount', name: 'ci', namespace: 'kmm-hub' }],
      },
    });
    const partial = file(hub.sandbox.server.serviceAccountToken('kmm-hub', 'ci').kubeconfig);
    const unreachable = file(hub.sandbox.kubeconfig.replace(/127\.0\.0\.1:\d+/, '127.0.0.1:9'));
    const mcm = mcmFile(driverMcm(MCM, SELECTOR));
    const [forbidden, down, malformed, badLimit, clustersToo] = await Promise.all([
      run('--kubeconfig', partial, '--mcm', mcm),
      run('--kubeconfig', unreachable, '--mcm', mcm),
      run('--kubeconfig', kubeconfig, '--mcm', file('kind: [ManagedClusterModule\n')),
      run('--kubeconfig', kubeconfig, '--mcm', mcm, '--max-changed-clusters', 'many'),
      run('--diff', '--mcm', mcm, '--clusters', mcm),
    ]);
    const oneLine = /^kmm-hub-controller plan[^\n]*\n$/;
    for (const r of [forbidden, down, malformed, badLimit, clustersToo]) {
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(oneLine);
    }
    expect(forbidden.code).toBe(4);
    expect(forbidden.stderr).toContain(
      'not allowed to list manifestworks.work.open-cluster-management.io (all namespaces) (403 Forbidden',
    );
    expect(down.code).toBe(4);
    expect(down.stderr).toMatch(/cannot reach the hub at https:\/\/127\.0\.0\.1:9 /);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toMatch(
      /--mcm \S+: not valid YAML or JSON: .* at line \d+, column \d+\n$/,
    );
    expect(badLimit.code).toBe(2);
    expect(badLimit.stderr).toContain('--max-changed-clusters many: give a number of clusters');
    expect(clustersToo.code).toBe(2);
    expect(clustersToo.stderr).toContain('--clusters cannot be used with --diff');
  });
});
