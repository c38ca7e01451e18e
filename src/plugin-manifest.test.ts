/**
 * @jest-environment node
 */
// Checks the production build the console loads (dist/, from `npm run build`): the extensions it declares,
// and that every code reference names an exposed module and an export that module really has.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from 'typescript';

const root = join(__dirname, '..');
const dist = join(root, 'dist');
const NAME = 'kmm-hub-console-plugin';
const MCM_MODEL = {
  group: 'hub.kmm.sigs.x-k8s.io',
  version: 'v1beta1',
  kind: 'ManagedClusterModule',
};

type Extension = {
  type: string;
  properties: Record<string, unknown>;
  flags?: { required?: string[]; disallowed?: string[] };
};
type Manifest = {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  extensions: Extension[];
  registrationMethod?: string;
  baseURL?: string;
  loadScripts: string[];
};

const readManifest = (): Manifest => {
  const file = join(dist, 'plugin-manifest.json');
  if (!existsSync(file)) {
    throw new Error(
      `${file} is missing: run \`npm run build\` first (CI runs it before the tests)`,
    );
  }
  return JSON.parse(readFileSync(file, 'utf8')) as Manifest;
};

const manifest = readManifest();
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  consolePlugin: { exposedModules: Record<string, string> };
};
const exposed = pkg.consolePlugin.exposedModules;
const locale = JSON.parse(
  readFileSync(join(root, 'locales/en/plugin__kmm-hub-console-plugin.json'), 'utf8'),
) as Record<string, string>;

const ofType = (type: string) => manifest.extensions.filter((e) => e.type === type);

/** Every `{ $codeRef }` in an extension's properties. */
const codeRefs = (value: unknown): string[] => {
  if (Array.isArray(value)) return value.flatMap(codeRefs);
  if (value && typeof value === 'object') {
    const ref = (value as { $codeRef?: unknown }).$codeRef;
    if (typeof ref === 'string') return [ref];
    return Object.values(value).flatMap(codeRefs);
  }
  return [];
};

/** The names a module source exports (`default` included), read syntactically with the TS parser. */
const exportsOf = (file: string): Set<string> => {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
  const names = new Set<string>();
  const isExported = (node: ts.Node) =>
    ts.canHaveModifiers(node) &&
    ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  const isDefault = (node: ts.Node) =>
    ts.canHaveModifiers(node) &&
    ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
  for (const s of source.statements) {
    if (ts.isExportAssignment(s)) names.add('default');
    else if (ts.isExportDeclaration(s) && s.exportClause && ts.isNamedExports(s.exportClause)) {
      for (const e of s.exportClause.elements) names.add(e.name.text);
    } else if (isExported(s)) {
      if (isDefault(s)) names.add('default');
      else if (ts.isVariableStatement(s)) {
        for (const d of s.declarationList.declarations) {
          if (ts.isIdentifier(d.name)) names.add(d.name.text);
        }
      } else if ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s)) && s.name) {
        names.add(s.name.text);
      }
    }
  }
  return names;
};

const sourceOf = (modulePath: string): string => {
  const base = join(root, 'src', modulePath);
  const found = ['.tsx', '.ts'].map((ext) => base + ext).find(existsSync);
  if (!found) throw new Error(`exposed module source ${modulePath} not found under src/`);
  return found;
};

