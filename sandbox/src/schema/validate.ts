import { checkRule } from './cel';
import * as fe from './field-errors';
import type { FieldError, JSONSchemaProps } from './types';

export interface ValidateOptions {
  /**
   * Skip the root `metadata` property: kube-apiserver validates a custom resource's metadata as ObjectMeta
   * (see validateObjectMeta in the server), not against the CRD schema.
   */
  skipRootMetadata?: boolean;
}

/** The JSON type name kube-openapi reports for a value (`must be of type integer: "string"`). */
export function jsonType(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

const patterns = new Map<string, RegExp>();
function regexp(pattern: string): RegExp {
  let re = patterns.get(pattern);
  if (!re) {
    re = new RegExp(pattern, 'u');
    patterns.set(pattern, re);
  }
  return re;
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function matchesType(type: string, value: unknown): boolean {
  switch (type) {
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'array':
      return Array.isArray(value);
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    default:
      return true;
  }
}

/** A stable text key for set/map list uniqueness. */
function stableKey(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableKey).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableKey((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

function validateFormat(schema: JSONSchemaProps, path: string, value: string): FieldError[] {
  const format = schema.format;
  const bad =
    (format === 'date-time' && !DATE_TIME.test(value)) ||
    (format === 'byte' && !BASE64.test(value));
  if (!bad) return [];
  return [
    fe.invalid(path, value, `${path} in body must be of type ${format}: ${JSON.stringify(value)}`),
  ];
}

function validateString(schema: JSONSchemaProps, path: string, value: string): FieldError[] {
  const errors: FieldError[] = [];
  const length = [...value].length;
  if (schema.maxLength !== undefined && length > schema.maxLength) {
    errors.push(fe.tooLong(path, schema.maxLength));
  }
  if (schema.minLength !== undefined && length < schema.minLength) {
    errors.push(
      fe.invalid(path, value, `${path} in body should be at least ${schema.minLength} chars long`),
    );
  }
  if (schema.pattern !== undefined && !regexp(schema.pattern).test(value)) {
    errors.push(fe.invalid(path, value, `${path} in body should match '${schema.pattern}'`));
  }
  errors.push(...validateFormat(schema, path, value));
  return errors;
}

function validateNumber(schema: JSONSchemaProps, path: string, value: number): FieldError[] {
  const errors: FieldError[] = [];
  if (schema.minimum !== undefined) {
    const fails = schema.exclusiveMinimum ? value <= schema.minimum : value < schema.minimum;
    if (fails) {
      const words = schema.exclusiveMinimum ? 'greater than' : 'greater than or equal to';
      errors.push(fe.invalid(path, value, `${path} in body should be ${words} ${schema.minimum}`));
    }
  }
  if (schema.maximum !== undefined) {
    const fails = schema.exclusiveMaximum ? value >= schema.maximum : value > schema.maximum;
    if (fails) {
      const words = schema.exclusiveMaximum ? 'less than' : 'less than or equal to';
      errors.push(fe.invalid(path, value, `${path} in body should be ${words} ${schema.maximum}`));
    }
  }
  if (schema.multipleOf !== undefined && value % schema.multipleOf !== 0) {
    errors.push(
      fe.invalid(path, value, `${path} in body should be a multiple of ${schema.multipleOf}`),
    );
  }
  return errors;
}

function validateArray(
  schema: JSONSchemaProps,
  path: string,
  value: unknown[],
  options: ValidateOptions,
): FieldError[] {
  const errors: FieldError[] = [];
  if (schema.minItems !== undefined && value.length < schema.minItems) {
    errors.push(
      fe.invalid(
        path,
        value.length,
        `${path} in body should have at least ${schema.minItems} items`,
      ),
    );
  }
  if (schema.maxItems !== undefined && value.length > schema.maxItems) {
    errors.push(fe.tooMany(path, value.length, schema.maxItems));
  }
  const listType = schema['x-kubernetes-list-type'];
  if (listType === 'set' || listType === 'map' || schema.uniqueItems) {
    const keys = schema['x-kubernetes-list-map-keys'];
    const seen = new Set<string>();
    value.forEach((item, i) => {
      let keyValue: unknown = item;
      if (listType === 'map' && keys && item && typeof item === 'object') {
        keyValue = Object.fromEntries(
          keys.map((k) => [k, (item as Record<string, unknown>)[k]] as const),
        );
      }
      const key = stableKey(keyValue);
      if (seen.has(key)) errors.push(fe.duplicate(fe.index(path, i), keyValue));
      seen.add(key);
    });
  }
  if (schema.items) {
    const items = schema.items;
    value.forEach((item, i) => {
      errors.push(...validateValue(items, fe.index(path, i), item, options, false));
    });
  }
  return errors;
}

function validateObject(
  schema: JSONSchemaProps,
  path: string,
  value: Record<string, unknown>,
  options: ValidateOptions,
  isRoot: boolean,
): FieldError[] {
  const errors: FieldError[] = [];
  for (const name of schema.required ?? []) {
    if (value[name] === undefined) errors.push(fe.required(fe.child(path, name)));
  }
  const count = Object.keys(value).length;
  if (schema.minProperties !== undefined && count < schema.minProperties) {
    errors.push(
      fe.invalid(
        path,
        count,
        `${path} in body should have at least ${schema.minProperties} properties`,
      ),
    );
  }
  if (schema.maxProperties !== undefined && count > schema.maxProperties) {
    errors.push(fe.tooMany(path, count, schema.maxProperties));
  }
  if (schema['x-kubernetes-embedded-resource']) {
    for (const name of ['apiVersion', 'kind']) {
      if (!value[name]) errors.push(fe.required(fe.child(path, name), 'must not be empty'));
    }
  }
  const extra =
    typeof schema.additionalProperties === 'object' ? schema.additionalProperties : null;
  for (const [name, item] of Object.entries(value)) {
    if (item === undefined) continue;
    if (isRoot && options.skipRootMetadata && name === 'metadata') continue;
    const propertySchema = schema.properties?.[name] ?? extra;
    if (propertySchema) {
      errors.push(...validateValue(propertySchema, fe.child(path, name), item, options, false));
    }
  }
  return errors;
}

function validateCombinators(
  schema: JSONSchemaProps,
  path: string,
  value: unknown,
  options: ValidateOptions,
): FieldError[] {
  // int-or-string's anyOf is checked by validateValue; most schemas have no other combinator, so return
  // before allocating anything (this runs for every value).
  const anyOf = schema['x-kubernetes-int-or-string'] ? undefined : schema.anyOf;
  if (!schema.allOf && !anyOf && !schema.oneOf && !schema.not) return [];
  const errors: FieldError[] = [];
  const passes = (s: JSONSchemaProps) => validateValue(s, path, value, options, false).length === 0;
  for (const s of schema.allOf ?? []) errors.push(...validateValue(s, path, value, options, false));
  if (anyOf && !anyOf.some(passes)) {
    errors.push(
      fe.invalid(path, value, `${path} in body must validate at least one schema (anyOf)`),
    );
  }
  if (schema.oneOf && schema.oneOf.filter(passes).length !== 1) {
    errors.push(
      fe.invalid(path, value, `${path} in body must validate one and only one schema (oneOf)`),
    );
  }
  if (schema.not && passes(schema.not)) {
    errors.push(fe.invalid(path, value, `${path} in body must not validate the schema (not)`));
  }
  return errors;
}

function validateValue(
  schema: JSONSchemaProps,
  path: string,
  value: unknown,
  options: ValidateOptions,
  isRoot: boolean,
): FieldError[] {
  const name = path || '<root>';
  if (value === null) {
    if (schema.nullable || (!schema.type && !schema['x-kubernetes-int-or-string'])) return [];
    const type = schema.type ?? 'integer,string';
    return [fe.typeInvalid(path, 'null', `${name} in body must be of type ${type}: "null"`)];
  }
  if (schema['x-kubernetes-int-or-string']) {
    if (!matchesType('integer', value) && typeof value !== 'string') {
      const actual = jsonType(value);
      return [
        fe.typeInvalid(path, actual, `${name} in body must be of type integer,string: "${actual}"`),
      ];
    }
  } else if (schema.type && !matchesType(schema.type, value)) {
    const actual = jsonType(value);
    return [
      fe.typeInvalid(path, actual, `${name} in body must be of type ${schema.type}: "${actual}"`),
    ];
  }
  const errors: FieldError[] = [];
  if (schema.enum && !schema.enum.some((allowed) => stableKey(allowed) === stableKey(value))) {
    errors.push(fe.notSupported(path, value, schema.enum));
  }
  if (typeof value === 'string') errors.push(...validateString(schema, path, value));
  else if (typeof value === 'number') errors.push(...validateNumber(schema, path, value));
  else if (Array.isArray(value)) errors.push(...validateArray(schema, path, value, options));
  else if (typeof value === 'object') {
    errors.push(...validateObject(schema, path, value as Record<string, unknown>, options, isRoot));
  }
  errors.push(...validateCombinators(schema, path, value, options));
  // kube-apiserver evaluates CEL rules only on values whose structural validation passed.
  if (errors.length === 0) {
    for (const rule of schema['x-kubernetes-validations'] ?? []) {
      const message = checkRule(rule, schema, value);
      if (message !== undefined) {
        const rulePath = rule.fieldPath ? `${path}${rule.fieldPath}` : path;
        errors.push(fe.invalid(rulePath, schema.type ?? jsonType(value), message));
      }
    }
  }
  return errors;
}

/**
 * Validates `value` against a structural schema and returns every problem, each with its field path and
 * kube-apiserver's wording, e.g. `spec.moduleLoader.container.kernelMappings: Invalid value: 0:
 * spec.moduleLoader.container.kernelMappings in body should have at least 1 items`. Pure; never throws on
 * bad input. `path` prefixes every field (validate a nested object with its path in the whole object).
 */
export function validate(
  schema: JSONSchemaProps,
  value: unknown,
  options: ValidateOptions = {},
  path = '',
): FieldError[] {
  return validateValue(schema, path, value, options, path === '');
}
