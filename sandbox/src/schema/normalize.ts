import { cloneJson } from 'kmm-hub-controller/model';
import { child, index } from './field-errors';
import { OBJECT_META_FIELDS } from './prune';
import type { JSONSchemaProps } from './types';

/*
 * One pass doing what kube-apiserver does to a custom resource before validation: drop `null`s of fields
 * that are neither nullable nor defaulted, prune unknown fields, apply defaults (top-down, defaults of
 * defaulted objects too). Same result as dropNonNullableNulls → prune → applyDefaults, with one copy of
 * the tree instead of three (it runs on every write the server takes).
 */

function copyMetadata(path: string, value: unknown, unknown: string[]): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    if (OBJECT_META_FIELDS.has(key)) out[key] = cloneJson(item);
    else unknown.push(child(path, key));
  }
  return out;
}

function normalizeValue(
  schema: JSONSchemaProps,
  path: string,
  value: unknown,
  unknown: string[],
  isRoot: boolean,
): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const items = schema.items;
    return value.map((item, i) =>
      items ? normalizeValue(items, index(path, i), item, unknown, false) : cloneJson(item),
    );
  }
  const embedded = isRoot || schema['x-kubernetes-embedded-resource'] === true;
  const preserve =
    schema['x-kubernetes-preserve-unknown-fields'] === true || schema.additionalProperties === true;
  const extra =
    typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    const itemPath = child(path, key);
    if (embedded && (key === 'apiVersion' || key === 'kind')) {
      out[key] = item;
      continue;
    }
    if (embedded && key === 'metadata') {
      out[key] = copyMetadata(itemPath, item, unknown);
      continue;
    }
    const propertySchema = schema.properties?.[key] ?? extra;
    if (propertySchema) {
      if (item === null && !propertySchema.nullable) continue; // defaulted below if it has a default
      out[key] = normalizeValue(propertySchema, itemPath, item, unknown, false);
    } else if (preserve) {
      out[key] = cloneJson(item);
    } else {
      unknown.push(itemPath);
    }
  }
  for (const [name, propertySchema] of Object.entries(schema.properties ?? {})) {
    if (out[name] === undefined && propertySchema.default !== undefined) {
      const defaulted = cloneJson(propertySchema.default);
      out[name] = normalizeValue(propertySchema, child(path, name), defaulted, [], false);
    }
  }
  return out;
}

/**
 * Drops non-nullable nulls, prunes unknown fields and applies defaults, in kube-apiserver's order, in
 * one pass. Pure: returns a new tree (sharing nothing with the input) and the pruned paths.
 */
export function normalize(
  schema: JSONSchemaProps,
  value: unknown,
): { value: unknown; unknownFields: string[] } {
  const unknownFields: string[] = [];
  return { value: normalizeValue(schema, '', value, unknownFields, true), unknownFields };
}
