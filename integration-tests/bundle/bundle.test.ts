// The OLM bundle: generated from the charts (a hand edit or a chart change without regenerating fails here),
// shaped as registry+v1, and every manifest accepted by the sandbox API server serving OLM's own
// ClusterServiceVersion CRD (operator-framework/api, a fixture) and the console's ConsolePlugin CRD.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { validateManagedClusterModule } from 'kmm-hub-controller/model';
import { defaultCrdFiles, installCrdFiles } from 'kmm-hub-sandbox';
import { bundleDrift, generateBundle, OLM_WEBHOOK_CERT_DIR, PACKAGE } from '../../scripts/generate-bundle';
import { REPO_ROOT } from '../../scripts/tools';
import { startKubectlEnv, type KubectlEnv } from '../kubectl/harness';
import { CHARTS, helmTemplate, ofKind } from '../charts/render';

jest.setTimeout(120_000);

const BUNDLE = join(REPO_ROOT, 'bundle');
const read = (path: string) => parse(readFileSync(join(BUNDLE, path), 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const csv = () => read(`manifests/${PACKAGE}.clusterserviceversion.yaml`);

let env: KubectlEnv;
beforeAll(async () => {
  env = await startKubectlEnv({ crdFiles: [...defaultCrdFiles(), ...installCrdFiles()] });
});
afterAll(() => env.stop());

test('bundle/ is exactly what scripts/generate-bundle.ts makes from the charts', () => {
  expect(bundleDrift()).toEqual([]);
  expect(readdirSync(join(BUNDLE, 'manifests')).sort()).toEqual(
    [...generateBundle().files.keys()].filter((p) => p.startsWith('manifests/')).map((p) => p.slice('manifests/'.length)).sort(),
  );
});

test('the drift check fails on a bundle edited by hand', () => {
  const root = mkdtempSync(join(tmpdir(), 'kmm-bundle-'));
  try {
    cpSync(BUNDLE, join(root, 'bundle'), { recursive: true });
    const file = join(root, 'bundle/manifests', `${PACKAGE}.clusterserviceversion.yaml`);
    writeFileSync(file, readFileSync(file, 'utf8').replace('replicas: 2', 'replicas: 1'));
    rmSync(join(root, 'bundle/metadata/annotations.yaml'));
    expect(bundleDrift(root).sort()).toEqual(['manifests/kmm-hub.clusterserviceversion.yaml', 'metadata/annotations.yaml']);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('metadata/annotations.yaml names the registry+v1 layout, the package and its channel', () => {
  expect(read('metadata/annotations.yaml').annotations).toEqual({
    'operators.operatorframework.io.bundle.mediatype.v1': 'registry+v1',
    'operators.operatorframework.io.bundle.manifests.v1': 'manifests/',
    'operators.operatorframework.io.bundle.metadata.v1': 'metadata/',
    'operators.operatorframework.io.bundle.package.v1': 'kmm-hub',
    'operators.operatorframework.io.bundle.channels.v1': 'alpha',
    'operators.operatorframework.io.bundle.channel.default.v1': 'alpha',
  });
});

test('the CSV owns the CRDs of the bundle (MCM with descriptors, KernelPreflight, fleet summary), its alm-example is a valid MCM', () => {
  const crds = ['managedclustermodules', 'kernelpreflights', 'managedclustermodulefleetsummaries'].map((p) => read(`manifests/hub.kmm.sigs.x-k8s.io_${p}.yaml`));
  const owned = csv().spec.customresourcedefinitions.owned as Record<string, any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
  expect(owned.map((o) => [o.name, o.version, o.kind])).toEqual(
    crds.flatMap((crd) => (crd.spec.versions as { name: string }[]).map((v) => [crd.metadata.name, v.name, crd.spec.names.kind])),
  );
  expect(owned[1]!.statusDescriptors.map((d: { path: string }) => d.path)).toContain('conditions');
  // the CRD files are the chart's, byte for byte
  for (const p of ['managedclustermodules', 'kernelpreflights', 'managedclustermodulefleetsummaries']) {
    const file = `hub.kmm.sigs.x-k8s.io_${p}.yaml`;
    expect(readFileSync(join(BUNDLE, 'manifests', file), 'utf8')).toBe(readFileSync(join(REPO_ROOT, 'charts/kmm-hub/crds', file), 'utf8'));
  }
  // the console's users read the fleet summaries: the chart's aggregated role ships in the bundle
  const reader = read('manifests/kmm-hub-fleet-summary-reader_rbac.authorization.k8s.io_v1_clusterrole.yaml');
  expect(reader.rules).toEqual([{ apiGroups: ['hub.kmm.sigs.x-k8s.io'], resources: ['managedclustermodulefleetsummaries'], verbs: ['get', 'list', 'watch'] }]);
  expect(reader.metadata.labels['rbac.authorization.k8s.io/aggregate-to-view']).toBe('true');
  expect(owned[0]!.specDescriptors.map((d: { path: string }) => d.path)).toContain('spokeNamespace');
  expect(owned[0]!.statusDescriptors.map((d: { path: string }) => d.path)).toContain('conditions');
  const examples = JSON.parse(csv().metadata.annotations['alm-examples'] as string) as unknown[];
  expect(examples).toHaveLength(1);
  expect(validateManagedClusterModule(examples[0])).toEqual([]);
});

test('the install strategy is the chart: same Deployments (OLM namespace and certificate), same rules', async () => {
  const { objects: hub } = await helmTemplate(CHARTS.hub);
  const { objects: plugin } = await helmTemplate(CHARTS.plugin);
  const strategy = csv().spec.install.spec;
  const [controller, pluginDeployment] = strategy.deployments;
  const chartController = ofKind(hub, 'Deployment')[0] as unknown as { spec: { template: { spec: { containers: { name: string; image: string; args: string[] }[] } } } };
  const chartArgs = chartController.spec.template.spec.containers[0]!.args;
  const args = controller.spec.template.spec.containers[0].args as string[];
  expect(args).toContain(`--webhook-cert-dir=${OLM_WEBHOOK_CERT_DIR}`);
  // every chart flag but the namespace ones (from the pod in OLM) and the certificate directory is kept
  expect(args.filter((a) => !a.startsWith('--webhook-cert-dir'))).toEqual(
    chartArgs.filter((a) => !/^--(namespace|events-namespace|leader-election-namespace|webhook-cert-dir)=/.test(a)),
  );
  expect(controller.spec.template.spec.containers[0].env.slice(0, 2).map((e: { name: string }) => e.name)).toEqual([
    'OPERATOR_NAMESPACE',
    'KMM_HUB_EVENTS_NAMESPACE',
  ]);
  expect(controller.spec.template.spec.containers[1]).toEqual(chartController.spec.template.spec.containers[1]);
  expect(pluginDeployment.spec.template.spec.containers).toEqual(
    (ofKind(plugin, 'Deployment')[0] as unknown as { spec: { template: { spec: { containers: unknown } } } }).spec.template.spec.containers,
  );
  const rules = (kind: string, name: string) => (hub.find((o) => o.kind === kind && o.metadata.name === name) as unknown as { rules: unknown[] }).rules;
  expect(strategy.clusterPermissions[0].rules).toEqual([...rules('ClusterRole', 'kmm-hub'), ...rules('ClusterRole', 'kmm-hub-metrics-auth')]);
  expect(strategy.permissions[0].rules).toEqual(rules('Role', 'kmm-hub'));
  // the Job images are OLM related images, passed as the RELATED_IMAGE_* variables OLM and mirroring use
  const env = Object.fromEntries((controller.spec.template.spec.containers[0].env as { name: string; value?: string }[]).map((e) => [e.name, e.value]));
  expect(env.RELATED_IMAGE_BUILD).toBe('gcr.io/kaniko-project/executor:v1.23.2');
  expect(env.RELATED_IMAGE_SIGN).toBe('quay.io/edge-infrastructure/kernel-module-management-signimage:latest');
  const related = csv().spec.relatedImages as { name: string; image: string }[];
  expect(related).toEqual(
    expect.arrayContaining([
      { name: 'build', image: env.RELATED_IMAGE_BUILD },
      { name: 'sign', image: env.RELATED_IMAGE_SIGN },
      { name: 'kmm-hub-controller', image: chartController.spec.template.spec.containers[0]!.image },
    ]),
  );
  // the registry CA bundle the controller mounts is in the bundle, labelled for OpenShift's injection
  expect(args).toContain('--registry-ca-file=/var/run/kmm-hub/registry-ca/ca-bundle.crt');
  expect(read('manifests/kmm-hub-registry-ca_v1_configmap.yaml').metadata.labels['config.openshift.io/inject-trusted-cabundle']).toBe('true');
  const [webhook] = csv().spec.webhookdefinitions;
  expect(webhook).toMatchObject({ type: 'ValidatingAdmissionWebhook', generateName: 'vmanagedclustermodule.hub.kmm.sigs.x-k8s.io', webhookPath: '/validate-managedclustermodule', deploymentName: 'kmm-hub' });
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { consolePlugin: { name: string } };
  expect(JSON.parse(csv().metadata.annotations['console.openshift.io/plugins'] as string)).toEqual([pkg.consolePlugin.name]);
});

test('every manifest is accepted by the API server with the OLM and console CRDs (kubectl apply --server-side)', async () => {
  await env.ok(['create', 'namespace', 'kmm-hub']);
  for (const file of readdirSync(join(BUNDLE, 'manifests')).sort()) {
    const result = await env.kubectl(['apply', '--server-side', '-n', 'kmm-hub', '-f', join(BUNDLE, 'manifests', file)]);
    expect({ file, stderr: result.stderr, code: result.code }).toEqual({ file, stderr: '', code: 0 });
  }
  expect(await env.ok(['get', 'csv', '-n', 'kmm-hub', '-o', 'name'])).toBe(`clusterserviceversion.operators.coreos.com/${PACKAGE}.v0.1.0\n`);
  // and its alm-example against the CRD it owns
  const example = JSON.parse(csv().metadata.annotations['alm-examples'] as string)[0];
  await env.ok(['apply', '--server-side', '-f', '-'], JSON.stringify(example));
});

test('the OLM schema is really checked: a CSV with a wrong install strategy is refused', async () => {
  const bad = csv();
  bad.metadata.name = 'broken.v0.0.1';
  bad.spec.install.spec.deployments[0].spec = 'not a DeploymentSpec';
  const result = await env.kubectl(['apply', '--server-side', '-n', 'kmm-hub', '-f', '-'], JSON.stringify(bad));
  expect(result.code).toBe(1);
  expect(result.stderr).toContain('spec.install.spec.deployments[0].spec');
});
