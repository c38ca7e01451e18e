import { applyPatch, type Operation } from 'fast-json-patch';
import { cloneJson, isPlainObject } from 'kmm-hub-controller/model';
import { childSchema, type JSONSchemaProps } from '../schema';
import { ApiError, badRequest } from './errors';

type Json = unknown;
type JsonObject = Record<string, unknown>;

/** RFC 7386 JSON merge patch. */
export function mergePatch(target: Json, patch: Json): Json {
  if (!isPlainObject(patch)) return cloneJson(patch);
  const out: JsonObject = isPlainObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

/** RFC 6902 JSON patch; a failed `test` or a bad path is a 422, as kube-apiserver answers. */
export function jsonPatch(target: Json, patch: Json): Json {
  if (!Array.isArray(patch)) {
    throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  }
  try {
    // mutateDocument=false: fast-json-patch works on its own deep copy of the target.
    return applyPatch(target, patch as Operation[], true, false).newDocument;
  } catch (error) {
    // kube-apiserver answers any failure to apply a JSON patch (a failed test, a missing path) with 422.
    const message = (error as Error).message.split('\n')[0] ?? 'json patch failed';
    throw new ApiError(422, 'Invalid', message);
  }
}

function stripDirectives(value: Json): Json {
  if (Array.isArray(value)) return value.map(stripDirectives);
  if (!isPlainObject(value)) return value;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) {
    if (k.startsWith('$')) continue;
    out[k] = stripDirectives(v);
  }
  return out;
}

function mergeList(
  original: unknown[],
  patch: unknown[],
  schema: JSONSchemaProps | undefined,
): unknown[] {
  const strategy = schema?.['x-kubernetes-patch-strategy'] ?? '';
  if (!strategy.split(',').includes('merge')) return patch.map(stripDirectives);
  const mergeKey = schema?.['x-kubernetes-patch-merge-key'];
  if (!mergeKey) {
    const out = [...original];
    for (const item of patch) {
      if (!out.some((o) => JSON.stringify(o) === JSON.stringify(item))) out.push(item);
    }
    return out;
  }
  const out = [...original];
  for (const item of patch) {
    if (!isPlainObject(item)) continue;
    const at = out.findIndex((o) => isPlainObject(o) && o[mergeKey] === item[mergeKey]);
    if (item.$patch === 'delete') {
      if (at >= 0) out.splice(at, 1);
    } else if (at >= 0) {
      out[at] = strategicMergePatch(out[at], item, schema?.items);
    } else {
      out.push(stripDirectives(item));
    }
  }
  return out;
}

/**
 * Strategic merge patch for built-in kinds: maps merge, `null` deletes, lists marked
 * `x-kubernetes-patch-strategy: merge` merge by their `x-kubernetes-patch-merge-key` (or as sets of
 * primitives), other lists are replaced. Directives: `$patch: replace|delete`, `$retainKeys`,
 * `$deleteFromPrimitiveList/<field>`; `$setElementOrder/<field>` is accepted and ignored (order kept).
 */
export function strategicMergePatch(
  original: Json,
  patch: Json,
  schema: JSONSchemaProps | undefined,
): Json {
  if (!isPlainObject(patch)) return cloneJson(patch);
  if (patch.$patch === 'replace') return stripDirectives(patch);
  if (patch.$patch === 'delete') return undefined;
  const out: JsonObject = isPlainObject(original) ? { ...original } : {};
  if (Array.isArray(patch.$retainKeys)) {
    const keep = new Set(patch.$retainKeys as string[]);
    for (const key of Object.keys(out)) if (!keep.has(key)) delete out[key];
  }
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$deleteFromPrimitiveList/')) {
      const field = key.slice('$deleteFromPrimitiveList/'.length);
      const current = out[field];
      if (Array.isArray(current) && Array.isArray(value)) {
        out[field] = current.filter((v) => !value.includes(v));
      }
      continue;
    }
    if (key.startsWith('$')) continue;
    const propertySchema = childSchema(schema, key);
    if (value === null) delete out[key];
    else if (Array.isArray(value)) {
      out[key] = mergeList(
        Array.isArray(out[key]) ? (out[key] as unknown[]) : [],
        value,
        propertySchema,
      );
    } else if (isPlainObject(value)) {
      const merged = strategicMergePatch(out[key], value, propertySchema);
      if (merged === undefined) delete out[key];
      else out[key] = merged;
    } else out[key] = value;
  }
  return out;
}

export const PATCH_TYPES = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
  applyCbor: 'application/apply-patch+cbor',
} as const;
