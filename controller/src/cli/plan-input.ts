import { readFileSync } from 'node:fs';
import { CORE_SCHEMA, loadAll } from 'js-yaml';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../model';

/** Bad input for a command: reported as one line on stderr, exit status 2. */
export class InputError extends Error {}

/** The file name that means standard input, as for kubectl apply -f -. */
export const STDIN = '-';

export interface ExpectedKind {
  apiVersion: string;
  kind: string;
}

/**
 * The objects of one file: YAML (one or more documents) or JSON, each document an object or a `List`
 * (`kind: List`, or any `<Kind>List`, with `items`), every object of the expected kind with a
 * metadata.name. Empty documents are ignored.
 */
export function readObjects<T extends KubeObject>(
  file: string,
  flag: string,
  expected: ExpectedKind,
): T[] {
  let text: string;
  try {
    text = readFileSync(file === STDIN ? 0 : file, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why =
      err.code === 'ENOENT'
        ? 'no such file'
        : err.code === 'EISDIR'
          ? 'is a directory'
          : err.message;
    throw new InputError(`${flag} ${file}: cannot read: ${why}`);
  }
  const values = parseDocuments(text, `${flag} ${file}`);
  const out: T[] = [];
  values.forEach((value, d) => {
    const where = values.length > 1 ? `document ${d + 1}` : 'document';
    if (value === null || value === undefined) return;
    for (const [i, obj] of flatten(value, `${flag} ${file}: ${where}`).entries()) {
      out.push(
        check<T>(
          obj,
          `${flag} ${file}: ${where}${isList(value) ? `, item ${i + 1}` : ''}`,
          expected,
        ),
      );
    }
  });
  return out;
}

const MAX_ALIASES = 1000;

// An anchor (`&name`) anywhere, even inside a quoted string: such files take the guarded parser.
const ANCHOR = /(^|[\s[{,:-])&[^\s]/m;

/**
 * The documents of a file. js-yaml reads a 3,500-cluster export about ten times faster than the yaml
 * library, which is kept for what it does better: anchors and aliases, expanded with a limit against
 * alias bombs, and messages with line and column for malformed input.
 */
function parseDocuments(text: string, where: string): unknown[] {
  if (!ANCHOR.test(text)) {
    try {
      return loadAll(text, undefined, { schema: CORE_SCHEMA });
    } catch {
      // the yaml library below names the problem
    }
  }
  return parseAllDocuments(text, { prettyErrors: true, uniqueKeys: true }).map((doc) => {
    const [error] = doc.errors;
    if (error) {
      // prettyErrors puts "at line L, column C:" and a code frame after the message: keep the first line
      const msg = (error.message.split('\n')[0] ?? '').replace(/:$/, '');
      throw new InputError(`${where}: not valid YAML or JSON: ${msg}`);
    }
    try {
      return doc.toJS({ maxAliasCount: MAX_ALIASES }) as unknown;
    } catch {
      // the yaml library's only failure here: aliases that expand past the limit
      throw new InputError(
        `${where}: not valid input: aliases expand to more than ${MAX_ALIASES} nodes (an alias bomb?); ` +
          'write the objects out without anchors',
      );
    }
  });
}

function isList(value: unknown): value is { kind: string; items: unknown } {
  const v = value as { kind?: unknown; items?: unknown } | null;
  return (
    typeof v === 'object' && v !== null && typeof v.kind === 'string' && v.kind.endsWith('List')
  );
}

function flatten(value: unknown, where: string): unknown[] {
  if (!isList(value)) return [value];
  if (!Array.isArray(value.items))
    throw new InputError(`${where}: a ${value.kind} needs an items list`);
  return value.items;
}

function check<T>(obj: unknown, where: string, expected: ExpectedKind): T {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
    throw new InputError(
      `${where}: expected a ${expected.kind} object, got ${Array.isArray(obj) ? 'a list' : JSON.stringify(obj)}`,
    );
  }
  const o = obj as KubeObject;
  if (o.kind !== expected.kind || o.apiVersion !== expected.apiVersion) {
    throw new InputError(
      `${where}: expected kind ${expected.kind} (apiVersion ${expected.apiVersion}), ` +
        `got ${o.kind ? `kind ${String(o.kind)}` : 'no kind'} (apiVersion ${String(o.apiVersion ?? 'missing')})`,
    );
  }
  const name = o.metadata?.name;
  if (typeof name !== 'string' || name === '') {
    throw new InputError(`${where}: the ${expected.kind} has no metadata.name`);
  }
  return obj as T;
}

/** Objects from several files, with a name used at most once. */
export function readAll<T extends KubeObject>(
  files: string[],
  flag: string,
  expected: ExpectedKind,
): T[] {
  const seen = new Map<string, string>();
  const out: T[] = [];
  for (const file of files) {
    for (const obj of readObjects<T>(file, flag, expected)) {
      const name = obj.metadata?.name as string;
      const first = seen.get(name);
      if (first !== undefined) {
        throw new InputError(
          `${flag} ${file}: ${expected.kind} "${name}" appears twice (also in ${first}); keep one`,
        );
      }
      seen.set(name, file);
      out.push(obj);
    }
  }
  return out;
}
