import { badRequest } from './errors';
import type { KubeObject } from './types';

type Requirement =
  | { key: string; op: 'eq' | 'neq'; values: [string] }
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | 'notexists'; values: [] };

/** A parsed label selector: every requirement must hold. */
export interface LabelSelector {
  requirements: Requirement[];
  /** `key=value` pairs a label index can answer directly. */
  equalities: [string, string][];
}

const KEY =
  /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?\/)?[a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?$/;

/** Splits on commas that are not inside `( )`. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

function checkKey(key: string, selector: string): string {
  if (!KEY.test(key)) {
    throw badRequest(`unable to parse requirement: invalid label key "${key}" in "${selector}"`);
  }
  return key;
}

/** Parses equality-based (`a=b`, `a==b`, `a!=b`) and set-based (`a in (x,y)`, `a notin (x)`, `a`, `!a`). */
export function parseLabelSelector(text: string | null | undefined): LabelSelector | undefined {
  if (!text) return undefined;
  const requirements: Requirement[] = [];
  for (const part of splitTopLevel(text)) {
    const set = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(part);
    if (set) {
      const values = (set[3] ?? '')
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v !== '');
      requirements.push({
        key: checkKey(set[1] ?? '', text),
        op: set[2] as 'in' | 'notin',
        values,
      });
      continue;
    }
    const eq = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(part);
    if (eq) {
      requirements.push({
        key: checkKey(eq[1] ?? '', text),
        op: eq[2] === '!=' ? 'neq' : 'eq',
        values: [eq[3] ?? ''],
      });
      continue;
    }
    const exists = /^(!?)\s*([^=!\s()]+)$/.exec(part);
    if (exists) {
      requirements.push({
        key: checkKey(exists[2] ?? '', text),
        op: exists[1] ? 'notexists' : 'exists',
        values: [],
      });
      continue;
    }
    throw badRequest(
      `unable to parse requirement: found '${part}', expected: in, notin, =, ==, !=`,
    );
  }
  const equalities = requirements
    .filter((r) => r.op === 'eq')
    .map((r) => [r.key, r.values[0] ?? ''] as [string, string]);
  return { requirements, equalities };
}

export function matchesLabels(
  selector: LabelSelector | undefined,
  labels: Record<string, string> | undefined,
): boolean {
  if (!selector) return true;
  const l = labels ?? {};
  return selector.requirements.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    const value = l[r.key];
    switch (r.op) {
      case 'eq':
        return has && value === r.values[0];
      case 'neq':
        return !has || value !== r.values[0];
      case 'in':
        return has && r.values.includes(value ?? '');
      case 'notin':
        return !has || !r.values.includes(value ?? '');
      case 'exists':
        return has;
      case 'notexists':
        return !has;
    }
  });
}

export interface FieldRequirement {
  field: string;
  negate: boolean;
  value: string;
}

export interface FieldSelector {
  requirements: FieldRequirement[];
  /** The `metadata.name=` value, when there is one (a direct lookup). */
  name?: string;
  /** The `metadata.namespace=` value, when there is one. */
  namespace?: string;
}

/**
 * Parses `metadata.name=x,metadata.namespace!=y`; any field other than `metadata.name`,
 * `metadata.namespace` and the type's own `extraFields` is a 400, as kube-apiserver answers.
 */
export function parseFieldSelector(
  text: string | null | undefined,
  extraFields: readonly string[] = [],
): FieldSelector | undefined {
  if (!text) return undefined;
  const requirements: FieldRequirement[] = [];
  const selector: FieldSelector = { requirements };
  for (const part of splitTopLevel(text)) {
    const m = /^([^=!\s]+)\s*(==|=|!=)\s*(.*)$/.exec(part);
    if (!m) throw badRequest(`invalid selector: '${text}'; can't understand '${part}'`);
    const field = m[1] ?? '';
    if (
      field !== 'metadata.name' &&
      field !== 'metadata.namespace' &&
      !extraFields.includes(field)
    ) {
      throw badRequest(`field label not supported: ${field}`);
    }
    const requirement = { field, negate: m[2] === '!=', value: m[3] ?? '' };
    requirements.push(requirement);
    if (!requirement.negate && field === 'metadata.name') selector.name = requirement.value;
    if (!requirement.negate && field === 'metadata.namespace')
      selector.namespace = requirement.value;
  }
  return selector;
}

function fieldValue(object: KubeObject, field: string): string {
  let current: unknown = object;
  for (const part of field.split('.')) {
    if (current === null || typeof current !== 'object') return '';
    current = (current as Record<string, unknown>)[part];
  }
  return current === undefined || current === null ? '' : String(current);
}

export function matchesFields(selector: FieldSelector | undefined, object: KubeObject): boolean {
  if (!selector) return true;
  return selector.requirements.every((r) => (fieldValue(object, r.field) === r.value) !== r.negate);
}
