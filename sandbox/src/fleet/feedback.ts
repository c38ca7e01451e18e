// Status feedback as OCM's work agent reads it (pkg/work/spoke/statusfeedback): each JSONPaths rule is a
// Kubernetes JSONPath over the applied object; missing values are skipped, scalars become typed values, and
// anything else is an error (the agent's RawFeedbackJsonString gate, off by default, is not simulated).

import { JSONPath } from 'jsonpath-plus';
import type { FieldValue, ManifestConfigOption } from 'kmm-hub-controller/model';
import type { ConditionInput } from './conditions';

export interface FeedbackValue {
  name: string;
  fieldValue: FieldValue;
}

export interface FeedbackResult {
  values: FeedbackValue[];
  /** the manifest's `StatusFeedbackSynced` condition */
  condition: ConditionInput;
}

function valueAt(name: string, path: string, object: unknown): FeedbackValue | undefined {
  // Kubernetes JSONPath is written relative to the object (`.status.x`); jsonpath-plus wants the root `$`.
  let results: unknown[];
  try {
    results = JSONPath({ path: `$${path}`, json: object as object, wrap: true }) as unknown[];
  } catch (err) {
    throw new Error(
      `failed to parse json path ${path} of ${name} with error: ${(err as Error).message}`,
    );
  }
  if (results.length === 0) return undefined;
  const value = results.length === 1 ? results[0] : results;
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'number' && Number.isInteger(value)) {
    return { name, fieldValue: { type: 'Integer', integer: value } };
  }
  if (typeof value === 'string') return { name, fieldValue: { type: 'String', string: value } };
  if (typeof value === 'boolean') return { name, fieldValue: { type: 'Boolean', boolean: value } };
  const goType =
    typeof value === 'number'
      ? 'float64'
      : Array.isArray(value)
        ? '[]interface {}'
        : 'map[string]interface {}';
  throw new Error(`the type ${goType} of the value for ${name} is not found`);
}

/** The feedback values and StatusFeedbackSynced condition for one applied object and its manifestConfig. */
export function readFeedback(
  object: unknown,
  config: ManifestConfigOption | undefined,
): FeedbackResult {
  const rules = config?.feedbackRules ?? [];
  if (rules.length === 0) {
    return {
      values: [],
      condition: { type: 'StatusFeedbackSynced', status: 'True', reason: 'NoStatusFeedbackSynced' },
    };
  }
  const values: FeedbackValue[] = [];
  const errors: string[] = [];
  for (const rule of rules) {
    if (rule.type !== 'JSONPaths') {
      // WellKnownStatus covers Deployments, Jobs, Pods...; none of them is a kind the sandbox spokes run.
      errors.push(`cannot find the wellknown statuses for resource`);
      continue;
    }
    for (const { name, path } of rule.jsonPaths ?? []) {
      try {
        const value = valueAt(name, path, object);
        if (value) values.push(value);
      } catch (err) {
        errors.push((err as Error).message);
      }
    }
  }
  if (errors.length > 0) {
    const aggregate = errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`;
    return {
      values,
      condition: {
        type: 'StatusFeedbackSynced',
        status: 'False',
        reason: 'StatusFeedbackSyncFailed',
        message: `Sync status feedback failed with error ${aggregate}`,
      },
    };
  }
  return {
    values,
    condition: { type: 'StatusFeedbackSynced', status: 'True', reason: 'StatusFeedbackSynced' },
  };
}
