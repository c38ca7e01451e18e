import { cloneJson } from 'kmm-hub-controller/model';
import { child, index } from './field-errors';
import type { JSONSchemaProps } from './types';

/** ObjectMeta's fields: what survives in `metadata` of a custom resource or an embedded resource. */
export const OBJECT_META_FIELDS = new Set([
  'name',
  'generateName',
  'namespace',
  'selfLink',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'managedFields',
]);

export interface PruneResult {
  /** A copy of the input without the fields the schema does not know. */
  value: unknown;
  /** The paths of the removed fields (`spec.foo`, `spec.items[0].bar`), for `fieldValidation=Strict|Warn`. */
  unknownFields: string[];
}

function pruneMetadata(path: string, value: unknown, unknown: string[]): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    if (OBJECT_META_FIELDS.has(key)) out[key] = item;
    else unknown.push(child(path, key));
  }
  return out;
}

function pruneValue(
  schema: JSONSchemaProps | undefined,
  path: string,
  value: unknown,
  unknown: string[],
  isRoot: boolean,
): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (!schema) return cloneJson(value);
  if (Array.isArray(value)) {
    return value.map((item, i) => pruneValue(schema.items, index(path, i), item, unknown, false));
  }
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  const embedded = schema['x-kubernetes-embedded-resource'] === true;
  const extra =
    typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
  const anyExtra = schema.additionalProperties === true;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    const itemPath = child(path, key);
    if ((isRoot || embedded) && (key === 'apiVersion' || key === 'kind')) {
      out[key] = item;
    } else if ((isRoot || embedded) && key === 'metadata') {
      out[key] = pruneMetadata(itemPath, item, unknown);
    } else if (schema.properties?.[key]) {
      out[key] = pruneValue(schema.properties[key], itemPath, item, unknown, false);
    } else if (extra) {
      out[key] = pruneValue(extra, itemPath, item, unknown, false);
    } else if (preserve || anyExtra) {
      out[key] = cloneJson(item);
    } else {
      unknown.push(itemPath);
    }
  }
  return out;
}

/**
 * Drops every field the structural schema does not specify (unless `x-kubernetes-preserve-unknown-fields`),
 * as kube-apiserver prunes custom resources. At the root (and in embedded resources) `apiVersion`, `kind`
 * and the ObjectMeta fields of `metadata` are kept. Pure: returns a copy and the removed paths.
 */
export function prune(schema: JSONSchemaProps, value: unknown): PruneResult {
  const unknownFields: string[] = [];
  const pruned = pruneValue(schema, '', value, unknownFields, true);
  return { value: pruned, unknownFields };
}
