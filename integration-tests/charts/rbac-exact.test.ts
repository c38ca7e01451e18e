// RBAC is exact: the controller runs as the chart's ServiceAccount with the chart's rendered RBAC, against a
// sandbox that authorizes that token, through a scenario that makes every call it has (watch, roll out, meet
// someone else's ManifestWork, update, deselect, repeat an Event, renew its Lease) and makes no forbidden
// request. Image checks are on, as the chart runs the controller: the images live in Debian's real
// docker-registry behind basic auth (read with the MCMs' imageRepoSecret), and a second MCM's image is built and
// signed on the hub by Jobs (its Dockerfile ConfigMap, signing key and certificate Secrets read) that the
// sandbox's build executor runs and the controller deletes once they succeeded. Then every verb the chart grants
// is removed in turn: each removal makes the same scenario hit a 403 for exactly that verb and resource, so no
// grant is unused.
import {
  Controller,
  createMetrics,
  MANIFEST_WORK_RESOURCE,
  PREFLIGHT_RESOURCE,
} from 'kmm-hub-controller';
import { PooledKubeConfig } from 'kmm-hub-controller/runtime';
import { kernelVersionsOf, type ManagedCluster } from 'kmm-hub-controller/model';
import type { Attributes, KubeObject } from 'kmm-hub-sandbox';
import { testLogger, waitFor } from '../helpers';
import {
  clusters,
  createMcm,
  driverMcm,
  getMcm,
  NAMESPACE,
  startHub,
  testConfig,
  updateMcm,
  worksOf,
  type Hub,
} from '../controller/harness';
import { startTestRegistry, type TestRegistry } from '../registry/docker-registry';
import { execFileSync } from 'node:child_process';
import { parseAllDocuments } from 'yaml';
import { helmPath } from '../../scripts/tools';
import { CHARTS, type Manifest } from './render';

jest.setTimeout(600_000);

const MCM = 'rbac-driver';
const BUILT_MCM = 'rbac-built';
const SERVICE_ACCOUNT = 'kmm-hub';

let registry: TestRegistry;
beforeAll(async () => {
  registry = await startTestRegistry({ kind: 'basic', username: 'robot', password: 'rbac-pw' });
});
afterAll(() => registry?.destroy());
/** each scenario its own repositories, so that no image of an earlier run is found instead of built */
let runs = 0;

interface Grant {
  kind: 'ClusterRole' | 'Role';
  rule: number;
  group: string;
  resource: string;
  verb: string;
}

// Rendered once, synchronously, so that test.each below has one case per granted verb.
const rendered = parseAllDocuments(
  execFileSync(helmPath(), ['template', 'kmm-hub', CHARTS.hub, '--namespace', NAMESPACE], {
    encoding: 'utf8',
  }),
)
  .map((d) => d.toJS() as Manifest | null)
  .filter((o): o is Manifest => o !== null);
// the controller's own objects: its ServiceAccount, ClusterRole and Role and their bindings
const CHART_RBAC = rendered.filter(
  (o) =>
    (o.kind === 'ServiceAccount' || o.kind.endsWith('Role') || o.kind.endsWith('RoleBinding')) &&
    o.metadata.name === 'kmm-hub',
);

type Rule = { apiGroups: string[]; resources: string[]; verbs: string[] };
const rulesOf = (o: Manifest) => (o as unknown as { rules: Rule[] }).rules;

function grants(): Grant[] {
  const out: Grant[] = [];
  for (const o of CHART_RBAC.filter((r) => r.kind === 'ClusterRole' || r.kind === 'Role')) {
    rulesOf(o).forEach((rule, i) => {
      for (const group of rule.apiGroups)
        for (const resource of rule.resources)
          for (const verb of rule.verbs)
            out.push({ kind: o.kind as Grant['kind'], rule: i, group, resource, verb });
    });
  }
  return out;
}

/** The chart's RBAC without one verb (a rule left with no verb is dropped). */
function without(g: Grant | undefined): Manifest[] {
  if (!g) return CHART_RBAC;
  return CHART_RBAC.map((o) => {
    if (o.kind !== g.kind) return o;
    const rules = rulesOf(o)
      .map((r, i) => (i === g.rule ? { ...r, verbs: r.verbs.filter((v) => v !== g.verb) } : r))
      .filter((r) => r.verbs.length > 0);
    return { ...o, rules } as Manifest;
  });
}

