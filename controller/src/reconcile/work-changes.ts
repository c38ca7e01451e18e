import {
  MCM_KIND,
  MCM_NAME_LABEL,
  manifestWorkDiff,
  type ManifestWork,
  type OwnedWorkPart,
} from '../model';
import { objectKey } from '../kube/store';

export interface WorkUpdate {
  current: ManifestWork;
  /** the current object with kmm-hub's parts replaced by the desired ones (resourceVersion kept) */
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
 * differ (the model's manifestWorkDiff, which allows for the API server's defaults); every labelled work not
 * desired (cluster no longer selected, or a stray name) is deleted. Works being deleted are left alone.
 */
export function workChanges(
  desired: readonly ManifestWork[],
  current: readonly ManifestWork[],
): WorkChanges {
  const currentByKey = new Map(current.map((w) => [objectKey(w), w]));
  const out: WorkChanges = { create: [], update: [], delete: [] };
  const wanted = new Set<string>();
  for (const d of desired) {
    const key = objectKey(d);
    wanted.add(key);
    const c = currentByKey.get(key);
    if (!c) {
      out.create.push(d);
      continue;
    }
    if (c.metadata.deletionTimestamp) continue;
    const parts = manifestWorkDiff(c, d);
    if (parts.length > 0) out.update.push({ current: c, body: updatedWork(c, d), parts });
  }
  for (const c of current) {
    if (!wanted.has(objectKey(c)) && !c.metadata.deletionTimestamp) out.delete.push(c);
  }
  return out;
}

/**
 * The current work with kmm-hub's parts from desired: its label, its controller ownerReference (replacing any
 * reference to an MCM), spec.workload and spec.manifestConfigs. Other labels, annotations, other owners and
 * other spec fields (e.g. deleteOption set by someone else) stay.
 */
export function updatedWork(current: ManifestWork, desired: ManifestWork): ManifestWork {
  const owners = (current.metadata.ownerReferences ?? []).filter((r) => r.kind !== MCM_KIND);
  return {
    ...current,
    metadata: {
      ...current.metadata,
      labels: {
        ...current.metadata.labels,
        [MCM_NAME_LABEL]: desired.metadata.labels?.[MCM_NAME_LABEL] ?? '',
      },
      ownerReferences: [...owners, ...(desired.metadata.ownerReferences ?? [])],
    },
    spec: {
      ...current.spec,
      workload: desired.spec.workload,
      manifestConfigs: desired.spec.manifestConfigs,
    },
  };
}
