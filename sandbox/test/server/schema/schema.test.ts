/* eslint-disable @typescript-eslint/no-explicit-any -- tests poke into arbitrary object shapes */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  applyDefaults,
  crdSchema,
  dropNonNullableNulls,
  describeFieldError,
  normalize,
  prune,
  validate,
  type JSONSchemaProps,
} from '../../../src/schema';

const crds = join(__dirname, '../../../../crds/upstream');
const load = (file: string, version: string): JSONSchemaProps => {
  const schema = crdSchema(parse(readFileSync(join(crds, file), 'utf8')), version);
  if (!schema) throw new Error(`no schema for ${file} ${version}`);
  return schema;
};
const moduleSchema = load('kmm.sigs.x-k8s.io_modules.yaml', 'v1beta1');
const workSchema = load('work.open-cluster-management.io_manifestworks.yaml', 'v1');

const validModule = () => ({
  apiVersion: 'kmm.sigs.x-k8s.io/v1beta1',
  kind: 'Module',
  metadata: { name: 'gpu', namespace: 'kmm' },
  spec: {
    selector: { 'kubernetes.io/arch': 'amd64' },
    moduleLoader: {
      container: {
        modprobe: { moduleName: 'gpu' },
        kernelMappings: [{ literal: '5.14.0-427.13.1.el9_4.x86_64', containerImage: 'r/gpu:1' }],
      },
    },
  },
});

const lines = (schema: JSONSchemaProps, value: unknown) =>
  validate(schema, value, { skipRootMetadata: true }).map(describeFieldError);

describe('validate against the real Module CRD', () => {
  it('accepts a valid Module', () => {
    expect(lines(moduleSchema, validModule())).toEqual([]);
  });

  it('rejects empty kernelMappings with kube-apiserver wording', () => {
    const module = validModule();
    module.spec.moduleLoader.container.kernelMappings = [];
    expect(lines(moduleSchema, module)).toEqual([
      'spec.moduleLoader.container.kernelMappings: Invalid value: 0: spec.moduleLoader.container.kernelMappings in body should have at least 1 items',
    ]);
  });

  it('names every offending field: required and type', () => {
    const module = validModule() as Record<string, any>;
    delete module.spec.selector;
    module.spec.moduleLoader.container.modprobe.moduleName = 7;
    const errors = validate(moduleSchema, module, { skipRootMetadata: true });
    expect(errors.map(describeFieldError).sort()).toEqual(
      [
        'spec.selector: Required value',
        'spec.moduleLoader.container.modprobe.moduleName: Invalid value: "integer": spec.moduleLoader.container.modprobe.moduleName in body must be of type string: "integer"',
      ].sort(),
    );
    expect(errors.map((e) => e.reason).sort()).toEqual([
      'FieldValueRequired',
      'FieldValueTypeInvalid',
    ]);
  });

  it('enforces the CEL rule that dra and devicePlugin are mutually exclusive', () => {
    const module = validModule() as Record<string, any>;
    module.spec.dra = { driverName: 'd', container: { image: 'x' } };
    module.spec.devicePlugin = { container: { image: 'y' } };
    expect(lines(moduleSchema, module)).toContain(
      'spec: Invalid value: "object": spec.dra and spec.devicePlugin are mutually exclusive',
    );
    delete module.spec.dra;
    expect(lines(moduleSchema, module)).toEqual([]);
  });
});

describe('ManifestWork CEL rule and embedded resources', () => {
  const work = (rule: Record<string, unknown>, manifest: Record<string, unknown>) => ({
    spec: {
      workload: { manifests: [manifest] },
      manifestConfigs: [
        {
          resourceIdentifier: { group: 'g', resource: 'r', name: 'n', namespace: 'ns' },
          conditionRules: [rule],
        },
      ],
    },
  });
  const manifest = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } };

  it('requires a CEL condition for CEL rules', () => {
    const errors = lines(workSchema, work({ type: 'CEL', condition: '' }, manifest));
    expect(errors).toEqual([
      'spec.manifestConfigs[0].conditionRules[0]: Invalid value: "object": Condition is required for CEL rules',
    ]);
    expect(lines(workSchema, work({ type: 'CEL', condition: 'Complete' }, manifest))).toEqual([]);
  });

  it('rejects a value outside the enum', () => {
    expect(lines(workSchema, work({ type: 'Sometimes', condition: 'c' }, manifest))).toEqual([
      'spec.manifestConfigs[0].conditionRules[0].type: Unsupported value: "Sometimes": supported values: "WellKnownConditions", "CEL"',
    ]);
  });

  it('requires apiVersion and kind on an embedded resource', () => {
    const errors = lines(workSchema, work({ type: 'WellKnownConditions', condition: 'c' }, {}));
    expect(errors.sort()).toEqual([
      'spec.workload.manifests[0].apiVersion: Required value: must not be empty',
      'spec.workload.manifests[0].kind: Required value: must not be empty',
    ]);
  });
});

