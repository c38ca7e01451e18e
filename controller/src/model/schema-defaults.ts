import { cloneJson, isPlainObject } from './json';

/** The parts of a CRD's structural schema (openAPIV3Schema) that defaulting reads. */
export interface DefaultingSchema {
  default?: unknown;
  nullable?: boolean;
  properties?: Record<string, DefaultingSchema>;
  items?: DefaultingSchema;
  additionalProperties?: DefaultingSchema | boolean;
}

/**
 * `value` as the API server stores it: every absent field with a schema `default` filled in (and a `null` one
 * that is not `nullable`), top-down, so that the defaults of a defaulted object apply too; what kube-apiserver's
 * structural defaulting does. A preview compares an edited object read from a file with objects the hub
 * stored: without its defaults, every defaulted field would look changed. Pure; `value` is not modified.
 */
export function applySchemaDefaults<T>(schema: DefaultingSchema | undefined, value: T): T {
  return withDefaults(schema, value) as T;
}

function withDefaults(schema: DefaultingSchema | undefined, value: unknown): unknown {
  if (!schema || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => withDefaults(schema.items, item));
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  const properties = schema.properties ?? {};
  for (const name of Object.keys(properties)) {
    const p = properties[name] as DefaultingSchema;
    const current = out[name];
    if ((current === undefined || (current === null && !p.nullable)) && p.default !== undefined)
      out[name] = cloneJson(p.default);
    if (out[name] !== undefined) out[name] = withDefaults(p, out[name]);
  }
  const extra = isPlainObject(schema.additionalProperties)
    ? (schema.additionalProperties as DefaultingSchema)
    : undefined;
  if (extra)
    for (const name of Object.keys(out))
      if (!(name in properties)) out[name] = withDefaults(extra, out[name]);
  return out;
}
