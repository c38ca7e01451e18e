import {
  FEEDBACK_COUNTERS,
  FEEDBACK_SECTIONS,
  MODULE_GROUP,
  MODULE_KIND,
  MODULE_RESOURCE,
  WORK_APPLIED_CONDITION,
  WORK_AVAILABLE_CONDITION,
} from './constants';
import { applyFailureCauses } from './failure-causes';
import type { McmCoverage } from './plan';
import type { Condition, FieldValue, ManifestWork } from './types';

export type FeedbackSection = (typeof FEEDBACK_SECTIONS)[number];
export type FeedbackCounter = (typeof FEEDBACK_COUNTERS)[number];
export type ModuleCounters = Record<FeedbackCounter, number>;

/** One ManifestWork as the MCM status and the fleet status tab see it. */
export interface WorkState {
  /** status of the Applied condition; undefined until the work agent reports */
  applied?: Condition['status'];
  /** status of the Available condition; undefined until the work agent reports */
  available?: Condition['status'];
  /** Applied=True and reported for the work's current generation (not for an older spec) */
  appliedCurrent: boolean;
  /**
   * The spoke Module's status counters fed back by the work agent, per section that reported any value.
   * The Module omits zero counters, so within a reported section a missing counter is 0.
   */
  feedback: Partial<Record<FeedbackSection, ModuleCounters>>;
  /** Applied=False, or Available=False, or a section with fewer available than desired */
  degraded: boolean;
  /** why it is degraded, one sentence each: for a failed apply, what the spoke said, explained */
  degradedReasons: string[];
}

export function workState(work: ManifestWork): WorkState {
  const conditions = Array.isArray(work.status?.conditions) ? work.status.conditions : [];
  const applied = conditions.find((c) => c?.type === WORK_APPLIED_CONDITION);
  const available = conditions.find((c) => c?.type === WORK_AVAILABLE_CONDITION);
  const generation = work.metadata?.generation;
  const appliedCurrent =
    applied?.status === 'True' &&
    (applied.observedGeneration === undefined ||
      generation === undefined ||
      applied.observedGeneration >= generation);

  const feedback = moduleFeedback(work);
  const degradedReasons: string[] = [];
  if (applied?.status === 'False') {
    // The spoke's own error, explained, rather than the work's "Failed to apply manifest work".
    const causes = applyFailureCauses(work);
    degradedReasons.push(
      ...(causes.length > 0 ? causes : [conditionReason('not applied', applied)]),
    );
  }
  // What was not applied is not available either: the apply failure is the cause to show, not both.
  if (available?.status === 'False' && applied?.status !== 'False')
    degradedReasons.push(conditionReason('not available', available));
  for (const section of FEEDBACK_SECTIONS) {
    const c = feedback[section];
    if (c && c.availableNumber < c.desiredNumber) {
      degradedReasons.push(
        `${section}: ${c.availableNumber} of ${c.desiredNumber} nodes available`,
      );
    }
  }
  const state: WorkState = {
    appliedCurrent,
    feedback,
    degraded: degradedReasons.length > 0,
    degradedReasons,
  };
  if (applied) state.applied = applied.status;
  if (available) state.available = available.status;
  return state;
}

function conditionReason(what: string, c: Condition): string {
  const detail = [c.reason, c.message].filter(Boolean).join(': ');
  return detail ? `${what} (${detail})` : what;
}

/** The Module feedback values of a ManifestWork, by section (only sections with at least one value). */
export function moduleFeedback(
  work: ManifestWork,
): Partial<Record<FeedbackSection, ModuleCounters>> {
  const manifests = work.status?.resourceStatus?.manifests;
  const module = Array.isArray(manifests)
    ? manifests.find(
        (m) =>
          m?.resourceMeta?.group === MODULE_GROUP &&
          (m.resourceMeta.kind === MODULE_KIND || m.resourceMeta.resource === MODULE_RESOURCE),
      )
    : undefined;
  const values = module?.statusFeedback?.values;
  const out: Partial<Record<FeedbackSection, ModuleCounters>> = {};
  if (!Array.isArray(values)) return out;
  for (const v of values) {
    const [section, counter] = (v?.name ?? '').split('.') as [FeedbackSection, FeedbackCounter];
    if (!FEEDBACK_SECTIONS.includes(section) || !FEEDBACK_COUNTERS.includes(counter)) continue;
    const n = integerOf(v.fieldValue);
    if (n === undefined) continue;
    out[section] ??= { availableNumber: 0, desiredNumber: 0, nodesMatchingSelectorNumber: 0 };
    out[section][counter] = n;
  }
  return out;
}

function integerOf(value: FieldValue | undefined): number | undefined {
  if (value?.type === 'Integer' && typeof value.integer === 'number') return value.integer;
  if (value?.type === 'JsonRaw' && typeof value.jsonRaw === 'string') {
    const n = Number(value.jsonRaw);
    return Number.isInteger(n) ? n : undefined;
  }
  return undefined;
}

export interface McmCounters {
  numberDesired: number;
  numberApplied: number;
  numberDegraded: number;
}

/**
 * The MCM status counters: desired = selected clusters that are eligible (they get a ManifestWork, or wait
 * for an image of a kernel that has a mapping); applied and degraded count the MCM's ManifestWorks in those
 * clusters' namespaces (works of unselected clusters are garbage about to go) by workState (or `stateOf`, a
 * cache of it).
 */
export function mcmCounters(
  plan: McmCoverage,
  works: readonly ManifestWork[],
  stateOf: (work: ManifestWork) => WorkState = workState,
): McmCounters {
  const eligible = new Set(plan.eligibleClusters);
  let numberApplied = 0;
  let numberDegraded = 0;
  for (const w of works) {
    if (w.metadata?.name !== plan.mcm || !eligible.has(w.metadata.namespace ?? '')) continue;
    const s = stateOf(w);
    if (s.appliedCurrent) numberApplied++;
    if (s.degraded) numberDegraded++;
  }
  return { numberDesired: eligible.size, numberApplied, numberDegraded };
}
