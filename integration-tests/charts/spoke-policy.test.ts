// The spoke install Policy end to end: a fleet where no cluster runs KMM, the kmm-hub controller with an MCM
// that selects every cluster (nothing to roll out: no cluster reports kernels), then the chart's Policy,
// Placement and PlacementBinding applied with kubectl. The clusters the Placement selects get KMM (they
// publish their kernel claim and accept Modules), the MCM rolls out to exactly those, and the others stay
// without KMM; the Policy reports compliance per placed cluster.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { Controller, createMetrics } from 'kmm-hub-controller';
import { PooledKubeConfig } from 'kmm-hub-controller/runtime';
import { kernelVersionsOf, type ManagedCluster } from 'kmm-hub-controller/model';
import { defaultCrdFiles, installCrdFiles, startSandbox, type Sandbox } from 'kmm-hub-sandbox';
import { kubectlPath } from '../../scripts/tools';
import { kubeConfigFrom, testLogger, waitFor } from '../helpers';
import { driverMcm, testConfig } from '../controller/harness';
import { CHARTS, helmTemplate, toYamlStream } from './render';

jest.setTimeout(120_000);

const MCM = 'policy-driver';
const PLACED_LABEL = 'kmm-hub.example/spokes';

let sandbox: Sandbox;
let controller: Controller;
let controllerKubeConfig: PooledKubeConfig;
let api: CustomObjectsApi;
let dir: string;

const clusters = async () =>
  (
    (await api.listClusterCustomObject({
      group: 'cluster.open-cluster-management.io',
      version: 'v1',
      plural: 'managedclusters',
    })) as {
      items: ManagedCluster[];
    }
  ).items;
const worksOf = async () =>
  (
    (await api.listCustomObjectForAllNamespaces({
      group: 'work.open-cluster-management.io',
      version: 'v1',
      resourcePlural: 'manifestworks',
      labelSelector: `kmm.node.kubernetes.io/managedclustermodule.name=${MCM}`,
    })) as { items: { metadata: { namespace: string } }[] }
  ).items
    .map((w) => w.metadata.namespace)
    .sort();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kmm-spoke-policy-'));
  sandbox = await startSandbox({
    clusters: 10,
    seed: 3,
    statusSyncIntervalMs: 50,
    withoutKmm: true,
    policyIntervalMs: 100,
    crdFiles: [...defaultCrdFiles(), ...installCrdFiles()],
  });
  sandbox.writeKubeconfig(join(dir, 'kubeconfig'));
  const kc = kubeConfigFrom(sandbox.kubeconfig);
  api = kc.makeApiClient(CustomObjectsApi);
  await kc.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: 'kmm-hub' } } });
  controllerKubeConfig = new PooledKubeConfig();
  controllerKubeConfig.loadFromString(sandbox.kubeconfig);
  controller = await Controller.start({
    config: testConfig({ eventsNamespace: 'kmm-hub' }),
    kubeConfig: controllerKubeConfig,
    logger: testLogger(),
    metrics: createMetrics({ processMetrics: false }),
  });
  await waitFor('caches to sync', () => controller.synced);
});

