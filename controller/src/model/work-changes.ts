import type { ManifestWork } from './types';
import { manifestWorkDiff, updatedManifestWork, type OwnedWorkPart } from './workmatch';

export interface WorkUpdate {
  current: ManifestWork;
  /** the model's updatedManifestWork: current with kmm-hub's parts from desired (resourceVersion kept) */
  body: ManifestWork;
  parts: OwnedWorkPart[];
}

/** The minimal writes that turn an MCM's current ManifestWorks into the desired ones. */
export interface WorkChanges {
  create: ManifestWork[];
  update: WorkUpdate[];
  delete: ManifestWork[];
}

/**
 * Compares desired (the plan's complete set) with current (every ManifestWork carrying the MCM's label): a
 * desired work that does not exist is created; one that exists is updated only when the parts kmm-hub owns
 * differ (the model's manifestWorkDiff, which allows for the API server's defaults), with the model's
 * updatedManifestWork as the body (both define what kmm-hub owns in one place); every labelled work not
 * desired (cluster no longer selected, or a stray name) is deleted. Works being deleted are left alone.
 */
export function workChanges(
  desired: readonly ManifestWork[],
  current: readonly ManifestWork[],
): WorkChanges {
  const currentByKey = new Map(current.map((w) => [workKey(w), w]));
  const out: WorkChanges = { create: [], update: [], delete: [] };
  const wanted = new Set<string>();
  for (const d of desired) {
    const key = workKey(d);
    wanted.add(key);
    const c = currentByKey.get(key);
    if (!c) {
      out.create.push(d);
      continue;
    }
    if (c.metadata.deletionTimestamp) continue;
    const parts = manifestWorkDiff(c, d);
    if (parts.length > 0) out.update.push({ current: c, body: updatedManifestWork(c, d), parts });
  }
  for (const c of current) {
    if (!wanted.has(workKey(c)) && !c.metadata.deletionTimestamp) out.delete.push(c);
  }
  return out;
}

function workKey(work: ManifestWork): string {
  return `${work.metadata.namespace ?? ''}/${work.metadata.name ?? ''}`;
}