const matches = (g: Grant, a: Attributes) =>
  !('path' in a) &&
  a.verb === g.verb &&
  a.group === g.group &&
  (a.subresource ? `${a.resource}/${a.subresource}` : a.resource) === g.resource;

/**
 * Runs the scenario as the ServiceAccount; stops early once `stopWhen` holds (the removed grant was refused).
 * Returns the steps completed.
 */
async function scenario(hub: Hub, rbac: Manifest[], stopWhen: () => boolean): Promise<string[]> {
  const server = hub.sandbox.server;
  for (const o of rbac) server.objects.create(o as unknown as KubeObject);
  const steps: string[] = [];
  const step = async (name: string, done: () => boolean | Promise<boolean>, timeoutMs = 30_000) => {
    const finished = await waitFor(
      name,
      async () => (stopWhen() ? 'stopped' : (await done()) && 'done'),
      {
        timeoutMs,
        intervalMs: 25,
      },
    );
    if (finished === 'stopped') return false;
    steps.push(name);
    return true;
  };
  const kubeConfig = new PooledKubeConfig();
  kubeConfig.loadFromString(server.serviceAccountToken(NAMESPACE, SERVICE_ACCOUNT).kubeconfig);

  // what the MCMs name in the controller's namespace, created by an administrator: the registry credentials,
  // a Dockerfile, the signing key and certificate
  const repo = `${registry.host}/rbac-${++runs}`;
  const auth = Buffer.from('robot:rbac-pw').toString('base64');
  const dockerconfig = JSON.stringify({ auths: { [registry.host]: { auth } } });
  const b64 = (v: string) => Buffer.from(v).toString('base64');
  await hub.core.createNamespacedSecret({
    namespace: NAMESPACE,
    body: {
      metadata: { name: 'pull' },
      type: 'kubernetes.io/dockerconfigjson',
      data: { '.dockerconfigjson': b64(dockerconfig) },
    },
  });
  await hub.core.createNamespacedConfigMap({
    namespace: NAMESPACE,
    body: {
      metadata: { name: 'drv-dockerfile' },
      data: { dockerfile: 'FROM scratch\nCOPY drv.ko /opt/lib/modules/\n' },
    },
  });
  for (const [name, key] of [
    ['signing-key', 'key'],
    ['signing-cert', 'cert'],
  ] as const)
    await hub.core.createNamespacedSecret({
      namespace: NAMESPACE,
      body: { metadata: { name }, type: 'Opaque', data: { [key]: b64(`rbac ${key}`) } },
    });

  // someone else's ManifestWork with the MCM's name in a cluster it will select: the create meets it
  const selected = (await clusters(hub)).filter(
    (c: ManagedCluster) =>
      c.metadata?.labels?.['gpu'] === 'true' && (kernelVersionsOf(c) ?? []).length > 0,
  );
  expect(selected.length).toBeGreaterThan(2);
  const [foreignCluster, deselected] = [selected[0]!.metadata.name!, selected[1]!.metadata.name!];
  // the driver's images exist (v1 and v2, every kernel of the fleet); the built MCM's must be built
  const kernels = [...new Set(selected.flatMap((c) => kernelVersionsOf(c) ?? []))];
  for (const tag of ['v1', 'v2'])
    for (const k of kernels) await registry.pusher(`rbac-${runs}/drv-${tag}`).pushImage(k);
  const builtCluster = selected[2]!;
  const builtKernel = (kernelVersionsOf(builtCluster) ?? [])[0]!;
  await hub.api.createNamespacedCustomObject({
    ...MANIFEST_WORK_RESOURCE,
    namespace: foreignCluster,
    body: {
      apiVersion: 'work.open-cluster-management.io/v1',
      kind: 'ManifestWork',
      metadata: { name: MCM, namespace: foreignCluster },
      spec: { workload: { manifests: [] } },
    },
  });

  let controller: Controller | undefined;
  const starting = Controller.start({
    config: testConfig(
      {
        eventsNamespace: NAMESPACE,
        fleetSummaryIntervalMs: 100,
        leaderElection: { enabled: true },
        images: {
          pinDigests: true,
          builderImage: 'example.com/kaniko:test',
          signerImage: 'example.com/signer:test',
          registryTimeoutMs: 2000,
          recheckIntervalMs: 1000,
          succeededJobTtlMs: 200,
          registryConcurrency: 4,
        },
      },
      'rbac-exact',
    ),
    kubeConfig,
    logger: testLogger(),
    metrics: createMetrics({ processMetrics: false }),
  }).then((c) => (controller = c));
  try {
    if (
      !(await step(
        'leads and syncs',
        () => controller?.synced === true && controller.leadership.isLeader,
      ))
    )
      return steps;
    const driver = driverMcm(MCM, { gpu: 'true' }, 'v1');
    driver.spec.moduleSpec.imageRepoSecret = { name: 'pull' };
    const container = driver.spec.moduleSpec.moduleLoader!.container;
    container.registryTLS = { insecure: true };
    container.kernelMappings[0]!.containerImage = `${repo}/drv-v1:\${KERNEL_FULL_VERSION}`;
    await createMcm(hub, driver);
    const rolledOut = async () => {
      const works = await worksOf(hub, MCM);
      const m = await getMcm(hub, MCM);
      return (
        works.size === selected.length - 1 &&
        m.status?.observedGeneration === m.metadata?.generation
      );
    };
    if (!(await step('rolls out and reports status', rolledOut))) return steps;
    // read once (not there yet), created, then updated as the agents' reports change it
    const summaryCalls = (verb: string) =>
      server.audit.count({ verb, resource: 'managedclustermodulefleetsummaries' });
    const published = () =>
      summaryCalls('get') > 0 && summaryCalls('create') > 0 && summaryCalls('update') > 0;
    if (!(await step('publishes and updates its fleet summaries', published))) return steps;
    // an image built and signed on the hub: one build and one sign Job, then the work pins the signed image
    await createMcm(hub, {
      apiVersion: 'hub.kmm.sigs.x-k8s.io/v1beta1',
      kind: 'ManagedClusterModule',
      metadata: { name: BUILT_MCM },
      spec: {
        spokeNamespace: 'openshift-kmm',
        selector: { gpu: 'true' },
        moduleSpec: {
          selector: { 'node-role.kubernetes.io/worker': '' },
          imageRepoSecret: { name: 'pull' },
          moduleLoader: {
            container: {
              modprobe: { moduleName: 'acme_built' },
              registryTLS: { insecure: true },
              kernelMappings: [
                {
                  literal: builtKernel,
                  containerImage: `${repo}/built:\${KERNEL_FULL_VERSION}`,
                  build: { dockerfileConfigMap: { name: 'drv-dockerfile' } },
                  sign: {
                    keySecret: { name: 'signing-key' },
                    certSecret: { name: 'signing-cert' },
                    filesToSign: ['/opt/lib/modules/drv.ko'],
                  },
                },
              ],
            },
          },
        },
      },
    });
    const jobsCreated = () => server.audit.count({ verb: 'create', resource: 'jobs' });
    const built = async () =>
      jobsCreated() >= 2 &&
      JSON.stringify(
        (await worksOf(hub, BUILT_MCM)).get(builtCluster.metadata.name!)?.spec ?? {},
      ).includes(`${repo}/built@sha256:`);
    if (!(await step('builds and signs an image on the hub', built, 60_000))) return steps;
    const jobsDeleted = () => server.audit.count({ verb: 'delete', resource: 'jobs' });
    if (!(await step('deletes its succeeded Jobs', () => jobsDeleted() >= 2))) return steps;
    // an upcoming kernel: every MCM reports on it, and the KernelPreflight's status sums them up
    await hub.api.createClusterCustomObject({
      ...PREFLIGHT_RESOURCE,
      body: {
        apiVersion: 'hub.kmm.sigs.x-k8s.io/v1alpha1',
        kind: 'KernelPreflight',
        metadata: { name: 'next' },
        spec: { kernels: [{ version: builtKernel }] },
      },
    });
    const summarised = async () => {
      const p = (await hub.api.getClusterCustomObject({
        ...PREFLIGHT_RESOURCE,
        name: 'next',
      })) as { status?: { kernels?: { modules: unknown[] }[] } };
      return p.status?.kernels?.[0]?.modules.length === 2;
    };
    if (!(await step('summarises a KernelPreflight', summarised))) return steps;
    // the foreign ManifestWork's conflict is retried and reported again: the Event's count is updated
    const repeated = () => server.audit.count({ verb: 'update', resource: 'events' }) > 0;
    if (!(await step('repeats an Event', repeated))) return steps;
    await updateMcm(hub, MCM, (m) => {
      m.spec.moduleSpec.moduleLoader!.container.kernelMappings[0]!.containerImage = `${repo}/drv-v2:\${KERNEL_FULL_VERSION}`;
    });
    const updated = async () =>
      [...(await worksOf(hub, MCM)).values()].every((w) =>
        JSON.stringify(w.spec).includes('drv-v2'),
      );
    if (!(await step('updates its ManifestWorks', updated))) return steps;
    await hub.sandbox.fleet.relabel(deselected, { gpu: null });
    if (
      !(await step(
        'deletes a deselected cluster ManifestWork',
        async () => !(await worksOf(hub, MCM)).has(deselected),
      ))
    ) {
      return steps;
    }
    const renewals = () => server.audit.count({ verb: 'update', resource: 'leases' });
    const before = renewals();
    await step('renews its Lease', () => renewals() > before + 1);
    return steps;
  } finally {
    await (controller ?? (await starting)).stop();
    await kubeConfig.close();
  }
}

