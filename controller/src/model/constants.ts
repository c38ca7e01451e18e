// Names fixed by the upstream APIs and by KMM's hub/spoke contract.

export const MCM_GROUP = 'hub.kmm.sigs.x-k8s.io';
export const MCM_VERSION = 'v1beta1';
export const MCM_KIND = 'ManagedClusterModule';
export const MCM_PLURAL = 'managedclustermodules';
export const MCM_API_VERSION = `${MCM_GROUP}/${MCM_VERSION}` as const;

export const MODULE_GROUP = 'kmm.sigs.x-k8s.io';
export const MODULE_VERSION = 'v1beta1';
export const MODULE_API_VERSION = `${MODULE_GROUP}/${MODULE_VERSION}` as const;

export const CLUSTER_GROUP = 'cluster.open-cluster-management.io';
export const CLUSTER_API_VERSION = `${CLUSTER_GROUP}/v1` as const;

export const WORK_GROUP = 'work.open-cluster-management.io';
export const WORK_API_VERSION = `${WORK_GROUP}/v1` as const;

/** The ClusterClaim the spoke KMM publishes when it runs with KMM_MANAGED=1. */
export const KERNEL_VERSIONS_CLAIM = 'kernel-versions.kmm.node.kubernetes.io';

/** Label on every ManifestWork kmm-hub writes; its value is the MCM name. */
export const MCM_NAME_LABEL = 'kmm.node.kubernetes.io/managedclustermodule.name';

export const CLUSTER_AVAILABLE_CONDITION = 'ManagedClusterConditionAvailable';
