import { kernelVersionsOf } from './kernels';
import type { ManagedCluster } from './types';

/**
 * Everything a plan reads of a ManagedCluster. The planner reads clusters only through this, so two clusters
 * with the same inputs get the same plan, and a controller may keep a plan across any cluster update that
 * leaves them unchanged (availability, capacity, other claims, heartbeats...).
 */
export interface ClusterPlanInputs {
  /** metadata.name; a cluster without one (not a string) is never selected */
  name: string | undefined;
  /** metadata.labels, which `spec.selector` matches; `{}` when there are none */
  labels: Readonly<Record<string, string>>;
  /** the kernels of its `kernel-versions.kmm.node.kubernetes.io` claim (kernelVersionsOf): undefined without it */
  kernels: readonly string[] | undefined;
}

export function clusterPlanInputs(cluster: ManagedCluster): ClusterPlanInputs {
  const name: unknown = cluster.metadata?.name;
  return {
    name: typeof name === 'string' ? name : undefined,
    labels: cluster.metadata?.labels ?? {},
    kernels: kernelVersionsOf(cluster),
  };
}

/**
 * Whether a plan reads the same of both clusters: same name, same label map (in any key order), same kernels
 * after the claim is normalised (order, duplicates, a trailing `+`), and the claim present in both or in neither.
 */
export function samePlanInputs(a: ManagedCluster, b: ManagedCluster): boolean {
  const x = clusterPlanInputs(a);
  const y = clusterPlanInputs(b);
  return x.name === y.name && sameLabels(x.labels, y.labels) && sameKernels(x.kernels, y.kernels);
}

function sameLabels(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>) {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => Object.prototype.hasOwnProperty.call(b, k) && a[k] === b[k]);
}

function sameKernels(a: readonly string[] | undefined, b: readonly string[] | undefined) {
  if (a === undefined || b === undefined) return a === b;
  return a.length === b.length && a.every((k, i) => k === b[i]);
}
