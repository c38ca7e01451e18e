// The simulated ACM fleet: see sandbox/README.md ("Simulated fleet").
export { Fleet, type FleetOptions } from './fleet';
export {
  clusterName,
  generateCluster,
  kernelPool,
  FLEET_SHARES,
  GPU_NODE_LABEL,
  type GenerateOptions,
} from './generate';
export { kernelClaimValue, clusterClaims, clusterLabels } from './managed-cluster';
export { KERNEL_POOL, RELEASES, type OpenShiftRelease } from './openshift-releases';
export { SPOKE_KMM_NAMESPACE } from './spoke';
export type { SpokeObject } from './spoke-api';
export type { ClusterProfile, SpokeNode, Cloud, Taint } from './types';
export { DEFAULT_STATUS_SYNC_INTERVAL_MS } from './defaults';
export { WORK_FINALIZER } from './work-agent';
