/**
 * Structural-schema functions of kube-apiserver for custom resources, pure over (schema, object):
 * - `validate(schema, object)` → every problem as a FieldError (`field` + kube-apiserver's `message`);
 * - `applyDefaults(schema, object)` → a copy with `default` values filled in;
 * - `prune(schema, object)` → a copy without unknown fields, plus their paths;
 * - `normalize(schema, object)` → what kube-apiserver stores: nulls dropped, pruned, defaulted.
 * Use `crdSchema(crd, version)` to get a version's `openAPIV3Schema` from a CRD object.
 */
import type { JSONSchemaProps } from './types';

export { validate, jsonType } from './validate';
export type { ValidateOptions } from './validate';
export { applyDefaults, dropNonNullableNulls } from './defaults';
export { prune, OBJECT_META_FIELDS } from './prune';
export { normalize } from './normalize';
export type { PruneResult } from './prune';
export { describe as describeFieldError } from './field-errors';
export type { FieldError, FieldErrorReason, JSONSchemaProps, ValidationRule } from './types';

interface CrdLike {
  spec?: {
    versions?: { name?: string; schema?: { openAPIV3Schema?: JSONSchemaProps } }[];
  };
}

/** The `openAPIV3Schema` of one version of a CRD object, or undefined if that version has none. */
export function crdSchema(crd: CrdLike, version: string): JSONSchemaProps | undefined {
  return crd.spec?.versions?.find((v) => v.name === version)?.schema?.openAPIV3Schema;
}

/** The schema of `key` inside an object schema: its property, else its `additionalProperties` schema. */
export function childSchema(
  schema: JSONSchemaProps | undefined,
  key: string,
): JSONSchemaProps | undefined {
  if (!schema) return undefined;
  if (schema.properties?.[key]) return schema.properties[key];
  return typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
}
