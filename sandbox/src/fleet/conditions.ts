// metav1.Condition bookkeeping as apimachinery's meta.SetStatusCondition does it: a condition keeps its
// lastTransitionTime unless its status changes, so repeated syncs do not churn the hub.

import type { Condition } from 'kmm-hub-controller/model';

/** A condition as the Go agents serialize it: `message` is never omitted (the OCM CRDs require it). */
export interface FullCondition extends Condition {
  message: string;
  reason: string;
  lastTransitionTime: string;
}

export type ConditionInput = Omit<FullCondition, 'lastTransitionTime' | 'message'> & {
  message?: string;
};

/** Returns a copy of `conditions` with `update` set; `now` is used only if the status changes. */
export function setCondition(
  conditions: readonly FullCondition[] | undefined,
  update: ConditionInput,
  now: string,
): FullCondition[] {
  const list = [...(conditions ?? [])];
  const i = list.findIndex((c) => c.type === update.type);
  const existing = i >= 0 ? list[i] : undefined;
  const next: FullCondition = {
    ...update,
    message: update.message ?? '',
    lastTransitionTime:
      existing && existing.status === update.status ? existing.lastTransitionTime : now,
  };
  if (existing) list[i] = next;
  else list.push(next);
  return list;
}

export function findCondition(
  conditions: readonly Condition[] | undefined,
  type: string,
): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

/** RFC 3339 with second precision, as metav1.Time serializes. */
export function timestamp(date: Date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
