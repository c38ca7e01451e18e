import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { mcm } from './__fixtures__/rollout';
import { applySchemaDefaults, type DefaultingSchema } from './schema-defaults';

describe('applySchemaDefaults', () => {
  const schema: DefaultingSchema = {
    properties: {
      a: { default: 'x' },
      b: { properties: { c: { default: 1 } } },
      d: { default: {}, properties: { e: { default: true } } },
      list: { items: { properties: { f: { default: 'y' } } } },
      map: { additionalProperties: { properties: { g: { default: 2 } } } },
      n: { default: 3, nullable: true },
    },
  };

  it('fills absent fields top-down, inside lists and maps, leaving set fields and nullable nulls', () => {
    const input = { a: 'set', b: {}, list: [{}, { f: 'z' }], map: { k: {} }, n: null };
    expect(applySchemaDefaults(schema, input)).toEqual({
      a: 'set',
      b: { c: 1 },
      d: { e: true },
      list: [{ f: 'y' }, { f: 'z' }],
      map: { k: { g: 2 } },
      n: null,
    });
    expect(input).toEqual({ a: 'set', b: {}, list: [{}, { f: 'z' }], map: { k: {} }, n: null });
  });

  it("gives an MCM the hub CRD's defaults (modprobe.dirName)", () => {
    const crd = load(
      readFileSync(
        join(__dirname, '../../../crds/upstream/hub.kmm.sigs.x-k8s.io_managedclustermodules.yaml'),
        'utf8',
      ),
    ) as { spec: { versions: { schema: { openAPIV3Schema: DefaultingSchema } }[] } };
    const m = applySchemaDefaults(crd.spec.versions[0]!.schema.openAPIV3Schema, mcm());
    expect(m.spec.moduleSpec.moduleLoader?.container.modprobe.dirName).toBe('/opt');
  });
});