afterAll(async () => {
  await controller?.stop();
  await controllerKubeConfig?.close();
  await sandbox?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('the Policy installs KMM on exactly the placed clusters, and the MCM rolls out to exactly those', async () => {
  const names = sandbox.fleet.clusterNames();
  expect((await clusters()).filter((c) => kernelVersionsOf(c) !== undefined)).toEqual([]);
  await api.createClusterCustomObject({
    group: 'hub.kmm.sigs.x-k8s.io',
    version: 'v1beta1',
    plural: 'managedclustermodules',
    body: driverMcm(MCM, {}),
  });

  const placed = names.slice(0, 4).sort();
  for (const c of placed) await sandbox.fleet.relabel(c, { [PLACED_LABEL]: 'yes' });

  // the chart's spoke Policy, applied as a user would
  const { objects } = await helmTemplate(CHARTS.hub, {
    set: [
      'spokePolicy.enabled=true',
      `spokePolicy.clusterSelector.matchLabels.${PLACED_LABEL.replaceAll('.', '\\.')}=yes`,
    ],
  });
  const policy = objects.filter((o) =>
    ['Policy', 'Placement', 'PlacementBinding'].includes(o.kind),
  );
  expect(policy).toHaveLength(3);
  await kubectlApply(toYamlStream(policy));

  await waitFor(
    'the placed clusters to report kernels',
    async () => {
      const withKernels = (await clusters()).filter((c) => kernelVersionsOf(c) !== undefined);
      return (
        withKernels
          .map((c) => c.metadata!.name!)
          .sort()
          .join() === placed.join()
      );
    },
    { timeoutMs: 30_000, intervalMs: 100 },
  );
  await waitFor(
    'the MCM to roll out to exactly the placed clusters',
    async () => (await worksOf()).join() === placed.join(),
    {
      timeoutMs: 30_000,
      intervalMs: 100,
    },
  );
  await waitFor(
    'the spokes to run the Module',
    () => placed.every((c) => sandbox.fleet.spokeModule(c, MCM, 'openshift-kmm') !== undefined),
    { timeoutMs: 30_000, intervalMs: 100 },
  );
  for (const c of names.filter((n) => !placed.includes(n))) {
    expect(sandbox.fleet.profile(c).kmm).toBe(false);
  }
  const status = (
    (await api.getNamespacedCustomObject({
      group: 'policy.open-cluster-management.io',
      version: 'v1',
      plural: 'policies',
      namespace: 'kmm-hub',
      name: 'install-kmm',
    })) as {
      status?: { compliant?: string; status?: { clustername: string; compliant: string }[] };
    }
  ).status;
  expect(status?.compliant).toBe('Compliant');
  expect(status?.status?.map((s) => s.clustername)).toEqual(placed);

  // a cluster that joins the Placement later gets KMM too
  const late = names.find((n) => !placed.includes(n))!;
  await sandbox.fleet.relabel(late, { [PLACED_LABEL]: 'yes' });
  await waitFor(
    'the late cluster to get its ManifestWork',
    async () => (await worksOf()).includes(late),
    {
      timeoutMs: 30_000,
      intervalMs: 100,
    },
  );
});

test('an informing (not enforcing) Policy installs nothing', async () => {
  const { objects } = await helmTemplate(CHARTS.hub, {
    set: [
      'spokePolicy.enabled=true',
      'spokePolicy.name=inform-kmm',
      'spokePolicy.remediationAction=inform',
      'spokePolicy.clusterSelector.matchLabels.other=yes',
    ],
  });
  const target = sandbox.fleet.clusterNames().find((n) => !sandbox.fleet.profile(n).kmm)!;
  await sandbox.fleet.relabel(target, { other: 'yes' });
  await kubectlApply(
    toYamlStream(
      objects.filter((o) => ['Policy', 'Placement', 'PlacementBinding'].includes(o.kind)),
    ),
  );

  await sandbox.fleet.evaluatePolicies();
  await sandbox.fleet.evaluatePolicies();
  expect(sandbox.fleet.profile(target).kmm).toBe(false);
  const status = (
    (await api.getNamespacedCustomObject({
      group: 'policy.open-cluster-management.io',
      version: 'v1',
      plural: 'policies',
      namespace: 'kmm-hub',
      name: 'inform-kmm',
    })) as { status?: { compliant?: string } }
  ).status;
  expect(status?.compliant).toBe('NonCompliant');
});

function kubectlApply(yamlText: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      kubectlPath(),
      ['--kubeconfig', join(dir, 'kubeconfig'), 'apply', '--server-side', '-f', '-'],
      { env: { ...process.env, KUBECACHEDIR: join(dir, 'cache') } },
      (error, _stdout, stderr) =>
        error ? reject(new Error(`kubectl apply: ${stderr}`)) : resolve(),
    );
    child.stdin?.end(yamlText);
  });
}