describe('scalar validations', () => {
  const schema: JSONSchemaProps = {
    type: 'object',
    properties: {
      name: { type: 'string', maxLength: 3, minLength: 2, pattern: '^[a-z]+$' },
      count: { type: 'integer', minimum: 1, maximum: 5 },
      port: { 'x-kubernetes-int-or-string': true },
      tags: {
        type: 'array',
        maxItems: 1,
        items: { type: 'string' },
        'x-kubernetes-list-type': 'set',
      },
      when: { type: 'string', format: 'date-time' },
      maybe: { type: 'string', nullable: true },
    },
  };

  it('reports each bound with its value', () => {
    const errors = lines(schema, {
      name: 'ABCD',
      count: 9,
      port: true,
      tags: ['a', 'a'],
      when: 'yesterday',
      maybe: null,
    });
    expect(errors).toEqual([
      'name: Too long: may not be more than 3 bytes',
      'name: Invalid value: "ABCD": name in body should match \'^[a-z]+$\'',
      'count: Invalid value: 9: count in body should be less than or equal to 5',
      'port: Invalid value: "boolean": port in body must be of type integer,string: "boolean"',
      'tags: Too many: 2: must have at most 1 item',
      'tags[1]: Duplicate value: "a"',
      'when: Invalid value: "yesterday": when in body must be of type date-time: "yesterday"',
    ]);
  });

  it('accepts ints and strings for int-or-string and null only when nullable', () => {
    expect(lines(schema, { port: 8080, maybe: null })).toEqual([]);
    expect(lines(schema, { port: 'http' })).toEqual([]);
    expect(lines(schema, { name: null })).toEqual([
      'name: Invalid value: "null": name in body must be of type string: "null"',
    ]);
  });
});

describe('prune and defaults', () => {
  it('prunes unknown fields and reports their paths, keeping ObjectMeta', () => {
    const module = validModule() as Record<string, any>;
    module.spec.bogus = 1;
    module.spec.moduleLoader.container.kernelMappings[0].extra = 'x';
    module.metadata.weird = true;
    const result = prune(moduleSchema, module);
    expect(result.unknownFields.sort()).toEqual([
      'metadata.weird',
      'spec.bogus',
      'spec.moduleLoader.container.kernelMappings[0].extra',
    ]);
    const pruned = result.value as Record<string, any>;
    expect(pruned.spec.bogus).toBeUndefined();
    expect(pruned.metadata).toEqual({ name: 'gpu', namespace: 'kmm' });
    expect(module.spec.bogus).toBe(1);
  });

  it('keeps unknown fields under x-kubernetes-preserve-unknown-fields', () => {
    const result = prune(workSchema, {
      spec: { workload: { manifests: [{ apiVersion: 'v1', kind: 'X', anything: { deep: 1 } }] } },
    });
    expect(result.unknownFields).toEqual([]);
    expect((result.value as any).spec.workload.manifests[0].anything).toEqual({ deep: 1 });
  });

  it('fills defaults top-down without touching the input', () => {
    const schema: JSONSchemaProps = {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          default: {},
          properties: {
            policy: { type: 'string', default: 'IfNotPresent' },
            keep: { type: 'string', default: 'x' },
          },
        },
      },
    };
    const input = { spec: { keep: 'mine' } };
    expect(applyDefaults(schema, input)).toEqual({
      spec: { keep: 'mine', policy: 'IfNotPresent' },
    });
    expect(applyDefaults(schema, {})).toEqual({ spec: { policy: 'IfNotPresent', keep: 'x' } });
    expect(input).toEqual({ spec: { keep: 'mine' } });
  });

  it('normalize (one pass) equals dropNonNullableNulls -> prune -> applyDefaults on real objects', () => {
    const module = validModule() as Record<string, any>;
    module.spec.moduleLoader.container.imagePullPolicy = null;
    module.spec.moduleLoader.container.extra = { x: 1 };
    module.spec.tolerations = [{ key: 'k', operator: 'Exists', bogus: true }];
    module.metadata.weird = 1;
    const work = {
      apiVersion: 'work.open-cluster-management.io/v1',
      kind: 'ManifestWork',
      metadata: { name: 'w', namespace: 'c' },
      spec: { workload: { manifests: [module] }, deleteOption: null, unknown: 1 },
    };
    for (const [schema, object] of [
      [moduleSchema, module],
      [workSchema, work],
    ] as const) {
      const steps = prune(schema, dropNonNullableNulls(schema, object));
      const expected = {
        value: applyDefaults(schema, steps.value),
        unknownFields: steps.unknownFields,
      };
      const actual = normalize(schema, object);
      expect(actual.value).toEqual(expected.value);
      expect([...actual.unknownFields].sort()).toEqual([...expected.unknownFields].sort());
    }
  });

  it('normalize drops non-nullable nulls, prunes, then defaults', () => {
    const schema: JSONSchemaProps = {
      type: 'object',
      properties: { a: { type: 'string', default: 'd' }, b: { type: 'string' } },
    };
    expect(normalize(schema, { a: null, b: null, c: 1 })).toEqual({
      value: { a: 'd' },
      unknownFields: ['c'],
    });
  });
});
