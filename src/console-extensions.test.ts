/**
 * @jest-environment node
 */
// console-extensions.json against the extension types of SDK 4.22. The console ignores a property it does not
// know (a misspelled `section` leaves a nav item out, with no error anywhere), and ConsoleRemotePlugin's own
// check accepts any object as a "custom" extension, so it does not catch that either. Here every extension must
// match the SDK's schema for its own type (generated from the SDK's type definitions), with no extra property.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SchemaValidator } from '@openshift-console/dynamic-plugin-sdk-webpack/lib/validation/SchemaValidator';

type Schema = {
  $ref?: string;
  anyOf?: Schema[];
  properties?: Record<string, Schema>;
  const?: string;
};
type Extension = { type: string; properties: Record<string, unknown>; flags?: unknown };

const root = join(__dirname, '..');
const sdkSchema = JSON.parse(
  readFileSync(
    join(
      root,
      'node_modules/@openshift-console/dynamic-plugin-sdk-webpack/schema/console-extensions.json',
    ),
    'utf8',
  ),
) as { definitions: Record<string, Schema> };
const extensions = JSON.parse(
  readFileSync(join(root, 'console-extensions.json'), 'utf8'),
) as Extension[];

/** extension type -> name of its schema definition, for every type the SDK supports (not "custom") */
const definitionByType = (): Map<string, string> => {
  const byType = new Map<string, string>();
  const visit = (schema: Schema) => {
    for (const option of schema.anyOf ?? []) {
      const name = option.$ref?.replace('#/definitions/', '');
      const definition = name ? sdkSchema.definitions[name] : undefined;
      if (!name || !definition) continue;
      const type = definition.properties?.type?.const;
      if (type) byType.set(type, name);
      else visit(definition);
    }
  };
  visit(sdkSchema.definitions.SupportedExtension as Schema);
  return byType;
};
const definitions = definitionByType();

/** The SDK validator's messages for one extension checked against the schema of its type. */
const problemsOf = (extension: Extension): string[] => {
  const name = definitions.get(extension.type);
  if (!name) return [`${extension.type} is not an extension type of SDK 4.22`];
  const schema = { $ref: `#/definitions/${name}`, definitions: sdkSchema.definitions };
  const unknownKeys = Object.keys(extension).filter(
    (k) => !['type', 'properties', 'flags'].includes(k),
  );
  return [
    ...new SchemaValidator(extension.type).validate(schema, extension, 'extension').getErrors(),
    ...unknownKeys.map((k) => `extension.${k} is not an extension field`),
  ];
};

describe('console-extensions.json against the SDK 4.22 extension types', () => {
  it('knows the types the plugin uses', () => {
    expect(definitions.get('console.navigation/resource-cluster')).toBe('ResourceClusterNavItem');
    expect(definitions.get('console.action/resource-provider')).toBe('ResourceActionProvider');
  });

  it('uses only properties the SDK defines for each extension type, with the right shapes', () => {
    for (const extension of extensions) {
      expect({ type: extension.type, problems: problemsOf(extension) }).toEqual({
        type: extension.type,
        problems: [],
      });
    }
  });

  it('reports a misspelled property, a wrong shape, an unknown type and an unknown field', () => {
    const nav = extensions.find((e) => e.type === 'console.navigation/href') as Extension;
    const misspelled = { ...nav, properties: { ...nav.properties, sectoin: 'operators' } };
    expect(problemsOf(misspelled)).toEqual([
      'extension.properties should NOT have additional properties',
    ]);
    const wrongShape = { ...nav, properties: { ...nav.properties, insertAfter: 3 } };
    expect(problemsOf(wrongShape).length).toBeGreaterThan(0);
    expect(problemsOf({ ...nav, type: 'console.navigation/hreff' })).toEqual([
      'console.navigation/hreff is not an extension type of SDK 4.22',
    ]);
    expect(problemsOf({ ...nav, flag: { required: ['KMM_HUB'] } } as Extension)).toEqual([
      'extension.flag is not an extension field',
    ]);
  });
});
