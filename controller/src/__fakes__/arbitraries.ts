// fast-check arbitraries for the property suites: MCMs (valid, mutated, or anything at all), ManagedClusters
// with every kind of kernel claim a spoke (or a bug, or an attacker) could publish, and ManifestWork statuses
// as any work agent might report them. Runs are reproducible: a fixed seed unless KMM_PROPERTY_SEED is set, a
// small number of runs unless KMM_PROPERTY_RUNS asks for more (e.g. KMM_PROPERTY_RUNS=2000 before a release).
import fc, { type Parameters } from 'fast-check';
import { K94, K96, K_OLD, mcm as baseMcm } from '../model/__fixtures__/rollout';
import { KERNEL_VERSIONS_CLAIM } from '../model/constants';
import type { ManagedCluster, ManagedClusterModule, ManifestWork } from '../model/types';

/** fc.assert parameters: `runs` by default, the seed and run count overridable from the environment. */
export function propertyParameters<T>(runs: number): Parameters<T> {
  const seed = Number(process.env.KMM_PROPERTY_SEED ?? 20261204);
  const numRuns = Number(process.env.KMM_PROPERTY_RUNS ?? runs);
  return { seed, numRuns, endOnFailure: true };
}

/**
 * Names of the Secrets and ConfigMap a hub build or signature uses: they must never reach a spoke. The MCMs
 * below carry them in build and sign, so a ManifestWork that mentions one leaks what stays on the hub.
 */
export const HUB_ONLY = [
  'canary-build-secret',
  'canary-dockerfile',
  'canary-sign-key',
  'canary-sign-cert',
] as const;

const buildAndSign = {
  build: {
    dockerfileConfigMap: { name: 'canary-dockerfile' },
    secrets: [{ name: 'canary-build-secret' }],
  },
  sign: {
    keySecret: { name: 'canary-sign-key' },
    certSecret: { name: 'canary-sign-cert' },
    filesToSign: ['/opt/lib/modules/${KERNEL_FULL_VERSION}/drv.ko'],
  },
};

/** A valid MCM with a hub build and signature both on the container and on a literal mapping. */
export function validMcm(name = 'drv'): ManagedClusterModule {
  const m = baseMcm({ selector: {} });
  m.metadata.name = name;
  m.metadata.uid = `uid-${name}`;
  const container = m.spec.moduleSpec.moduleLoader!.container;
  Object.assign(container, structuredClone(buildAndSign));
  container.kernelMappings!.push({
    literal: K_OLD,
    containerImage: 'quay.io/acme/old:${KERNEL_XYZ}',
    ...structuredClone(buildAndSign),
  });
  m.spec.moduleSpec.imageRepoSecret = { name: 'pull-secret' };
  return m;
}

const SPEC_PATHS = [
  ['spec'],
  ['spec', 'spokeNamespace'],
  ['spec', 'selector'],
  ['spec', 'moduleSpec', 'imageRepoSecret'],
  ['spec', 'moduleSpec'],
  ['spec', 'moduleSpec', 'selector'],
  ['spec', 'moduleSpec', 'devicePlugin'],
  ['spec', 'moduleSpec', 'moduleLoader'],
  ['spec', 'moduleSpec', 'moduleLoader', 'container'],
  ['spec', 'moduleSpec', 'moduleLoader', 'container', 'modprobe'],
  ['spec', 'moduleSpec', 'moduleLoader', 'container', 'modprobe', 'moduleName'],
  ['spec', 'moduleSpec', 'moduleLoader', 'container', 'containerImage'],
  ['spec', 'moduleSpec', 'moduleLoader', 'container', 'build'],
  ['spec', 'moduleSpec', 'moduleLoader', 'container', 'sign'],
  ['spec', 'moduleSpec', 'moduleLoader', 'container', 'kernelMappings'],
  ['spec', 'moduleSpec', 'moduleLoader', 'container', 'kernelMappings', 0],
  ['spec', 'moduleSpec', 'moduleLoader', 'container', 'kernelMappings', 0, 'regexp'],
  ['spec', 'moduleSpec', 'moduleLoader', 'container', 'kernelMappings', 0, 'containerImage'],
  ['spec', 'moduleSpec', 'moduleLoader', 'container', 'kernelMappings', 1, 'literal'],
  ['spec', 'moduleSpec', 'moduleLoader', 'container', 'kernelMappings', 1, 'build'],
  ['spec', 'moduleSpec', 'moduleLoader', 'container', 'kernelMappings', 1, 'sign'],
  ['metadata'],
  ['metadata', 'name'],
  ['metadata', 'generation'],
  ['apiVersion'],
] as const;

