import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { parse } from 'yaml';
import {
  CHART_MCM_CRD,
  UPSTREAM_CONDITION_SOURCE,
  UPSTREAM_MCM_CRD,
  generateMcmCrd,
} from '../../scripts/generate-mcm-crd';

const upstreamText = readFileSync(UPSTREAM_MCM_CRD, 'utf8');
const chartText = readFileSync(CHART_MCM_CRD, 'utf8');
const upstream = parse(upstreamText);
const chart = parse(chartText);
const version = (crd: typeof chart) => crd.spec.versions[0];
const schemaOf = (crd: typeof chart) => version(crd).schema.openAPIV3Schema;

/** The lines of a top-level property block of the schema (`          spec:` up to the next sibling). */
function block(text: string, name: string): string {
  const start = text.indexOf(`\n          ${name}:\n`);
  const next = text.slice(start + 1).search(/\n {10}[a-z]\w*:\n|\n {8}type: object\n/);
  return text.slice(start, start + 1 + next);
}

describe('the MCM CRD kmm-hub ships', () => {
  it('is exactly what scripts/generate-mcm-crd.ts produces', () => {
    expect(chartText).toBe(
      generateMcmCrd(upstreamText, readFileSync(UPSTREAM_CONDITION_SOURCE, 'utf8')),
    );
  });

  it('has the upstream spec schema byte for byte', () => {
    expect(block(chartText, 'spec').length).toBeGreaterThan(100_000);
    expect(block(chartText, 'spec')).toBe(block(upstreamText, 'spec'));
    expect(schemaOf(chart).properties.spec).toEqual(schemaOf(upstream).properties.spec);
  });

  it('differs from upstream only in what kmm-hub adds', () => {
    const strip = (crd: typeof chart) => {
      const c = structuredClone(crd);
      delete c.spec.names.categories;
      delete c.spec.names.shortNames;
      delete version(c).additionalPrinterColumns;
      delete schemaOf(c).properties.status;
      return c;
    };
    expect(strip(chart)).toEqual(strip(upstream));
  });

  it('keeps the upstream status counters and adds what kmm-hub writes', () => {
    const status = schemaOf(chart).properties.status.properties;
    for (const [name, field] of Object.entries(schemaOf(upstream).properties.status.properties)) {
      const { description: _a, ...shape } = field as Record<string, unknown>;
      const { description: _b, ...ours } = status[name];
      expect(ours).toEqual(shape);
    }
    expect(Object.keys(status).sort()).toEqual([
      'conditions',
      'images',
      'numberApplied',
      'numberDegraded',
      'numberDesired',
      'observedGeneration',
      'preflight',
    ]);
    expect(status.conditions['x-kubernetes-list-type']).toBe('map');
    expect(status.conditions.items.required).toEqual([
      'lastTransitionTime',
      'message',
      'reason',
      'status',
      'type',
    ]);
    expect(version(chart).subresources).toEqual({ status: {} });
  });

  it('has short name mcm, category kmm and the printer columns', () => {
    expect(chart.spec.names.shortNames).toEqual(['mcm']);
    expect(chart.spec.names.categories).toEqual(['kmm']);
    expect(
      version(chart).additionalPrinterColumns.map(
        (c: { name: string; jsonPath: string; type: string }) => [c.name, c.jsonPath, c.type],
      ),
    ).toEqual([
      ['Selected', '.status.numberDesired', 'integer'],
      ['Applied', '.status.numberApplied', 'integer'],
      ['Degraded', '.status.numberDegraded', 'integer'],
      ['Ready', '.status.conditions[?(@.type=="Ready")].status', 'string'],
      ['Age', '.metadata.creationTimestamp', 'date'],
    ]);
  });
});

// ---------------------------------------------------------------------------------------------------------
// The TypeScript types (controller/src/model/types.ts) against the CRD, level by level.

/**
 * Where types.ts deliberately types less than the schema: an index signature (or `unknown`) carries the
 * rest through untouched. The test fails if one of these stops being loose, or if another field is loose.
 */
