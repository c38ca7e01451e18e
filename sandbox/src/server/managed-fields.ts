import { cloneJson, isPlainObject } from 'kmm-hub-controller/model';
import { childSchema, type JSONSchemaProps } from '../schema';
import { ApiError } from './errors';
import type { KubeObject, ManagedFieldsEntry } from './types';

/*
 * Field ownership for server-side apply, simplified: ownership is tracked per leaf field (scalars,
 * atomic lists and maps, elements of `x-kubernetes-list-type: set` lists, and fields inside
 * `x-kubernetes-list-type: map` elements addressed by their keys), per manager and operation. Apply
 * conflicts when it changes the value of a leaf another manager owns; Update operations take the leaves
 * they change from everyone else without conflicts. Built-in kinds without list-type markers treat
 * their lists as atomic. managedFields is rendered in the FieldsV1 format (`f:`, `k:`, `v:` keys).
 */

type Segment = string;
type Leaves = Map<string, unknown>;

/** Fields never tracked: identity and server-owned metadata (structured-merge-diff strips these too). */
const IGNORED_METADATA = new Set([
  'name',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'managedFields',
  'selfLink',
  'generateName',
]);

function listKey(schema: JSONSchemaProps | undefined, item: unknown): string | undefined {
  const keys = schema?.['x-kubernetes-list-map-keys'];
  if (schema?.['x-kubernetes-list-type'] !== 'map' || !keys || !isPlainObject(item))
    return undefined;
  const key: Record<string, unknown> = {};
  for (const k of keys) if (item[k] !== undefined) key[k] = item[k];
  return `k:${JSON.stringify(key)}`;
}

function collect(
  value: unknown,
  schema: JSONSchemaProps | undefined,
  path: Segment[],
  out: Leaves,
): void {
  if (Array.isArray(value)) {
    const listType = schema?.['x-kubernetes-list-type'];
    if (listType === 'set') {
      for (const item of value)
        out.set(JSON.stringify([...path, `v:${JSON.stringify(item)}`]), item);
      return;
    }
    if (listType === 'map' && value.length > 0) {
      for (const item of value) {
        const key = listKey(schema, item);
        if (key === undefined) continue;
        const itemPath = [...path, key];
        out.set(JSON.stringify([...itemPath, '.']), true);
        collect(item, schema?.items, itemPath, out);
      }
      return;
    }
    out.set(JSON.stringify(path), value);
    return;
  }
  if (isPlainObject(value) && schema?.['x-kubernetes-map-type'] !== 'atomic') {
    const entries = Object.entries(value);
    if (entries.length === 0 && path.length > 0) out.set(JSON.stringify(path), value);
    for (const [key, item] of entries) {
      if (path.length === 0 && (key === 'apiVersion' || key === 'kind')) continue;
      if (path.length === 1 && path[0] === 'f:metadata' && IGNORED_METADATA.has(key)) continue;
      collect(item, childSchema(schema, key), [...path, `f:${key}`], out);
    }
    return;
  }
  if (path.length > 0) out.set(JSON.stringify(path), value);
}

/** Leaf paths of an object (or of the `status`/main part of it) with their values. */
export function leaves(
  object: unknown,
  schema: JSONSchemaProps | undefined,
  part: 'main' | 'status',
): Leaves {
  const out: Leaves = new Map();
  if (!isPlainObject(object)) return out;
  const scoped: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(object)) {
    if ((part === 'status') === (k === 'status')) scoped[k] = v;
  }
  collect(scoped, schema, [], out);
  return out;
}

/** FieldsV1 JSON from leaf paths. */
export function toFieldsV1(paths: Iterable<string>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const p of paths) {
    let node = root;
    for (const segment of JSON.parse(p) as Segment[]) {
      node[segment] ??= {};
      node = node[segment] as Record<string, unknown>;
    }
  }
  return root;
}

/** Leaf paths from FieldsV1 JSON. */
export function fromFieldsV1(fields: Record<string, unknown> | undefined): Set<string> {
  const out = new Set<string>();
  const walk = (node: Record<string, unknown>, path: Segment[]) => {
    const children = Object.keys(node);
    if (children.length === 0 && path.length > 0) out.add(JSON.stringify(path));
    for (const key of children) walk((node[key] ?? {}) as Record<string, unknown>, [...path, key]);
  };
  walk(fields ?? {}, []);
  return out;
}

