/**
 * Writes the OLM bundle (`bundle/`, registry+v1) from the charts, so the two installs cannot drift: the
 * ClusterServiceVersion's install strategy is the controller's and the console plugin's Deployments as the charts
 * render them, its permissions are the charts' ClusterRole and Role rules, its webhook is the chart's
 * ValidatingWebhookConfiguration, and the CRD is the chart's. What OLM does itself is changed accordingly: the
 * operator namespace comes from the pod (OPERATOR_NAMESPACE), OLM mounts the webhook certificate and creates the
 * webhook's Service and configuration.
 *
 *   npx tsx scripts/generate-bundle.ts          # rewrite bundle/
 *   npx tsx scripts/generate-bundle.ts --check  # exit 1 if bundle/ is not what this produces
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { helmPath, REPO_ROOT } from './tools';

type Obj = Record<string, unknown> & {
  kind: string;
  apiVersion: string;
  metadata: {
    name: string;
    namespace?: string;
    annotations?: Record<string, string>;
    labels?: Record<string, string>;
  };
};
interface Container {
  name: string;
  image?: string;
  args?: string[];
  env?: { name: string; value?: string }[];
  volumeMounts?: { name: string }[];
}
interface PodSpec {
  containers: Container[];
  volumes?: { name: string }[];
  serviceAccountName?: string;
}
interface Deployment extends Obj {
  spec: { template: { spec: PodSpec } };
}

export const PACKAGE = 'kmm-hub';
export const CHANNEL = 'alpha';
const RELEASE = 'kmm-hub';
const PLACEHOLDER_NAMESPACE = 'kmm-hub';
/** Where OLM mounts the certificate it generates for a CSV's webhook (olm's install/certresources.go). */
export const OLM_WEBHOOK_CERT_DIR = '/tmp/k8s-webhook-server/serving-certs';

function helm(chart: string, set: string[]): Obj[] {
  const args = [
    'template',
    RELEASE,
    join(REPO_ROOT, 'charts', chart),
    '--namespace',
    PLACEHOLDER_NAMESPACE,
  ];
  for (const s of set) args.push('--set', s);
  return parseAllDocuments(execFileSync(helmPath(), args, { encoding: 'utf8' }))
    .map((d) => d.toJS() as Obj | null)
    .filter((o): o is Obj => o !== null);
}

const one = <T extends Obj>(objects: Obj[], kind: string, name?: string): T => {
  const found = objects.filter(
    (o) => o.kind === kind && (name === undefined || o.metadata.name === name),
  );
  if (found.length !== 1)
    throw new Error(
      `expected one ${kind} ${name ?? ''} in the rendered chart, found ${found.length}`,
    );
  return found[0] as T;
};

const podNamespace = (name: string) => ({
  name,
  valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } },
});

/** The controller Deployment as OLM runs it: namespace flags from the pod, OLM's webhook certificate. */
function controllerForOlm(deployment: Deployment): Deployment {
  const copy = structuredClone(deployment);
  const pod = copy.spec.template.spec;
  const controller = pod.containers.find((c) => c.name === 'controller');
  if (!controller) throw new Error('the chart Deployment has no controller container');
  const dropped = [
    '--namespace=',
    '--events-namespace=',
    '--leader-election-namespace=',
    '--webhook-cert-dir=',
  ];
  controller.args = [
    ...(controller.args ?? []).filter((a) => !dropped.some((d) => a.startsWith(d))),
    `--webhook-cert-dir=${OLM_WEBHOOK_CERT_DIR}`,
  ];
  // --namespace, the events namespace and the Lease's default to the namespace OLM installs into
  controller.env = [
    podNamespace('OPERATOR_NAMESPACE'),
    podNamespace('KMM_HUB_EVENTS_NAMESPACE'),
    ...(controller.env ?? []),
  ];
  controller.volumeMounts = (controller.volumeMounts ?? []).filter((m) => m.name !== 'webhook-tls');
  pod.volumes = (pod.volumes ?? []).filter((v) => v.name !== 'webhook-tls');
  return copy;
}

const rulesOf = (o: Obj) => (o as unknown as { rules: unknown[] }).rules;