const LOOSE = [
  'spec.moduleSpec.devicePlugin.container',
  'spec.moduleSpec.devicePlugin.initContainer',
  'spec.moduleSpec.devicePlugin.volumes[]',
  'spec.moduleSpec.dra.container',
  'spec.moduleSpec.dra.initContainer',
  'spec.moduleSpec.dra.volumes[]',
  'spec.moduleSpec.dra.deviceClasses[].config[]',
  'spec.moduleSpec.dra.deviceClasses[].selectors[]',
];

/**
 * Required in TypeScript though optional in the CRD: kmm-hub's validation requires them (it reports their
 * absence), so the rest of the model may rely on them.
 */
const REQUIRED_BY_VALIDATION = ['spec.moduleSpec'];

interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  required?: string[];
  additionalProperties?: Schema;
  enum?: string[];
  default?: unknown;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
}

const OPTIONS: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  types: [],
  lib: ['lib.es2023.d.ts'],
};

/** Walks ManagedClusterModule's spec and status in `typesFile` against the chart's schema. */
function compareTypes(typesFile: string, oldProgram?: ts.Program) {
  const program = ts.createProgram([typesFile], OPTIONS, undefined, oldProgram);
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(typesFile) as ts.SourceFile;
  const decl = source.statements.find(
    (s): s is ts.InterfaceDeclaration =>
      ts.isInterfaceDeclaration(s) && s.name.text === 'ManagedClusterModule',
  ) as ts.InterfaceDeclaration;
  const problems: string[] = [];
  const loose: string[] = [];
  const visited: string[] = [];

  const typeOf = (s: ts.Symbol) => checker.getNonNullableType(checker.getTypeOfSymbol(s));
  const isOptional = (s: ts.Symbol) => (s.flags & ts.SymbolFlags.Optional) !== 0;
  const hasIndex = (t: ts.Type) => checker.getIndexInfoOfType(t, ts.IndexKind.String) !== undefined;
  const FLAGS: Record<string, ts.TypeFlags> = {
    string: ts.TypeFlags.StringLike,
    integer: ts.TypeFlags.NumberLike,
    number: ts.TypeFlags.NumberLike,
    boolean: ts.TypeFlags.BooleanLike,
  };

  function scalar(t: ts.Type, schema: Schema, path: string): void {
    const members = t.isUnion() ? t.types : [t];
    const flag = FLAGS[schema.type ?? ''] ?? ts.TypeFlags.Never;
    if (!members.every((m) => (m.flags & flag) !== 0)) {
      problems.push(`${path}: CRD ${schema.type}, TypeScript ${checker.typeToString(t)}`);
      return;
    }
    if (schema.enum && members.every((m) => m.isStringLiteral())) {
      const values = members.map((m) => (m as ts.StringLiteralType).value).sort();
      if (values.join() !== [...schema.enum].sort().join()) {
        problems.push(`${path}: CRD enum ${schema.enum.join('|')}, TypeScript ${values.join('|')}`);
      }
    }
  }

  function walk(t: ts.Type, schema: Schema, path: string): void {
    visited.push(path);
    if (t.flags & ts.TypeFlags.Unknown) {
      loose.push(path);
      return;
    }
    if (schema.type === 'array') {
      if (!checker.isArrayType(t)) {
        problems.push(`${path}: CRD array, TypeScript ${checker.typeToString(t)}`);
        return;
      }
      walk(
        checker.getTypeArguments(t as ts.TypeReference)[0] as ts.Type,
        schema.items as Schema,
        `${path}[]`,
      );
      return;
    }
    if (schema.type !== 'object') {
      scalar(t, schema, path);
      return;
    }
    if (
      schema.additionalProperties ||
      (!schema.properties && schema['x-kubernetes-preserve-unknown-fields'])
    ) {
      if (!hasIndex(t)) problems.push(`${path}: CRD map, TypeScript has no index signature`);
      return;
    }
    const schemaProps = schema.properties ?? {};
    const tsProps = checker.getPropertiesOfType(t);
    for (const p of tsProps) {
      if (!(p.name in schemaProps))
        problems.push(`${path}.${p.name}: in TypeScript, not in the CRD`);
    }
    const missing = Object.keys(schemaProps).filter((k) => !t.getProperty(k));
    if (missing.length > 0) {
      if (hasIndex(t)) loose.push(path);
      else problems.push(`${path}: CRD fields ${missing.join(', ')} missing in TypeScript`);
    }
    for (const p of tsProps) {
      const field = schemaProps[p.name];
      if (!field) continue;
      const fieldPath = `${path}.${p.name}`;
      const guaranteed = schema.required?.includes(p.name) || field.default !== undefined;
      if (!isOptional(p) && !guaranteed && !REQUIRED_BY_VALIDATION.includes(fieldPath)) {
        problems.push(`${fieldPath}: required in TypeScript, optional in the CRD`);
      }
      walk(typeOf(p), field, fieldPath);
    }
  }

  const mcmType = checker.getTypeAtLocation(decl.name);
  const root = schemaOf(chart) as Schema;
  for (const top of ['spec', 'status']) {
    walk(typeOf(mcmType.getProperty(top) as ts.Symbol), root.properties?.[top] as Schema, top);
  }
  return { problems, loose, visited, program };
}

