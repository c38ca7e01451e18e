import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { normalize, validate, type JSONSchemaProps } from 'kmm-hub-sandbox/schema';
import {
  KERNEL_VERSIONS_CLAIM,
  moduleOf,
  planManagedClusterModule,
  validateManagedClusterModule,
  type ManagedCluster,
  type ManagedClusterModule,
  type ManifestWork,
  type ModuleSpec,
} from 'kmm-hub-controller/model';
import {
  manifestWorkSchema,
  mcmSchema as chartMcmSchema,
  moduleSchema as spokeModuleSchema,
} from './crd-schemas';

// Existing upstream MCM YAML must keep working: MCMs that set every field of the upstream spec schema are
// accepted by kmm-hub's validation and by an API server serving the chart's CRD (the sandbox's structural
// schema code, as kube-apiserver applies it), and reach the spoke unchanged: the ManifestWork's Module keeps
// every field but build and sign (and the kernel mappings, rebuilt per kernel), and the spoke's Module and
// ManifestWork CRDs accept it without pruning anything.

const mcmSchema = chartMcmSchema();
const moduleSchema = spokeModuleSchema();
const workSchema = manifestWorkSchema();

const mcms = parseAllDocuments(
  readFileSync(join(__dirname, 'fixtures/every-upstream-field.yaml'), 'utf8'),
).map((d) => d.toJS() as ManagedClusterModule);

/** Every leaf of a schema (scalars, and maps or free-form objects, whose keys are not fields), as a path. */
function schemaLeaves(schema: JSONSchemaProps, path: string): string[] {
  if (schema.type === 'array' && schema.items) return schemaLeaves(schema.items, `${path}[]`);
  if (schema.type === 'object' && schema.properties) {
    return Object.entries(schema.properties).flatMap(([k, s]) => schemaLeaves(s, `${path}.${k}`));
  }
  return [path];
}

/** Every path a value sets, down to its scalars. */
function valuePaths(value: unknown, path: string): string[] {
  if (Array.isArray(value)) return value.flatMap((v) => valuePaths(v, `${path}[]`));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => valuePaths(v, `${path}.${k}`));
  }
  return [path];
}

/** Volume sources other than these are core VolumeSources kmm-hub copies as they are: not listed one by one. */
const VOLUME_FIELDS_LISTED = ['name', 'hostPath', 'configMap', 'emptyDir'];
const listed = (path: string) => {
  // kmm-hub's own spec field (integration-tests/crds/rollout-strategy.test.ts), not upstream's
  if (path.startsWith('spec.rolloutStrategy')) return false;
  const volume = /^spec\.moduleSpec\.(devicePlugin|dra)\.volumes\[\]\.(\w+)/.exec(path);
  return !volume || VOLUME_FIELDS_LISTED.includes(volume[2] as string);
};

const K570 = '5.14.0-570.22.1.el9_6.x86_64';
const K427 = '5.14.0-427.13.1.el9_4.x86_64';
const fleet: ManagedCluster[] = [
  {
    apiVersion: 'cluster.open-cluster-management.io/v1',
    kind: 'ManagedCluster',
    metadata: { name: 'spoke', labels: { gpu: 'acme' } },
    status: { clusterClaims: [{ name: KERNEL_VERSIONS_CLAIM, value: `${K570}\n${K427}` }] },
  },
];
const workOf = (mcm: ManagedClusterModule): ManifestWork => {
  const p = planManagedClusterModule(mcm, fleet);
  expect(p.errors).toEqual([]);
  expect(p.manifestWorks).toHaveLength(1);
  return p.manifestWorks[0] as ManifestWork;
};

describe('MCMs with every upstream spec field', () => {
  it('set, between them, every field of the upstream spec schema', () => {
    const leaves = schemaLeaves(mcmSchema.properties?.spec as JSONSchemaProps, 'spec');
    const set = mcms.flatMap((m) => valuePaths(m.spec, 'spec'));
    const unset = leaves
      .filter(listed)
      .filter((leaf) => !set.some((p) => p === leaf || p.startsWith(`${leaf}.`)));
    expect(unset).toEqual([]);
    expect(leaves.filter(listed).length).toBeGreaterThan(200);
  });

  it.each(mcms.map((m) => [m.metadata.name, m] as const))(
    '%s: kmm-hub validation accepts it',
    (_, mcm) => {
      expect(validateManagedClusterModule(mcm)).toEqual([]);
    },
  );

  it.each(mcms.map((m) => [m.metadata.name, m] as const))(
    '%s: an API server serving the chart CRD accepts it and keeps every field as written',
    (_, mcm) => {
      expect(validate(mcmSchema, mcm, { skipRootMetadata: true })).toEqual([]);
      const stored = normalize(mcmSchema, mcm);
      expect(stored.unknownFields).toEqual([]);
      expect(stored.value).toEqual(mcm);
    },
  );

  it.each(mcms.map((m) => [m.metadata.name, m] as const))(
    '%s: its ManifestWork carries every field to the spoke Module but build, sign and the mappings',
    (_, mcm) => {
      const module = moduleOf(workOf(mcm));
      const expected = structuredClone(mcm.spec.moduleSpec) as ModuleSpec;
      const container = expected.moduleLoader?.container;
      if (container) {
        delete container.build;
        delete container.sign;
        delete container.inTreeModuleToRemove;
        container.kernelMappings = module?.spec.moduleLoader?.container.kernelMappings ?? [];
      }
      expect(module?.spec).toEqual(expected);
      expect(JSON.stringify(module)).not.toMatch(/"(build|sign|regexp)"/);
    },
  );

  it('rebuilds the kernel mappings per kernel, with the resolved image and in-tree removals', () => {
    const [a, b] = mcms.map((m) => moduleOf(workOf(m))?.spec.moduleLoader?.container);
    expect(a?.kernelMappings).toEqual([
      {
        literal: K427,
        containerImage: `quay.example.com/acme/gpu:${K427}`,
        inTreeModulesToRemove: ['nouveau'],
      },
      {
        literal: K570,
        containerImage: 'quay.example.com/acme/gpu:570',
        inTreeModulesToRemove: ['nouveau', 'acme_legacy'],
      },
    ]);
    expect(b?.kernelMappings).toEqual([
      {
        literal: K427,
        containerImage: 'quay.example.com/acme/nic:5.14.0',
        inTreeModulesToRemove: ['older_nic'],
      },
      {
        literal: K570,
        containerImage: 'quay.example.com/acme/nic:5.14.0',
        inTreeModulesToRemove: ['older_nic'],
      },
    ]);
  });

  it.each(mcms.map((m) => [m.metadata.name, m] as const))(
    '%s: the spoke Module CRD and the ManifestWork CRD accept what is sent, pruning nothing',
    (_, mcm) => {
      const work = workOf(mcm);
      expect(validate(workSchema, work, { skipRootMetadata: true })).toEqual([]);
      expect(normalize(workSchema, work).unknownFields).toEqual([]);
      const module = moduleOf(work);
      expect(validate(moduleSchema, module, { skipRootMetadata: true })).toEqual([]);
      const stored = normalize(moduleSchema, module);
      expect(stored.unknownFields).toEqual([]);
      expect(stored.value).toEqual(module);
    },
  );
});
