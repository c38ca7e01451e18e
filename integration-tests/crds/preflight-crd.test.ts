import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { PREFLIGHT_STATES, validateKernelPreflight } from 'kmm-hub-controller/model';
import { crdSchema, validate, type JSONSchemaProps } from 'kmm-hub-sandbox/schema';
import { UPSTREAM_CONDITION_SOURCE } from '../../scripts/generate-mcm-crd';
import { CHART_PREFLIGHT_CRD, generatePreflightCrd } from '../../scripts/generate-preflight-crd';

const text = readFileSync(CHART_PREFLIGHT_CRD, 'utf8');
const crd = parse(text);
const schema = crdSchema(crd, 'v1alpha1') as JSONSchemaProps;
const K = '5.14.0-611.5.1.el9_7.x86_64';
const object = (kernels: unknown) => ({
  apiVersion: 'hub.kmm.sigs.x-k8s.io/v1alpha1',
  kind: 'KernelPreflight',
  metadata: { name: 'next' },
  spec: { kernels },
});

describe('the KernelPreflight CRD', () => {
  it('is exactly what scripts/generate-preflight-crd.ts produces', () => {
    expect(text).toBe(generatePreflightCrd(readFileSync(UPSTREAM_CONDITION_SOURCE, 'utf8')));
  });

  it('is cluster-scoped, in kmm-hub group, with a status subresource and the model states', () => {
    expect(crd.spec.scope).toBe('Cluster');
    expect(crd.spec.group).toBe('hub.kmm.sigs.x-k8s.io');
    expect(crd.spec.versions[0].subresources).toEqual({ status: {} });
    const modules =
      schema.properties!.status!.properties!.kernels!.items!.properties!.modules!.items!;
    expect(modules.properties!.state!.enum).toEqual([...PREFLIGHT_STATES, 'Pending']);
  });

  // The schema refuses at the API server what the model refuses in the controller (the controller checks too,
  // for objects stored before the schema tightened): both name the field.
  it.each([
    [object([]), 'spec.kernels'],
    [object([{ version: `${K}+` }]), 'spec.kernels[0].version'],
    [object([{ version: `${K} x` }]), 'spec.kernels[0].version'],
    [object([{ version: 'x'.repeat(65) }]), 'spec.kernels[0].version'],
    [object([{ release: 'r' }]), 'spec.kernels[0].version'],
    // a list-map keyed by version: the API server refuses a kernel listed twice, as kube-apiserver does
    [object([{ version: K }, { version: K }]), 'spec.kernels[1]'],
  ])('refuses what the model refuses, at the same field: %#', (obj, field) => {
    const errors = validate(schema, obj);
    expect(errors.map((e) => e.field).join()).toContain(field);
    expect(
      validateKernelPreflight(obj)
        .map((p) => p.field)
        .join(),
    ).toContain(field);
  });

  it('accepts a valid object', () => {
    const obj = object([{ version: K, release: 'OpenShift 4.20.0' }]);
    expect(validate(schema, obj)).toEqual([]);
    expect(validateKernelPreflight(obj)).toEqual([]);
  });
});
