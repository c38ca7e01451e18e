import { KERNEL_VERSIONS_CLAIM } from './constants';
import { sortedUnique } from './order';
import type { ManagedCluster } from './types';

/**
 * The kernel versions a spoke runs, from the claim its KMM publishes in managed mode: one version per line;
 * each loses one trailing `+` (as the hub does before matching), and the list comes back sorted without
 * duplicates or blank lines. `undefined` when the cluster has no such claim (KMM is not installed in
 * managed mode there, or has not reported yet).
 */
export function kernelVersionsOf(cluster: ManagedCluster): string[] | undefined {
  const claims = cluster.status?.clusterClaims;
  if (!Array.isArray(claims)) return undefined;
  const claim = claims.find((c) => c?.name === KERNEL_VERSIONS_CLAIM);
  if (!claim || typeof claim.value !== 'string') return undefined;
  return parseKernelVersionsClaim(claim.value);
}

export function parseKernelVersionsClaim(value: string): string[] {
  return sortedUnique(
    value
      .split('\n')
      .map((line) => trimOnePlus(line.trim()))
      .filter((v) => v !== ''),
  );
}

function trimOnePlus(version: string): string {
  return version.endsWith('+') ? version.slice(0, -1) : version;
}
