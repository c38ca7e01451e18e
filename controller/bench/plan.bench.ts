// Planning speed at fleet scale: 3,500 ManagedClusters x 10 ManagedClusterModules over a pool of 30 RHCOS
// kernels (some clusters mid-upgrade with two kernels, a few without a claim). Prints the median of several
// runs of the offline fleet plan, of the controller's per-MCM planning (image states + current works), of
// the same decisions without rendering ManifestWorks (planCoverage, what the console's kernel matrix needs),
// and of the controller's steady-state comparison of every planned ManifestWork with its copy as the API
// server serves it (manifestWorkDiff), of the impact preview (previewMcm) of an unchanged and of a retagged MCM, each with its ratio to a baseline measured in the same process: a
// pass that only deep-copies each MCM's module spec once per cluster, the least any planner that writes one
// Module per cluster must do.
//
//   npm run bench:plan
import {
  KERNEL_VERSIONS_CLAIM,
  manifestWorkDiff,
  plan,
  planCoverage,
  planDocument,
  planManagedClusterModule,
  previewMcm,
  type ImageStateLookup,
  type ManagedCluster,
  type ManagedClusterModule,
  type ManifestWork,
  type ModuleLoaderContainerSpec,
} from '../src/model';
import { dump } from 'js-yaml';

const CLUSTERS = 3500;
const RUNS = 5;

let seed = 42;
const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;

// 30 kernels: RHEL 9.2 (OCP 4.14), 9.4 (4.16-4.18) and 9.6 (4.19+) z-streams, a few real-time ones.
const KERNELS = [
  ...[13, 40, 59, 72, 85, 96, 101, 104].map((z) => `5.14.0-284.${z}.1.el9_2.x86_64`),
  ...[13, 22, 31, 40, 50, 55, 65, 72, 80].map((z) => `5.14.0-427.${z}.1.el9_4.x86_64`),
  ...[12, 17, 22, 26, 33, 39, 42, 46].map((z) => `5.14.0-570.${z}.1.el9_6.x86_64`),
  ...[40, 65].map((z) => `5.14.0-427.${z}.1.el9_4.x86_64+rt`),
  ...[22, 39, 42].map((z) => `5.14.0-570.${z}.1.el9_6.x86_64+rt`),
];

function clusters(): ManagedCluster[] {
  return Array.from({ length: CLUSTERS }, (_, i) => {
    const kernels = random() < 0.2 ? [pick(KERNELS), pick(KERNELS)] : [pick(KERNELS)];
    const claims = [{ name: 'id.k8s.io', value: `cluster-${i}` }];
    if (random() > 0.03) claims.push({ name: KERNEL_VERSIONS_CLAIM, value: kernels.join('\n') });
    return {
      apiVersion: 'cluster.open-cluster-management.io/v1',
      kind: 'ManagedCluster',
      metadata: {
        name: `cluster-${String(i).padStart(4, '0')}`,
        labels: {
          vendor: 'OpenShift',
          region: pick(['us-east-1', 'us-west-2', 'eu-central-1', 'ap-south-1']),
          gpu: pick(['acme', 'acme', 'other', 'none']),
          nic: pick(['fast', 'none']),
          environment: pick(['production', 'production', 'edge', 'lab']),
        },
      },
      status: { clusterClaims: claims },
    };
  });
}

