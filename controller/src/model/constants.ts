// Names fixed by the upstream APIs and by KMM's hub/spoke contract.

export const MCM_GROUP = 'hub.kmm.sigs.x-k8s.io';
export const MCM_VERSION = 'v1beta1';
export const MCM_KIND = 'ManagedClusterModule';
export const MCM_PLURAL = 'managedclustermodules';
export const MCM_API_VERSION = `${MCM_GROUP}/${MCM_VERSION}` as const;

/**
 * kmm-hub's own per-MCM fleet summary (one per MCM, same name), in the MCM's group and version: clients that
 * read only a group's preferred version (some console versions, older tools) see it too.
 */
export const FLEET_SUMMARY_VERSION = 'v1beta1';
export const FLEET_SUMMARY_KIND = 'ManagedClusterModuleFleetSummary';
export const FLEET_SUMMARY_PLURAL = 'managedclustermodulefleetsummaries';
export const FLEET_SUMMARY_API_VERSION = `${MCM_GROUP}/${FLEET_SUMMARY_VERSION}` as const;

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

export const MODULE_KIND = 'Module';
export const MODULE_RESOURCE = 'modules';
export const MANIFEST_WORK_KIND = 'ManifestWork';

/**
 * The spoke KMM webhook rejects a Module whose name plus namespace is longer than this: both go into node
 * labels `<prefix>/version-device-plugin.<namespace>.<name>`, whose name part is at most 63 characters
 * (upstream internal/webhook/module.go, maxCombinedLength = 63 - 23).
 */
export const MAX_MODULE_NAME_AND_NAMESPACE = 40;

/** Where `modprobe.dirName` points when the MCM leaves it out (the CRD default). */
export const DEFAULT_MODPROBE_DIR_NAME = '/opt';

/** Host paths a device plugin volume may mount (the upstream webhook's allow list, internal/webhook/module.go). */
export const ALLOWED_HOST_PATH_PREFIXES: readonly string[] = ['/dev', '/sys', '/var', '/opt'];

/** The parts of a Module status the ManifestWork feeds back to the hub, in upstream's naming. */
export const FEEDBACK_SECTIONS = ['devicePlugin', 'dra', 'moduleLoader'] as const;
export const FEEDBACK_COUNTERS = [
  'availableNumber',
  'desiredNumber',
  'nodesMatchingSelectorNumber',
] as const;

/** Condition types the OCM work agent sets on a ManifestWork. */
export const WORK_APPLIED_CONDITION = 'Applied';
export const WORK_AVAILABLE_CONDITION = 'Available';

/** ACM's name (and label key, value "true") for the hub's own ManagedCluster. */
export const LOCAL_CLUSTER = 'local-cluster';

/** On an MCM: a new value resumes its halted progressive rollout (any value; a new one each time). */
export const RESUME_ROLLOUT_ANNOTATION = 'hub.kmm.sigs.x-k8s.io/resume-rollout';

/**
 * On a ManifestWork a progressive rollout moved: when kmm-hub wrote it (RFC 3339 with milliseconds). Which
 * clusters moved in a rollout, and since when, is read back from the works themselves.
 */
export const ROLLOUT_WRITTEN_AT_ANNOTATION = 'hub.kmm.sigs.x-k8s.io/rollout-written-at';