/** Strings that stress parsers and templates: empty, huge, binary, regexps, templates, YAML look-alikes. */
export const nastyString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 64 }),
  fc.constantFrom(
    '',
    ' ',
    '${KERNEL_FULL_VERSION}',
    '${',
    '$KERNEL_XYZ:',
    '(',
    '[a-',
    '^5\\.14\\.0-',
    '.*',
    '\u0000',
    'yes',
    '012',
    'quay.io/acme/drv',
    'quay.io/acme/drv@sha256:' + 'a'.repeat(64),
  ),
  fc.constant('x'.repeat(1024)),
);

const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: nastyString },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom(null, undefined, 0, -1, 1.5, true, [], {}) },
);

function setPath(target: unknown, path: readonly (string | number)[], value: unknown): void {
  let node = target as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (next === null || typeof next !== 'object') return;
    node = next as Record<string | number, unknown>;
  }
  const last = path[path.length - 1]!;
  if (value === undefined) delete node[last];
  else node[last] = value;
}

/** The valid MCM with one to four fields replaced by something else (or removed). */
export const mutatedMcm: fc.Arbitrary<ManagedClusterModule> = fc
  .tuple(
    fc.array(fc.tuple(fc.constantFrom(...SPEC_PATHS), anyValue), { minLength: 1, maxLength: 4 }),
    fc.constantFrom('drv', 'other'),
  )
  .map(([mutations, name]) => {
    const m = validMcm(name);
    for (const [path, value] of mutations) setPath(m, path, value);
    return m;
  });

/** Anything at all where an MCM is expected. */
export const anyMcm: fc.Arbitrary<ManagedClusterModule> = fc
  .oneof(fc.anything(), fc.jsonValue(), fc.record({ spec: fc.jsonValue() }))
  .map((x) => x as ManagedClusterModule);

export const someMcm = fc.oneof(
  { weight: 1, arbitrary: fc.constant(null).map(() => validMcm()) },
  { weight: 4, arbitrary: mutatedMcm },
  { weight: 1, arbitrary: anyMcm },
);

const kernel = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(K94, K96, K_OLD, '6.1.0', '5.14.0-427.13.1.el9_4.x86_64+'),
  },
  { weight: 1, arbitrary: nastyString },
);

/** A thousand distinct kernels, in one claim. */
const THOUSAND = Array.from({ length: 1000 }, (_, i) => `5.14.0-${i}.el9.x86_64`).join('\n');

/** The kernel claim's value: empty, a few kernels, a thousand, 1,024 characters, binary, or 1 MB. */
export const claimValue = fc.oneof(
  { weight: 4, arbitrary: fc.array(kernel, { maxLength: 4 }).map((k) => k.join('\n')) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('', '\n', '+', THOUSAND, 'x'.repeat(1024), 'k\n'.repeat(1 << 19)),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 256 }) },
);