function loader(image: string, withBuild: boolean, withSign: boolean): ModuleLoaderContainerSpec {
  return {
    modprobe: { moduleName: 'mod', firmwarePath: '/firmware', parameters: ['a=1'] },
    imagePullPolicy: 'IfNotPresent',
    inTreeModulesToRemove: ['legacy'],
    ...(withBuild
      ? {
          build: {
            dockerfileConfigMap: { name: 'df' },
            buildArgs: [{ name: 'V', value: '1' }],
            secrets: [{ name: 's' }],
          },
        }
      : {}),
    ...(withSign
      ? {
          sign: {
            keySecret: { name: 'k' },
            certSecret: { name: 'c' },
            filesToSign: ['/opt/lib/modules/${KERNEL_FULL_VERSION}/mod.ko'],
          },
        }
      : {}),
    kernelMappings: [
      {
        regexp: '^5\\.14\\.0-570\\.[0-9.]+\\.el9_6\\.x86_64(\\+rt)?$',
        containerImage: `${image}:\${KERNEL_FULL_VERSION}`,
      },
      {
        regexp: '^5\\.14\\.0-427\\.[0-9.]+\\.el9_4\\.x86_64(\\+rt)?$',
        containerImage: `${image}:\${KERNEL_FULL_VERSION}`,
      },
      { literal: '5.14.0-284.104.1.el9_2.x86_64', containerImage: `${image}:\${KERNEL_XYZ}-el9_2` },
      { regexp: '^5\\.14\\.0-284\\.', containerImage: `${image}:el9_2-\${KERNEL_Y}` },
    ],
  };
}

function mcms(): ManagedClusterModule[] {
  const selectors: Record<string, string>[] = [
    { gpu: 'acme' },
    { gpu: 'acme', environment: 'production' },
    { nic: 'fast' },
    {},
    { environment: 'edge' },
    { region: 'us-east-1' },
    { gpu: 'other' },
    {},
    { vendor: 'OpenShift' },
  ];
  const out: ManagedClusterModule[] = selectors.map((selector, i) => ({
    apiVersion: 'hub.kmm.sigs.x-k8s.io/v1beta1',
    kind: 'ManagedClusterModule',
    metadata: { name: `module-${i}`, uid: `uid-${i}` },
    spec: {
      spokeNamespace: 'kmm-modules',
      selector,
      moduleSpec: {
        selector: { 'node-role.kubernetes.io/worker': '' },
        tolerations: [{ key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' }],
        moduleLoader: {
          container: loader(`quay.example.com/org/module-${i}`, i % 2 === 0, i % 3 === 0),
        },
      },
    },
  }));
  out.push({
    apiVersion: 'hub.kmm.sigs.x-k8s.io/v1beta1',
    kind: 'ManagedClusterModule',
    metadata: { name: 'device-plugin', uid: 'uid-dp' },
    spec: {
      spokeNamespace: 'kmm-modules',
      selector: { gpu: 'acme' },
      moduleSpec: {
        selector: {},
        devicePlugin: {
          container: { image: 'quay.example.com/org/plugin:v1', args: ['-v'] },
          volumes: [{ name: 'dp', hostPath: { path: '/var/lib/kubelet/device-plugins' } }],
        },
      },
    },
  });
  return out;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

function time(fn: () => unknown): number {
  fn(); // warm-up: JIT, regexp and template caches
  const runs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    fn();
    runs.push(performance.now() - start);
  }
  return median(runs);
}

const fleet = clusters();
const modules = mcms();

const baseline = time(() => {
  let n = 0;
  for (const m of modules) {
    for (let i = 0; i < fleet.length; i++)
      n += JSON.parse(JSON.stringify(m.spec.moduleSpec)) ? 1 : 0;
  }
  return n;
});

const offline = plan(modules, fleet);
const offlineMs = time(() => plan(modules, fleet));

// The controller: one planManagedClusterModule per MCM, with image states and its current works.
const digest = `sha256:${'ab'.repeat(32)}`;
const lookup: ImageStateLookup = () => ({ state: 'Ready', digest });
const current: ManifestWork[] = modules.flatMap(
  (m) => planManagedClusterModule(m, fleet, lookup).manifestWorks,
);
const byMcm = new Map(
  modules.map((m) => [m, current.filter((w) => w.metadata.name === m.metadata.name)]),
);
const controllerMs = time(() => {
  for (const m of modules) planManagedClusterModule(m, fleet, lookup, byMcm.get(m));
});

const coverageMs = time(() => {
  for (const m of modules) planCoverage(m, fleet, lookup, byMcm.get(m));
});

/** A work as the API server returns it: keys sorted (Go's JSON encoding of a map), CRD defaults added. */
function served(work: ManifestWork): ManifestWork {
  const sorted = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sorted)
      : v !== null && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, sorted((v as Record<string, unknown>)[k])]),
          )
        : v;
  const copy = sorted(work) as ManifestWork;
  for (const c of copy.spec.manifestConfigs ?? []) c.feedbackScrapeType = 'Poll';
  copy.metadata = { ...copy.metadata, uid: 'uid', resourceVersion: '1', generation: 1 };
  return copy;
}
const servedWorks = current.map(served);
const compareMs = time(() => {
  let differ = 0;
  for (let i = 0; i < current.length; i++)
    differ += manifestWorkDiff(servedWorks[i] as ManifestWork, current[i] as ManifestWork).length;
  if (differ > 0) throw new Error(`${differ} parts differ: the comparison is wrong`);
});