const equal = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function describePath(path: string): string {
  return (JSON.parse(path) as Segment[])
    .filter((s) => s !== '.')
    .map((s) => (s.startsWith('f:') ? `.${s.slice(2)}` : `[${s.slice(2)}]`))
    .join('');
}

interface Owner {
  entry: ManagedFieldsEntry;
  paths: Set<string>;
}

function owners(object: KubeObject | undefined): Owner[] {
  return (object?.metadata.managedFields ?? []).map((entry) => ({
    entry,
    paths: fromFieldsV1(entry.fieldsV1),
  }));
}

function render(list: Owner[]): ManagedFieldsEntry[] | undefined {
  const out = list
    .filter((o) => o.paths.size > 0)
    .map((o) => ({ ...o.entry, fieldsV1: toFieldsV1(o.paths) }));
  return out.length > 0 ? out : undefined;
}

function sameEntry(e: ManagedFieldsEntry, manager: string, operation: string, sub?: string) {
  return (
    e.manager === manager && e.operation === operation && (e.subresource ?? '') === (sub ?? '')
  );
}

/** The writer's entry for `operation` (added, owning nothing, if absent), stamped with this write. */
function ownEntry(list: Owner[], writer: Writer, operation: 'Update' | 'Apply'): Owner {
  let mine = list.find((o) => sameEntry(o.entry, writer.manager, operation, writer.subresource));
  if (!mine) {
    mine = {
      entry: {
        manager: writer.manager,
        operation,
        apiVersion: writer.apiVersion,
        time: writer.now,
        fieldsType: 'FieldsV1',
        fieldsV1: {},
        ...(writer.subresource ? { subresource: writer.subresource } : {}),
      },
      paths: new Set(),
    };
    list.push(mine);
  }
  mine.entry = { ...mine.entry, time: writer.now, apiVersion: writer.apiVersion };
  return mine;
}

export interface Writer {
  manager: string;
  apiVersion: string;
  subresource?: string;
  now: string;
}

/** Records an Update operation: the writer now owns every leaf it changed; nobody else does. */
export function recordUpdate(
  previous: KubeObject | undefined,
  next: KubeObject,
  schema: JSONSchemaProps | undefined,
  writer: Writer,
): ManagedFieldsEntry[] | undefined {
  const part = writer.subresource === 'status' ? 'status' : 'main';
  const before = leaves(previous, schema, part);
  const after = leaves(next, schema, part);
  const changed = new Set<string>();
  for (const [path, value] of after)
    if (!before.has(path) || !equal(before.get(path), value)) changed.add(path);
  const removed = [...before.keys()].filter((p) => !after.has(p));
  const list = owners(previous);
  if (changed.size === 0 && removed.length === 0) return previous?.metadata.managedFields;
  for (const o of list) {
    for (const p of [...changed, ...removed]) o.paths.delete(p);
  }
  const mine = ownEntry(list, writer, 'Update');
  for (const p of changed) mine.paths.add(p);
  return render(list);
}

function navigate(object: Record<string, unknown>, segments: Segment[]): void {
  // Removes the leaf at `segments` from `object` (in place on a private copy).
  let node: unknown = object;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] ?? '';
    const last = i === segments.length - 1;
    if (segment === '.') return;
    if (segment.startsWith('f:')) {
      if (!isPlainObject(node)) return;
      const key = segment.slice(2);
      if (last) delete node[key];
      else node = node[key];
    } else if (segment.startsWith('k:') && Array.isArray(node)) {
      const key = JSON.parse(segment.slice(2)) as Record<string, unknown>;
      const at = node.findIndex(
        (item) => isPlainObject(item) && Object.entries(key).every(([k, v]) => equal(item[k], v)),
      );
      if (at < 0) return;
      if (last || segments[i + 1] === '.') {
        node.splice(at, 1);
        return;
      }
      node = node[at];
    } else if (segment.startsWith('v:') && Array.isArray(node)) {
      const value = JSON.parse(segment.slice(2)) as unknown;
      const at = node.findIndex((item) => equal(item, value));
      if (at >= 0) node.splice(at, 1);
      return;
    } else return;
  }
}