interface Webhook {
  name: string;
  admissionReviewVersions: string[];
  failurePolicy: string;
  sideEffects: string;
  timeoutSeconds: number;
  matchPolicy?: string;
  rules: unknown[];
  clientConfig: { service: { path: string } };
}

function specDescriptors() {
  const d = (
    path: string,
    displayName: string,
    description: string,
    xDescriptors: string[] = [],
  ) => ({
    path,
    displayName,
    description,
    ...(xDescriptors.length ? { 'x-descriptors': xDescriptors } : {}),
  });
  return {
    spec: [
      d(
        'spokeNamespace',
        'Spoke namespace',
        'Namespace on every selected spoke where the Module is created.',
        ['urn:alm:descriptor:io.kubernetes:Namespace'],
      ),
      d(
        'selector',
        'Cluster selector',
        'ManagedCluster labels (equality) that select the spokes; {} selects all.',
        [
          'urn:alm:descriptor:com.tectonic.ui:selector:cluster.open-cluster-management.io:v1:ManagedCluster',
        ],
      ),
      d(
        'moduleSpec',
        'Module',
        'The KMM Module sent to each spoke, with one kernel mapping per spoke kernel.',
      ),
      d(
        'moduleSpec.moduleLoader.container.kernelMappings',
        'Kernel mappings',
        'Which image each kernel gets (literal or regexp, first match wins).',
      ),
      d(
        'moduleSpec.moduleLoader.container.build',
        'Hub build',
        'Build the module image on the hub when it is missing.',
        ['urn:alm:descriptor:com.tectonic.ui:advanced'],
      ),
      d(
        'moduleSpec.moduleLoader.container.sign',
        'Hub signing',
        'Sign the module for Secure Boot on the hub.',
        ['urn:alm:descriptor:com.tectonic.ui:advanced'],
      ),
    ],
    status: [
      d('numberDesired', 'Selected clusters', 'Clusters selected and eligible.', [
        'urn:alm:descriptor:com.tectonic.ui:podCount',
      ]),
      d('numberApplied', 'Applied', 'ManifestWorks applied on their spokes.'),
      d('numberDegraded', 'Degraded', 'ManifestWorks degraded on their spokes.'),
      d('conditions', 'Conditions', 'Ready, Progressing and Degraded.', [
        'urn:alm:descriptor:io.kubernetes.conditions',
      ]),
      d(
        'images',
        'Images',
        'Per image: kernels, clusters and state (present, building, signing, failed).',
      ),
    ],
  };
}

/** Helm's own labels say "managed by Helm", which an OLM install is not: every `labels` map loses them. */
function withoutHelmLabels<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutHelmLabels) as T;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === 'labels' && v && typeof v === 'object') {
      const labels = { ...(v as Record<string, string>) };
      delete labels['app.kubernetes.io/managed-by'];
      delete labels['helm.sh/chart'];
      out[k] = labels;
    } else out[k] = withoutHelmLabels(v);
  }
  return out as T;
}

export interface Bundle {
  /** path under bundle/ -> file text */
  files: Map<string, string>;
}

