import { parse } from '@marcbachmann/cel-js';
import type { JSONSchemaProps, ValidationRule } from './types';

type Compiled = ReturnType<typeof parse>;

const compiled = new Map<string, Compiled>();

function compile(rule: string): Compiled {
  let program = compiled.get(rule);
  if (!program) {
    program = parse(rule);
    compiled.set(rule, program);
  }
  return program;
}

/**
 * CEL distinguishes int from double; JSON does not. kube-apiserver types `self` from the schema, so
 * integer fields become CEL ints (BigInt in cel-js) and everything else keeps its JSON type.
 */
export function toCelValue(schema: JSONSchemaProps | undefined, value: unknown): unknown {
  if (value === null || value === undefined || !schema) return value;
  if (typeof value === 'number') {
    return schema.type === 'integer' || schema['x-kubernetes-int-or-string']
      ? BigInt(Math.trunc(value))
      : value;
  }
  if (Array.isArray(value)) return value.map((item) => toCelValue(schema.items, item));
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    const extra =
      typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      out[key] = toCelValue(schema.properties?.[key] ?? extra, item);
    }
    return out;
  }
  return value;
}

/** The outcome of one rule on one value: undefined when it holds, else the message to report. */
export function checkRule(
  rule: ValidationRule,
  schema: JSONSchemaProps,
  value: unknown,
): string | undefined {
  let result: unknown;
  try {
    result = compile(rule.rule)({ self: toCelValue(schema, value) });
  } catch (error) {
    const first = (error as Error).message.split('\n')[0] ?? '';
    return `${first} evaluating rule: ${rule.rule}`;
  }
  if (result === true) return undefined;
  return rule.message ?? `failed rule: ${rule.rule}`;
}
