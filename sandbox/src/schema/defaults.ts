import { cloneJson } from 'kmm-hub-controller/model';
import type { JSONSchemaProps } from './types';

function defaultValue(schema: JSONSchemaProps | undefined, value: unknown): unknown {
  if (!schema || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => defaultValue(schema.items, item));
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const [name, propertySchema] of Object.entries(schema.properties ?? {})) {
    const current = out[name];
    const missing = current === undefined || (current === null && !propertySchema.nullable);
    if (missing && propertySchema.default !== undefined) {
      out[name] = cloneJson(propertySchema.default);
    }
    if (out[name] !== undefined) out[name] = defaultValue(propertySchema, out[name]);
  }
  const extra =
    typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
  if (extra) {
    for (const [name, item] of Object.entries(out)) {
      if (!schema.properties?.[name]) out[name] = defaultValue(extra, item);
    }
  }
  return out;
}

/**
 * Fills in `default` values of absent fields (and of `null` ones that are not `nullable`) top-down, as
 * kube-apiserver's structural defaulting does; defaults of a newly defaulted object apply too. Pure.
 */
export function applyDefaults(schema: JSONSchemaProps, value: unknown): unknown {
  return defaultValue(schema, value);
}

/**
 * Removes `null` values of fields that are not `nullable` and have no default (kube-apiserver drops them
 * before defaulting). Pure.
 */
export function dropNonNullableNulls(schema: JSONSchemaProps, value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value))
    return value.map((item) => dropNonNullableNulls(schema.items ?? {}, item));
  const out: Record<string, unknown> = {};
  const extra =
    typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
  for (const [name, item] of Object.entries(value as Record<string, unknown>)) {
    const propertySchema = schema.properties?.[name] ?? extra;
    if (
      item === null &&
      propertySchema &&
      !propertySchema.nullable &&
      propertySchema.default === undefined
    ) {
      continue;
    }
    out[name] = propertySchema ? dropNonNullableNulls(propertySchema, item) : item;
  }
  return out;
}
