import { samePlanInputs } from './cluster-inputs';
import { selectorMatches } from './selection';
import { CLUSTER_AVAILABLE_CONDITION, MCM_NAME_LABEL } from './constants';
import type { Condition, ManagedCluster, ManagedClusterModule, ManifestWork } from './types';

// What a change to a ManagedCluster or a ManifestWork means to kmm-hub: which MCMs a controller reconciles
// again when its informers report one. The queue deduplicates, so over-approximating costs one reconcile that
// writes nothing; missing one would leave a cluster unserved until the next resync.

/**
 * MCMs affected by a ManagedCluster being created (old undefined), deleted (new undefined) or changed. A change
 * counts when its labels, kernel claim or availability changed; both the old and the new label sets select.
 */
export function mcmsForClusterChange(
  mcms: readonly ManagedClusterModule[],
  oldCluster: ManagedCluster | undefined,
  newCluster: ManagedCluster | undefined,
): string[] {
  if (oldCluster && newCluster && !clusterChangeMatters(oldCluster, newCluster)) return [];
  const labelSets: Record<string, string>[] = [];
  if (oldCluster) labelSets.push(oldCluster.metadata?.labels ?? {});
  if (newCluster) labelSets.push(newCluster.metadata?.labels ?? {});
  const names: string[] = [];
  for (const mcm of mcms) {
    const selector: unknown = mcm.spec?.selector;
    if (labelSets.some((labels) => selectorMatches(selector, labels)))
      names.push(mcm.metadata.name!);
  }
  return names;
}

/**
 * Whether a ManagedCluster update changes what kmm-hub reads of it: what a plan reads (the model's
 * samePlanInputs: name, labels, kernel claim), or what the status reads besides (availability, deletion).
 * Other status updates (capacity, other claims) change nothing for kmm-hub.
 */
export function clusterChangeMatters(a: ManagedCluster, b: ManagedCluster): boolean {
  return (
    !samePlanInputs(a, b) ||
    clusterAvailability(a) !== clusterAvailability(b) ||
    (a.metadata?.deletionTimestamp === undefined) !== (b.metadata?.deletionTimestamp === undefined)
  );
}

/** The status of the cluster's ManagedClusterConditionAvailable (`Unknown` without one): `True` = online. */
export function clusterAvailability(c: ManagedCluster): Condition['status'] {
  return (
    c.status?.conditions?.find((x) => x.type === CLUSTER_AVAILABLE_CONDITION)?.status ?? 'Unknown'
  );
}

/** The MCM a ManifestWork belongs to, by the label kmm-hub sets (undefined for foreign ManifestWorks). */
export function mcmOfWork(work: ManifestWork): string | undefined {
  return work.metadata?.labels?.[MCM_NAME_LABEL] || undefined;
}

/**
 * Whether a ManifestWork update only reports on it (status, or metadata the work agent keeps such as its
 * finalizer) rather than changing what it asks for or what kmm-hub owns of it: same generation (the spec),
 * same MCM label, same ownerReferences, no deletion started.
 */
export function isStatusReport(oldWork: ManifestWork, newWork: ManifestWork): boolean {
  return (
    oldWork.metadata?.generation === newWork.metadata?.generation &&
    mcmOfWork(oldWork) === mcmOfWork(newWork) &&
    oldWork.metadata?.deletionTimestamp === newWork.metadata?.deletionTimestamp &&
    JSON.stringify(oldWork.metadata?.ownerReferences ?? []) ===
      JSON.stringify(newWork.metadata?.ownerReferences ?? [])
  );
}
