// How the plugin names the kinds it watches (SDK group/version/kind) and where their console pages live.
import type { K8sGroupVersionKind, K8sModel } from '@openshift-console/dynamic-plugin-sdk';
import {
  CLUSTER_GROUP,
  FLEET_SUMMARY_KIND,
  FLEET_SUMMARY_VERSION,
  MCM_GROUP,
  MCM_KIND,
  MCM_PLURAL,
  MCM_VERSION,
} from './model';

export const MCM_GVK: K8sGroupVersionKind = {
  group: MCM_GROUP,
  version: MCM_VERSION,
  kind: MCM_KIND,
};
/** The controller's compact per-MCM fleet summary: what the fleet status tab and the kernel matrix watch. */
export const FLEET_SUMMARY_GVK: K8sGroupVersionKind = {
  group: MCM_GROUP,
  version: FLEET_SUMMARY_VERSION,
  kind: FLEET_SUMMARY_KIND,
};
export const MANAGED_CLUSTER_GVK: K8sGroupVersionKind = {
  group: CLUSTER_GROUP,
  version: 'v1',
  kind: 'ManagedCluster',
};

/** The console's `group~version~Kind` reference, used in resource page URLs. */
export const referenceFor = (gvk: K8sGroupVersionKind): string =>
  [gvk.group ?? 'core', gvk.version, gvk.kind].join('~');

export const mcmListPath = (): string => `/k8s/cluster/${referenceFor(MCM_GVK)}`;
export const mcmDetailsPath = (name: string): string =>
  `${mcmListPath()}/${encodeURIComponent(name)}`;

/** ACM's page of one ManagedCluster (its namespace on the hub has the cluster's name). */
export const acmClusterPath = (name: string): string => {
  const n = encodeURIComponent(name);
  return `/multicloud/infrastructure/clusters/details/${n}/${n}/overview`;
};

/** Access review attributes for a verb on one MCM (or on the collection when name is omitted). */
export const mcmAccess = (verb: 'create' | 'update' | 'patch' | 'delete', name?: string) => ({
  group: MCM_GROUP,
  resource: MCM_PLURAL,
  verb,
  ...(name ? { name } : {}),
});

/** The MCM's model for the SDK's k8s* calls (patch, for the rollout's resume action). */
export const MCM_MODEL: K8sModel = {
  apiGroup: MCM_GROUP,
  apiVersion: MCM_VERSION,
  kind: MCM_KIND,
  plural: MCM_PLURAL,
  abbr: 'MCM',
  label: MCM_KIND,
  labelPlural: 'ManagedClusterModules',
  namespaced: false,
};