test('the chart RBAC is what the controller README lists', () => {
  expect(CHART_RBAC.map((o) => o.kind).sort()).toEqual([
    'ClusterRole',
    'ClusterRoleBinding',
    'Role',
    'RoleBinding',
    'ServiceAccount',
  ]);
  expect(grants().map((g) => `${g.kind} ${g.group}/${g.resource} ${g.verb}`)).toEqual([
    'ClusterRole hub.kmm.sigs.x-k8s.io/managedclustermodules list',
    'ClusterRole hub.kmm.sigs.x-k8s.io/managedclustermodules watch',
    'ClusterRole hub.kmm.sigs.x-k8s.io/managedclustermodules/status update',
    'ClusterRole hub.kmm.sigs.x-k8s.io/kernelpreflights list',
    'ClusterRole hub.kmm.sigs.x-k8s.io/kernelpreflights watch',
    'ClusterRole hub.kmm.sigs.x-k8s.io/kernelpreflights/status update',
    'ClusterRole cluster.open-cluster-management.io/managedclusters list',
    'ClusterRole cluster.open-cluster-management.io/managedclusters watch',
    'ClusterRole work.open-cluster-management.io/manifestworks list',
    'ClusterRole work.open-cluster-management.io/manifestworks watch',
    'ClusterRole work.open-cluster-management.io/manifestworks get',
    'ClusterRole work.open-cluster-management.io/manifestworks create',
    'ClusterRole work.open-cluster-management.io/manifestworks update',
    'ClusterRole work.open-cluster-management.io/manifestworks delete',
    'ClusterRole hub.kmm.sigs.x-k8s.io/managedclustermodulefleetsummaries get',
    'ClusterRole hub.kmm.sigs.x-k8s.io/managedclustermodulefleetsummaries create',
    'ClusterRole hub.kmm.sigs.x-k8s.io/managedclustermodulefleetsummaries update',
    'Role coordination.k8s.io/leases get',
    'Role coordination.k8s.io/leases create',
    'Role coordination.k8s.io/leases update',
    'Role /events create',
    'Role /events update',
    'Role batch/jobs list',
    'Role batch/jobs watch',
    'Role batch/jobs create',
    'Role batch/jobs delete',
    'Role /configmaps get',
    'Role /secrets get',
  ]);
});

test('with the chart RBAC the controller does everything and is never refused', async () => {
  const hub = await startHub(12, 30, { buildExecutor: { delayMs: 100 } });
  try {
    const steps = await scenario(hub, CHART_RBAC, () => false);
    expect(steps).toEqual([
      'leads and syncs',
      'rolls out and reports status',
      'publishes and updates its fleet summaries',
      'builds and signs an image on the hub',
      'deletes its succeeded Jobs',
      'summarises a KernelPreflight',
      'repeats an Event',
      'updates its ManifestWorks',
      'deletes a deselected cluster ManifestWork',
      'renews its Lease',
    ]);
    expect(hub.sandbox.server.denials()).toEqual([]);
  } finally {
    await hub.stop();
  }
});

test.each(grants().map((g) => [`${g.kind} ${g.group}/${g.resource} ${g.verb}`, g] as const))(
  'without %s the controller is refused exactly that',
  async (_name, g) => {
    const hub = await startHub(12, 30, { buildExecutor: { delayMs: 100 } });
    try {
      const denied = () => hub.sandbox.server.denials().some((d) => matches(g, d.attributes));
      await scenario(hub, without(g), denied);
      expect(denied()).toBe(true);
    } finally {
      await hub.stop();
    }
  },
);