/** Merges an applied configuration into an object: maps recursively, map-lists by key, sets as unions. */
export function mergeApplied(
  live: unknown,
  applied: unknown,
  schema: JSONSchemaProps | undefined,
): unknown {
  if (Array.isArray(applied)) {
    const listType = schema?.['x-kubernetes-list-type'];
    if (!Array.isArray(live)) return cloneJson(applied);
    if (listType === 'set') {
      const out = [...live];
      for (const item of applied) if (!out.some((o) => equal(o, item))) out.push(item);
      return out;
    }
    if (listType === 'map') {
      const out = [...live];
      for (const item of applied) {
        const key = listKey(schema, item);
        const at = out.findIndex((o) => listKey(schema, o) === key);
        if (at >= 0) out[at] = mergeApplied(out[at], item, schema?.items);
        else out.push(cloneJson(item));
      }
      return out;
    }
    return cloneJson(applied);
  }
  if (isPlainObject(applied) && schema?.['x-kubernetes-map-type'] !== 'atomic') {
    const out: Record<string, unknown> = isPlainObject(live) ? { ...live } : {};
    for (const [key, value] of Object.entries(applied)) {
      out[key] = mergeApplied(out[key], value, childSchema(schema, key));
    }
    return out;
  }
  return cloneJson(applied);
}

/**
 * Server-side apply of `applied` by `writer.manager` onto `live` (undefined: create). Returns the new
 * object (managedFields included) or throws a 409 listing the conflicting fields unless `force`.
 */
export function serverSideApply(
  live: KubeObject | undefined,
  applied: KubeObject,
  schema: JSONSchemaProps | undefined,
  writer: Writer,
  force: boolean,
): KubeObject {
  const part = writer.subresource === 'status' ? 'status' : 'main';
  const wanted = leaves(applied, schema, part);
  const current = leaves(live, schema, part);
  const list = owners(live);
  const conflicts: { manager: string; path: string }[] = [];
  for (const [path, value] of wanted) {
    if (!current.has(path) || equal(current.get(path), value)) continue;
    for (const o of list) {
      if (sameEntry(o.entry, writer.manager, 'Apply', writer.subresource)) continue;
      if (o.paths.has(path)) {
        if (force) o.paths.delete(path);
        else conflicts.push({ manager: o.entry.manager, path });
      }
    }
  }
  if (conflicts.length > 0) {
    const lines = conflicts.map((c) => `conflict with "${c.manager}": ${describePath(c.path)}`);
    const message =
      conflicts.length === 1
        ? `Apply failed with 1 conflict: ${lines[0]}`
        : `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
    throw new ApiError(409, 'Conflict', message, {
      causes: conflicts.map((c) => ({
        reason: 'FieldManagerConflict',
        message: `conflict with "${c.manager}"`,
        field: describePath(c.path),
      })),
    });
  }
  const previousApply = list.find((o) =>
    sameEntry(o.entry, writer.manager, 'Apply', writer.subresource),
  );
  const result = cloneJson(live ?? { metadata: {} }) as KubeObject;
  if (previousApply) {
    for (const path of previousApply.paths) {
      if (wanted.has(path)) continue;
      if (list.some((o) => o !== previousApply && o.paths.has(path))) continue;
      navigate(result as Record<string, unknown>, JSON.parse(path) as Segment[]);
    }
  }
  const merged = mergeApplied(result, stripIdentity(applied, part), schema) as KubeObject;
  ownEntry(list, writer, 'Apply').paths = new Set(wanted.keys());
  const managedFields = render(list);
  merged.metadata = { ...merged.metadata };
  if (managedFields) merged.metadata.managedFields = managedFields;
  else delete merged.metadata.managedFields;
  return merged;
}

function stripIdentity(applied: KubeObject, part: 'main' | 'status'): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(applied)) {
    if (k === 'metadata' && isPlainObject(v)) {
      const meta: Record<string, unknown> = {};
      for (const [mk, mv] of Object.entries(v)) {
        if (
          !IGNORED_METADATA.has(mk) ||
          mk === 'name' ||
          mk === 'namespace' ||
          mk === 'generateName'
        ) {
          meta[mk] = mv;
        }
      }
      out[k] = meta;
    } else if ((part === 'status') === (k === 'status') || k === 'apiVersion' || k === 'kind') {
      out[k] = v;
    }
  }
  return out;
}