describe('plugin-manifest.json of the production build', () => {
  it('describes the plugin as console 4.22 loads it', () => {
    expect(manifest).toMatchObject({
      name: NAME,
      version: '0.1.0',
      registrationMethod: 'callback',
      baseURL: `/api/plugins/${NAME}/`,
      dependencies: { '@console/pluginAPI': expect.any(String) },
    });
    expect(manifest.loadScripts).toHaveLength(1);
    for (const script of manifest.loadScripts) expect(existsSync(join(dist, script))).toBe(true);
  });

  it('declares the expected extensions', () => {
    expect(manifest.extensions.map((e) => e.type).sort()).toEqual(
      [
        'console.action/resource-provider',
        'console.flag/model',
        'console.model-metadata',
        'console.navigation/href',
        'console.navigation/href',
        'console.navigation/resource-cluster',
        'console.navigation/resource-cluster',
        'console.page/resource/details',
        'console.page/resource/list',
        'console.page/route',
        'console.yaml-template',
      ].sort(),
    );
    expect(ofType('console.flag/model')[0]?.properties).toEqual({
      flag: 'KMM_HUB',
      model: MCM_MODEL,
    });
    expect(ofType('console.model-metadata')[0]?.properties).toMatchObject({ abbr: 'MCM' });
    expect(ofType('console.page/route')[0]?.properties).toMatchObject({
      path: '/kmm-hub/kernel-matrix',
      exact: true,
    });
  });

  it('adds nothing unless kmm-hub is installed (every other extension requires KMM_HUB)', () => {
    for (const e of manifest.extensions.filter((x) => x.type !== 'console.flag/model')) {
      expect({ type: e.type, flags: e.flags }).toEqual({
        type: e.type,
        flags: { required: ['KMM_HUB'] },
      });
    }
  });

  it('names the MCM model with its version everywhere (pages never match without it)', () => {
    const withModel = manifest.extensions.filter((e) => 'model' in e.properties);
    expect(withModel.length).toBeGreaterThanOrEqual(7);
    for (const e of withModel)
      expect({ type: e.type, model: e.properties.model }).toEqual({
        type: e.type,
        model: MCM_MODEL,
      });
  });

  // Section ids as console 4.22 (console-app: `operators` in `admin`) and ACM/MCE (perspective `acm`, defined by
  // the MCE plugin with its `mce-infrastructure` section) declare them: a nav item naming a section that does
  // not exist is silently left out.
  it('puts the list and the kernel matrix in Operators (admin) and in Infrastructure of the ACM fleet perspective', () => {
    const nav = manifest.extensions.filter((e) => e.type.startsWith('console.navigation/'));
    const place = (e: Extension) => [e.type, e.properties.perspective, e.properties.section];
    expect(nav.map(place)).toEqual([
      ['console.navigation/resource-cluster', 'admin', 'operators'],
      ['console.navigation/href', 'admin', 'operators'],
      ['console.navigation/resource-cluster', 'acm', 'mce-infrastructure'],
      ['console.navigation/href', 'acm', 'mce-infrastructure'],
    ]);
    for (const e of nav.filter((x) => x.type === 'console.navigation/href')) {
      expect(e.properties.href).toBe('/kmm-hub/kernel-matrix');
    }
    // the matrix follows the list in each perspective
    const [list, matrix, acmList, acmMatrix] = nav;
    expect(matrix?.properties.insertAfter).toBe(list?.properties.id);
    expect(acmMatrix?.properties.insertAfter).toBe(acmList?.properties.id);
  });

  it('has every %plugin__...% string in the English catalog, which the build copies to dist/locales', () => {
    const strings = JSON.stringify(manifest.extensions).match(/%plugin__[^%]+%/g) ?? [];
    expect(strings.length).toBeGreaterThan(0);
    for (const s of strings) {
      const [ns, key] = s.slice(1, -1).split('~') as [string, string];
      expect(ns).toBe(`plugin__${NAME}`);
      expect(locale).toHaveProperty([key]);
    }
    const copied = join(dist, 'locales/en/plugin__kmm-hub-console-plugin.json');
    expect(JSON.parse(readFileSync(copied, 'utf8'))).toEqual(locale);
  });

  it('resolves every $codeRef to an exposed module, its own chunk, and an export that exists', () => {
    const entry = readFileSync(join(dist, manifest.loadScripts[0] as string), 'utf8');
    const chunks = readdirSync(dist);
    const refs = manifest.extensions.flatMap((e) => codeRefs(e.properties));
    expect(refs.length).toBe(5);
    for (const ref of refs) {
      const [module = '', exportName = 'default'] = ref.split('.');
      expect({ ref, exposed: module in exposed }).toEqual({ ref, exposed: true });
      expect({ ref, inContainer: entry.includes(`${module}:()=>`) }).toEqual({
        ref,
        inContainer: true,
      });
      expect(chunks.some((c) => c.startsWith(`exposed-${module}-chunk-`))).toBe(true);
      const exports = exportsOf(sourceOf(exposed[module] as string));
      expect({ ref, exported: exports.has(exportName) }).toEqual({ ref, exported: true });
    }
    // every exposed module is used by some extension (ConsoleRemotePlugin requires it too)
    expect(new Set(refs.map((r) => r.split('.')[0]))).toEqual(new Set(Object.keys(exposed)));
  });

  it('keeps the pages out of the entry script (they load lazily with their chunks)', () => {
    const entry = readFileSync(join(dist, manifest.loadScripts[0] as string), 'utf8');
    for (const pageText of [
      'kmm-hub-problems-only',
      'describes an out-of-tree kernel module',
      'spokeNamespace',
    ]) {
      expect({ pageText, inEntry: entry.includes(pageText) }).toEqual({ pageText, inEntry: false });
    }
  });
});