// The impact preview (`plan --diff`): each MCM against its rollout as served, the live MCM's status knowing every
// image's digest (so an unchanged image pins as rolled out): once unchanged, once with every image retagged.
const live = modules.map((m): ManagedClusterModule => ({
  ...m,
  status: {
    images: planManagedClusterModule(m, fleet, lookup).images.map((i) => ({
      image: i.image,
      kernelVersions: i.kernelVersions,
      clusters: i.clusters.length,
      state: 'Ready',
      digest,
      build: i.build,
      sign: i.sign,
    })),
  },
}));
const servedByMcm = new Map(
  modules.map((m) => [m, servedWorks.filter((w) => w.metadata.name === m.metadata.name)]),
);
const retagged = modules.map((m) =>
  JSON.parse(JSON.stringify(m).replaceAll('org/module-', 'org/mod2-')),
);
const preview = (edited: ManagedClusterModule[]) => {
  let changed = 0;
  modules.forEach((m, i) => {
    const r = previewMcm({
      edited: edited[i] as ManagedClusterModule,
      live: live[i],
      clusters: fleet,
      currentWorks: servedByMcm.get(m) ?? [],
    });
    if ('diff' in r) changed += r.diff.changedClusters.length;
  });
  return changed;
};
if (preview(modules) !== 0)
  throw new Error('an unchanged preview reports changes: the preview is wrong');
const previewSameMs = time(() => preview(modules));
const previewRetagMs = time(() => preview(retagged));

const serializeMs = time(() => JSON.stringify(offline));
// What the plan command spends printing, once (it is slow enough that several runs would dominate the bench).
const once = (fn: () => unknown) => {
  const start = performance.now();
  fn();
  return performance.now() - start;
};
const yamlMs = once(() => dump(planDocument(offline), { noRefs: true, lineWidth: -1 }));

const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
console.log(
  `fleet: ${fleet.length} clusters, ${modules.length} MCMs, ${KERNELS.length} distinct kernels`,
);
console.log(
  `plan output: ${offline.manifestWorks.length} ManifestWorks, ${offline.images.length} images, ` +
    `${offline.skipped.length} skipped, ${offline.errors.length} errors`,
);
console.log(`median of ${RUNS} runs:`);
console.log(
  `  ${'baseline (deep-copy each module spec once per cluster)'.padEnd(62)} ${fmt(baseline).padStart(10)}`,
);
const row = (label: string, ms: number) =>
  console.log(
    `  ${label.padEnd(62)} ${fmt(ms).padStart(10)}  = ${(ms / baseline).toFixed(2)}x baseline`,
  );
row('plan (offline, whole fleet)', offlineMs);
row(`per-MCM plan x ${modules.length} (image states + current works)`, controllerMs);
row(`planCoverage x ${modules.length} (same, no ManifestWork objects)`, coverageMs);
row(`manifestWorkDiff of ${current.length} works with their served copies`, compareMs);
row(`previewMcm x ${modules.length}, nothing changed (plan --diff)`, previewSameMs);
row(`previewMcm x ${modules.length}, every image retagged`, previewRetagMs);
row('JSON.stringify of the offline plan (for scale)', serializeMs);
row('YAML of the offline plan, as `plan` prints it (one run)', yamlMs);
