import { isPlainObject } from './json';
import type { ManagedCluster, ManagedClusterModule } from './types';

/**
 * Whether an MCM's `spec.selector` (an equality map over ManagedCluster labels) selects a cluster. `{}`
 * selects every cluster; a missing or malformed selector selects none (validation reports it).
 */
export function selectorMatches(
  selector: unknown,
  labels: Record<string, string> | undefined,
): boolean {
  if (!isPlainObject(selector)) return false;
  for (const [key, value] of Object.entries(selector)) {
    if (labels?.[key] !== value) return false;
  }
  return true;
}

/** The named clusters an MCM selects, in input order. */
export function selectClusters(
  mcm: ManagedClusterModule,
  clusters: readonly ManagedCluster[],
): ManagedCluster[] {
  const selector: unknown = mcm.spec?.selector;
  return clusters.filter(
    (c) => typeof c.metadata?.name === 'string' && selectorMatches(selector, c.metadata.labels),
  );
}