export const someCluster: fc.Arbitrary<ManagedCluster> = fc
  .record({
    name: fc.oneof(fc.constantFrom('c1', 'c2', 'c3', 'local-cluster'), nastyString),
    labels: fc.dictionary(fc.constantFrom('gpu', 'name', 'x'), fc.constantFrom('true', '', 'a')),
    claims: fc.array(
      fc.oneof(
        claimValue.map((value) => ({ name: KERNEL_VERSIONS_CLAIM, value })),
        fc.record({ name: nastyString, value: nastyString }),
        anyValue,
      ),
      { maxLength: 3 },
    ),
    available: fc.constantFrom('True', 'False', 'Unknown', undefined),
    broken: fc.constantFrom(false, false, false, 'status', 'claims'),
  })
  .map(({ name, labels, claims, available, broken }) => {
    const c: ManagedCluster = {
      apiVersion: 'cluster.open-cluster-management.io/v1',
      kind: 'ManagedCluster',
      metadata: { name, labels },
      status: {
        conditions: available
          ? [{ type: 'ManagedClusterConditionAvailable', status: available }]
          : [],
        clusterClaims: claims as NonNullable<ManagedCluster['status']>['clusterClaims'],
      },
    };
    if (broken === 'status') (c as { status?: unknown }).status = 'nonsense';
    if (broken === 'claims') (c.status as { clusterClaims?: unknown }).clusterClaims = { a: 1 };
    return c;
  });

const condition = fc.record(
  {
    type: fc.constantFrom('Applied', 'Available', 'Degraded', 'StatusFeedbackSynced', ''),
    status: fc.constantFrom('True', 'False', 'Unknown', ''),
    reason: nastyString,
    message: nastyString,
    observedGeneration: fc.oneof(fc.integer({ min: -1, max: 3 }), anyValue),
  },
  { requiredKeys: ['type', 'status'] },
);

const feedbackValue = fc.record({
  name: fc.oneof(
    fc.constantFrom(
      'moduleLoader.nodesMatchingSelectorNumber',
      'moduleLoader.desiredNumber',
      'moduleLoader.availableNumber',
      'devicePlugin.availableNumber',
    ),
    nastyString,
  ),
  fieldValue: fc.oneof(
    fc.record({ type: fc.constant('Integer'), integer: fc.oneof(fc.integer(), anyValue) }),
    fc.record({ type: fc.constantFrom('String', 'Boolean', 'JsonRaw'), string: nastyString }),
    anyValue,
  ),
});

/** A ManifestWork status as any agent could report it, well-formed or not. */
export const workStatus: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 1, arbitrary: anyValue },
  {
    weight: 4,
    arbitrary: fc.record(
      {
        conditions: fc.array(condition, { maxLength: 4 }),
        resourceStatus: fc.record(
          {
            manifests: fc.array(
              fc.record(
                {
                  resourceMeta: fc.record({ kind: fc.constantFrom('Module', 'Namespace', '') }),
                  conditions: fc.array(condition, { maxLength: 3 }),
                  statusFeedback: fc.record({ values: fc.array(feedbackValue, { maxLength: 4 }) }),
                },
                { requiredKeys: [] },
              ),
              { maxLength: 2 },
            ),
          },
          { requiredKeys: [] },
        ),
      },
      { requiredKeys: [] },
    ),
  },
);

/** The works with the given statuses (cycled), as the API server would return them. */
export function withStatuses(
  works: readonly ManifestWork[],
  statuses: readonly unknown[],
): ManifestWork[] {
  return works.map((w, i) => {
    const copy = structuredClone(w);
    copy.metadata.resourceVersion = String(100 + i);
    copy.metadata.generation = 1;
    if (statuses.length > 0) (copy as { status?: unknown }).status = statuses[i % statuses.length];
    return copy;
  });
}

/** Every problem with what a ManifestWork carries to a spoke: build, sign, hub-only Secrets, Secret kinds. */
export function leaks(work: unknown): string[] {
  const found: string[] = [];
  const visit = (node: unknown, path: string): void => {
    if (typeof node === 'string') {
      for (const name of HUB_ONLY) if (node.includes(name)) found.push(`${path} mentions ${name}`);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      node.forEach((v, i) => visit(v, `${path}[${i}]`));
      return;
    }
    const o = node as Record<string, unknown>;
    if (o.kind === 'Secret') found.push(`${path} is a Secret`);
    for (const [k, v] of Object.entries(o)) {
      if (k === 'build' || k === 'sign') found.push(`${path}.${k}`);
      visit(v, `${path}.${k}`);
    }
  };
  visit((work as { spec?: unknown }).spec, 'spec');
  return found;
}
