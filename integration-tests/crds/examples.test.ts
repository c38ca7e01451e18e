import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { normalize, validate } from 'kmm-hub-sandbox/schema';
import { validateManagedClusterModule, type KubeObject } from 'kmm-hub-controller/model';
import { managedClusterSchema, mcmSchema as chartMcmSchema, ROOT } from './crd-schemas';

// The examples the README points people to are objects an API server accepts as written: no field the CRD
// does not know (a typo would be pruned silently), nothing it rejects, and for the MCMs nothing the model
// rejects. What plan makes of them is checked in plan-cli.test.ts.

const example = (file: string): KubeObject[] =>
  parseAllDocuments(readFileSync(join(ROOT, 'controller/examples', file), 'utf8')).flatMap((d) => {
    const v = d.toJS() as KubeObject & { items?: KubeObject[] };
    return v.kind === 'List' ? (v.items ?? []) : [v];
  });
const mcmSchema = chartMcmSchema();
const clusterSchema = managedClusterSchema();

const cases = [
  ...['mcm-gpu-driver.yaml', 'mcm-device-plugin.yaml'].flatMap((f) =>
    example(f).map((o) => [`${f}: ${o.metadata?.name}`, o, mcmSchema] as const),
  ),
  ...example('fleet.yaml').map(
    (o) => [`fleet.yaml: ${o.metadata?.name}`, o, clusterSchema] as const,
  ),
];

describe('the examples', () => {
  it('are two MCMs and a fleet of eight clusters', () => {
    expect(cases.map(([name]) => name.split(':')[0])).toEqual([
      'mcm-gpu-driver.yaml',
      'mcm-device-plugin.yaml',
      ...Array(8).fill('fleet.yaml'),
    ]);
  });

  it.each(cases)('%s: the CRD accepts it as written', (_, object, schema) => {
    expect(validate(schema, object, { skipRootMetadata: true })).toEqual([]);
    expect(normalize(schema, object).unknownFields).toEqual([]);
  });

  it.each(cases.filter(([, , schema]) => schema === mcmSchema))(
    '%s: kmm-hub validation accepts it',
    (_, object) => {
      expect(validateManagedClusterModule(object)).toEqual([]);
    },
  );
});
