// The console shell supplies @openshift-console/dynamic-plugin-sdk at run time: every value the plugin imports
// from it must be one the shell's module exports, or the plugin fails in the shell only when that page loads.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { REPO_ROOT } from '../../scripts/tools';

const SDK = '@openshift-console/dynamic-plugin-sdk';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory())
      return e.name.startsWith('__') || e.name === 'test-utils' ? [] : sources(path);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [path] : [];
  });
}

const parse = (path: string) =>
  ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, false);

/** Names imported as values (not `import type`) from the SDK. */
function valueImports(path: string): string[] {
  const names: string[] = [];
  for (const s of parse(path).statements) {
    if (!ts.isImportDeclaration(s) || (s.moduleSpecifier as ts.StringLiteral).text !== SDK)
      continue;
    const clause = s.importClause;
    if (!clause || clause.isTypeOnly) continue;
    const bindings = clause.namedBindings;
    if (bindings && ts.isNamedImports(bindings)) {
      for (const el of bindings.elements)
        if (!el.isTypeOnly) names.push((el.propertyName ?? el.name).text);
    }
  }
  return names;
}

function exportedNames(path: string): Set<string> {
  const names = new Set<string>();
  for (const s of parse(path).statements) {
    if (ts.isExportDeclaration(s) && s.exportClause && ts.isNamedExports(s.exportClause)) {
      for (const el of s.exportClause.elements) names.add(el.name.text);
    }
  }
  return names;
}

it('exports every SDK value the plugin imports', () => {
  const used = new Set(sources(join(REPO_ROOT, 'src')).flatMap(valueImports));
  const provided = exportedNames(join(REPO_ROOT, 'sandbox/shell/src/sdk/index.ts'));
  expect(used.size).toBeGreaterThan(10);
  expect([...used].filter((n) => !provided.has(n))).toEqual([]);
});