export function generateBundle(): Bundle {
  const hub = withoutHelmLabels(helm('kmm-hub', []));
  const plugin = withoutHelmLabels(helm('kmm-hub-console-plugin', []));
  const rootPackage = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
    version: string;
    consolePlugin: { name: string; displayName: string; description: string };
  };
  const chart = parse(readFileSync(join(REPO_ROOT, 'charts/kmm-hub/Chart.yaml'), 'utf8')) as {
    appVersion: string;
    description: string;
    kubeVersion: string;
  };
  const version = chart.appVersion;
  const crdFile = 'hub.kmm.sigs.x-k8s.io_managedclustermodules.yaml';
  const crdText = readFileSync(join(REPO_ROOT, 'charts/kmm-hub/crds', crdFile), 'utf8');
  const crd = parse(crdText) as {
    metadata: { name: string };
    spec: { names: { kind: string }; versions: { name: string; storage?: boolean }[] };
  };
  const preflightCrdFile = 'hub.kmm.sigs.x-k8s.io_kernelpreflights.yaml';
  const preflightCrdText = readFileSync(
    join(REPO_ROOT, 'charts/kmm-hub/crds', preflightCrdFile),
    'utf8',
  );
  const preflightCrd = parse(preflightCrdText) as typeof crd;
  const summaryCrdFile = 'hub.kmm.sigs.x-k8s.io_managedclustermodulefleetsummaries.yaml';
  const summaryCrdText = readFileSync(
    join(REPO_ROOT, 'charts/kmm-hub/crds', summaryCrdFile),
    'utf8',
  );
  const summaryCrd = parse(summaryCrdText) as typeof crd;
  const example = parse(
    readFileSync(join(REPO_ROOT, 'controller/examples/mcm-gpu-driver.yaml'), 'utf8'),
  ) as Obj;

  const controllerDeployment = controllerForOlm(one<Deployment>(hub, 'Deployment'));
  const pluginDeployment = one<Deployment>(plugin, 'Deployment');
  const serviceAccount = controllerDeployment.spec.template.spec.serviceAccountName ?? '';
  // every image the operator runs or starts: its containers', and the Job images it passes to the controller
  // as RELATED_IMAGE_* (what mirroring tools rewrite and OLM lists as related images)
  const relatedImages = [
    ...[controllerDeployment, pluginDeployment].flatMap((d) =>
      d.spec.template.spec.containers.map((c) => ({
        name: `${d.metadata.name}-${c.name}`,
        image: c.image ?? '',
      })),
    ),
    ...(controllerDeployment.spec.template.spec.containers[0]?.env ?? [])
      .filter((e) => e.name.startsWith('RELATED_IMAGE_') && e.value)
      .map((e) => ({ name: e.name.slice('RELATED_IMAGE_'.length).toLowerCase(), image: e.value! })),
  ];
  const webhookConfiguration = one<Obj>(hub, 'ValidatingWebhookConfiguration');
  const [webhook] = (webhookConfiguration as unknown as { webhooks: Webhook[] }).webhooks;
  if (!webhook) throw new Error('the chart renders no webhook');

  const csv = {
    apiVersion: 'operators.coreos.com/v1alpha1',
    kind: 'ClusterServiceVersion',
    metadata: {
      name: `${PACKAGE}.v${version}`,
      annotations: {
        'alm-examples': JSON.stringify([example], null, 2),
        capabilities: 'Basic Install',
        categories: 'Drivers and plugins',
        containerImage:
          (controllerDeployment.spec.template.spec.containers[0] as { image?: string }).image ?? '',
        description: chart.description.trim(),
        'console.openshift.io/plugins': JSON.stringify([rootPackage.consolePlugin.name]),
        'operators.operatorframework.io/builder': 'kmm-hub scripts/generate-bundle.ts',
        repository: 'https://github.com/kmm-hub/kmm-hub',
      },
    },
    spec: {
      displayName: 'Kernel Module Management Hub (kmm-hub)',
      description:
        'kmm-hub is the hub side of Kernel Module Management for ACM/OCM fleets: describe an out-of-tree kernel ' +
        'module once as a ManagedClusterModule, and kmm-hub sends every selected spoke a KMM Module with one ' +
        'kernel mapping per kernel it runs. Install KMM on the spokes in managed mode (KMM_MANAGED=1), for ' +
        "example with the kmm-hub chart's spoke Policy.",
      version,
      maturity: CHANNEL,
      minKubeVersion: chart.kubeVersion.replace(/^>=/, '').replace(/-0$/, ''),
      keywords: ['kernel', 'kmm', 'driver', 'acm', 'open-cluster-management'],
      provider: { name: 'kmm-hub' },
      maintainers: [{ name: 'kmm-hub maintainers', email: 'kmm-hub@example.com' }],
      links: [{ name: 'Kernel Module Management', url: 'https://kmm.sigs.k8s.io/' }],
      relatedImages,
      installModes: [
        { type: 'OwnNamespace', supported: false },
        { type: 'SingleNamespace', supported: false },
        { type: 'MultiNamespace', supported: false },
        // MCMs, ManagedClusters and ManifestWorks are watched cluster-wide
        { type: 'AllNamespaces', supported: true },
      ],
      customresourcedefinitions: {
        owned: [
          ...crd.spec.versions.map((v) => ({
            name: crd.metadata.name,
            version: v.name,
            kind: crd.spec.names.kind,
            displayName: 'ManagedClusterModule',
            description:
              'A kernel module for the spokes a label selector picks, with its kernel mappings.',
            specDescriptors: specDescriptors().spec,
            statusDescriptors: specDescriptors().status,
            resources: [
              { kind: 'ManifestWork', version: 'v1', name: 'manifestworks' },
              { kind: 'ManagedCluster', version: 'v1', name: 'managedclusters' },
              {
                kind: summaryCrd.spec.names.kind,
                version: summaryCrd.spec.versions[0]?.name ?? '',
                name: summaryCrd.metadata.name.split('.')[0] ?? '',
              },
            ],
          })),
          ...preflightCrd.spec.versions.map((v) => ({
            name: preflightCrd.metadata.name,
            version: v.name,
            kind: preflightCrd.spec.names.kind,
            displayName: 'KernelPreflight',
            description:
              'Kernels the fleet will run soon: every module image is built and signed for them ahead of time.',
            specDescriptors: [
              {
                path: 'kernels',
                displayName: 'Upcoming kernels',
                description:
                  'Full kernel versions (uname -r), each with an optional release label.',
              },
            ],
            statusDescriptors: [
              {
                path: 'conditions',
                displayName: 'Conditions',
                description: 'Ready: every module has a ready image for every kernel.',
                'x-descriptors': ['urn:alm:descriptor:io.kubernetes.conditions'],
              },
            ],
            resources: [
              { kind: 'ManagedClusterModule', version: 'v1beta1', name: 'managedclustermodules' },
            ],
          })),
          ...summaryCrd.spec.versions.map((v) => ({
            name: summaryCrd.metadata.name,
            version: v.name,
            kind: summaryCrd.spec.names.kind,
            displayName: 'ManagedClusterModule fleet summary',
            description:
              'Written by the controller: where one ManagedClusterModule stands on each cluster it selects, ' +
              'compact, for the console.',
          })),
        ],
      },
      install: {
        strategy: 'deployment',
        spec: {
          deployments: [controllerDeployment, pluginDeployment].map((d) => ({
            name: d.metadata.name,
            label: d.metadata.labels,
            spec: d.spec,
          })),
          clusterPermissions: [
            {
              serviceAccountName: serviceAccount,
              rules: [
                ...rulesOf(one(hub, 'ClusterRole', RELEASE)),
                ...rulesOf(one(hub, 'ClusterRole', `${RELEASE}-metrics-auth`)),
              ],
            },
          ],
          permissions: [
            { serviceAccountName: serviceAccount, rules: rulesOf(one(hub, 'Role', RELEASE)) },
          ],
        },
      },
      webhookdefinitions: [
        {
          type: 'ValidatingAdmissionWebhook',
          generateName: webhook.name,
          deploymentName: controllerDeployment.metadata.name,
          containerPort: 443,
          targetPort: 9443,
          admissionReviewVersions: webhook.admissionReviewVersions,
          failurePolicy: webhook.failurePolicy,
          sideEffects: webhook.sideEffects,
          timeoutSeconds: webhook.timeoutSeconds,
          ...(webhook.matchPolicy ? { matchPolicy: webhook.matchPolicy } : {}),
          rules: webhook.rules,
          webhookPath: webhook.clientConfig.service.path,
        },
      ],
    },
  };

  // Objects OLM creates from the bundle besides the CSV and the CRD (namespaced ones in the install namespace)
  const strip = (o: Obj): Obj => {
    const copy = structuredClone(o);
    delete copy.metadata.namespace;
    return copy;
  };
  const extras: [string, Obj][] = [
    ['kmm-hub-metrics_v1_service.yaml', strip(one(hub, 'Service', `${RELEASE}-metrics`))],
    [
      'kmm-hub-metrics-reader_rbac.authorization.k8s.io_v1_clusterrole.yaml',
      strip(one(hub, 'ClusterRole', `${RELEASE}-metrics-reader`)),
    ],
    // the console's users read the fleet summaries (aggregated into view, edit and admin)
    [
      'kmm-hub-fleet-summary-reader_rbac.authorization.k8s.io_v1_clusterrole.yaml',
      strip(one(hub, 'ClusterRole', `${RELEASE}-fleet-summary-reader`)),
    ],
    // empty; OpenShift injects the trusted CA bundle the controller mounts for registries
    [
      'kmm-hub-registry-ca_v1_configmap.yaml',
      strip(one(hub, 'ConfigMap', `${RELEASE}-registry-ca`)),
    ],
    [`${rootPackage.consolePlugin.name}_v1_service.yaml`, strip(one(plugin, 'Service'))],
    [
      `${rootPackage.consolePlugin.name}_console.openshift.io_v1_consoleplugin.yaml`,
      one(plugin, 'ConsolePlugin'),
    ],
  ];
  // the ConsolePlugin names its Service's namespace; OLM installs into the operator namespace chosen at install
  // time, which the recommended namespace annotation names
  (csv.metadata.annotations as Record<string, string>)['operatorframework.io/suggested-namespace'] =
    PLACEHOLDER_NAMESPACE;

  const header =
    '# Generated by scripts/generate-bundle.ts from charts/; do not edit (npx tsx scripts/generate-bundle.ts).\n';
  const files = new Map<string, string>();
  files.set(
    `manifests/${PACKAGE}.clusterserviceversion.yaml`,
    header + stringify(csv, { version: '1.1', lineWidth: 0 }),
  );
  files.set(`manifests/${crdFile}`, crdText);
  files.set(`manifests/${preflightCrdFile}`, preflightCrdText);
  files.set(`manifests/${summaryCrdFile}`, summaryCrdText);
  for (const [name, o] of extras)
    files.set(`manifests/${name}`, header + stringify(o, { version: '1.1', lineWidth: 0 }));
  files.set(
    'metadata/annotations.yaml',
    header +
      stringify({
        annotations: {
          'operators.operatorframework.io.bundle.mediatype.v1': 'registry+v1',
          'operators.operatorframework.io.bundle.manifests.v1': 'manifests/',
          'operators.operatorframework.io.bundle.metadata.v1': 'metadata/',
          'operators.operatorframework.io.bundle.package.v1': PACKAGE,
          'operators.operatorframework.io.bundle.channels.v1': CHANNEL,
          'operators.operatorframework.io.bundle.channel.default.v1': CHANNEL,
        },
      }),
  );
  files.set(
    'bundle.Dockerfile',
    `${header}FROM scratch
LABEL operators.operatorframework.io.bundle.mediatype.v1=registry+v1
LABEL operators.operatorframework.io.bundle.manifests.v1=manifests/
LABEL operators.operatorframework.io.bundle.metadata.v1=metadata/
LABEL operators.operatorframework.io.bundle.package.v1=${PACKAGE}
LABEL operators.operatorframework.io.bundle.channels.v1=${CHANNEL}
LABEL operators.operatorframework.io.bundle.channel.default.v1=${CHANNEL}
COPY manifests /manifests/
COPY metadata /metadata/
`,
  );
  return { files };
}

/** Files under bundle/ that differ from what generateBundle produces (missing ones included). */
export function bundleDrift(root = REPO_ROOT): string[] {
  const { files } = generateBundle();
  return [...files]
    .filter(([path, text]) => {
      const file = join(root, 'bundle', path);
      return !existsSync(file) || readFileSync(file, 'utf8') !== text;
    })
    .map(([path]) => path);
}

if (require.main === module) {
  if (process.argv.includes('--check')) {
    const drift = bundleDrift();
    if (drift.length > 0) {
      process.stderr.write(
        `bundle/ is out of date (${drift.join(', ')}): run npx tsx scripts/generate-bundle.ts\n`,
      );
      process.exit(1);
    }
  } else {
    for (const [path, text] of generateBundle().files) {
      const file = join(REPO_ROOT, 'bundle', path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
    }
  }
}