describe('the TypeScript types agree with the CRD', () => {
  const typesFile = join(__dirname, '../../controller/src/model/types.ts');
  const real = compareTypes(typesFile);

  it('has every field of spec and status, with the same types, enums and required-ness', () => {
    expect(real.problems).toEqual([]);
    for (const path of [
      'spec.moduleSpec.moduleLoader.container.kernelMappings[].regexp',
      'spec.moduleSpec.moduleLoader.container.sign.filesToSign[]',
      'spec.moduleSpec.tolerations[].tolerationSeconds',
      'status.images[].state',
      'status.conditions[].status',
    ]) {
      expect(real.visited).toContain(path);
    }
  });

  it('types loosely (index signature or unknown) exactly the listed fields', () => {
    expect(real.loose.sort()).toEqual([...LOOSE].sort());
  });

  it('notices a wrong type, a missing field, an extra field, a wrong enum and a wrong required-ness', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kmm-types-'));
    try {
      const wrong = join(dir, 'types.ts');
      const text = readFileSync(typesFile, 'utf8');
      const edits: [string, string][] = [
        ['  regexp?: string;', '  regexp?: number;'],
        ['  imageRebuildTriggerGeneration?: number;\n', ''],
        ['  firmwarePath?: string;', '  firmwarePath?: string;\n  firmwareDir?: string;'],
        ["'Failed' | 'Unknown';", "'Failed' | 'Unknown' | 'Lost';"],
        ['  spokeNamespace: string;', '  spokeNamespace: string;\n  kmmhub: string;'],
        [
          '  imagePullPolicy?: string;\n  build?: Build;',
          '  imagePullPolicy: string;\n  build?: Build;',
        ],
      ];
      let changed = text;
      for (const [from, to] of edits) {
        expect(changed).toContain(from);
        changed = changed.replace(from, to);
      }
      writeFileSync(wrong, changed);
      expect(compareTypes(wrong, real.program).problems.sort()).toEqual(
        [
          'spec.moduleSpec.moduleLoader.container.kernelMappings[].regexp: CRD string, TypeScript number',
          'spec.moduleSpec: CRD fields imageRebuildTriggerGeneration missing in TypeScript',
          'spec.moduleSpec.moduleLoader.container.modprobe.firmwareDir: in TypeScript, not in the CRD',
          'status.images[].state: CRD enum Ready|Waiting|Building|Signing|Missing|Failed|Unknown, TypeScript Building|Failed|Lost|Missing|Ready|Signing|Unknown|Waiting',
          // status.preflight's states include the image states, so the extra one shows there too
          'status.preflight[].state: CRD enum Ready|Waiting|Building|Signing|Missing|Failed|Unknown|NoMapping|MappingError, TypeScript Building|Failed|Lost|MappingError|Missing|NoMapping|Ready|Signing|Unknown|Waiting',
          'spec.kmmhub: in TypeScript, not in the CRD',
          'spec.moduleSpec.moduleLoader.container.imagePullPolicy: required in TypeScript, optional in the CRD',
        ].sort(),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
