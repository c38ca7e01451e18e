import { compareStrings } from './order';
import type { PlanError } from './plan';
import { exceedsLimit, type ChangeLimit, type McmDiff, type PreviewResult } from './plan-diff';

/**
 * What `plan --diff` prints (JSON/YAML): exactly these keys. A stable schema, documented in the README:
 * fields may be added, never renamed or removed.
 */
export interface PlanDiffDocument {
  /** whether applying the MCMs would change any ManifestWork */
  changed: boolean;
  /** distinct clusters that gain, lose or change a ManifestWork, over all MCMs */
  changedClusters: number;
  /** ManagedClusters on the hub */
  fleetClusters: number;
  /** present with --max-changed-clusters */
  limit?: { maxChangedClusters: string; exceeded: boolean };
  /** one per valid MCM, sorted by name */
  mcms: McmDiff[];
  /** validation errors of the edited MCMs (those MCMs are not compared: the controller would leave them) */
  errors: PlanError[];
}

export function planDiffDocument(
  results: readonly PreviewResult[],
  fleetClusters: number,
  limit?: { text: string; limit: ChangeLimit },
): PlanDiffDocument {
  const mcms: McmDiff[] = [];
  const errors: PlanError[] = [];
  for (const r of results) {
    if ('diff' in r) mcms.push(r.diff);
    else errors.push(...r.errors);
  }
  mcms.sort((a, b) => compareStrings(a.mcm, b.mcm));
  const changed = new Set(mcms.flatMap((m) => m.changedClusters));
  const doc: PlanDiffDocument = {
    changed: changed.size > 0,
    changedClusters: changed.size,
    fleetClusters,
    mcms,
    errors,
  };
  if (limit)
    doc.limit = {
      maxChangedClusters: limit.text,
      exceeded: exceedsLimit(changed.size, fleetClusters, limit.limit),
    };
  return doc;
}
