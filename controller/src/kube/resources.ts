import {
  CLUSTER_GROUP,
  FLEET_SUMMARY_PLURAL,
  FLEET_SUMMARY_VERSION,
  MCM_GROUP,
  MCM_PLURAL,
  MCM_VERSION,
  WORK_GROUP,
} from '../model/constants';
import { PREFLIGHT_PLURAL, PREFLIGHT_VERSION } from '../model/preflight-types';

/** Where a resource lives in the API: enough to list, watch and write it. */
export interface ResourceRef {
  group: string;
  version: string;
  plural: string;
  namespaced: boolean;
}

export const MCM_RESOURCE: ResourceRef = {
  group: MCM_GROUP,
  version: MCM_VERSION,
  plural: MCM_PLURAL,
  namespaced: false,
};

export const PREFLIGHT_RESOURCE: ResourceRef = {
  group: MCM_GROUP,
  version: PREFLIGHT_VERSION,
  plural: PREFLIGHT_PLURAL,
  namespaced: false,
};

export const FLEET_SUMMARY_RESOURCE: ResourceRef = {
  group: MCM_GROUP,
  version: FLEET_SUMMARY_VERSION,
  plural: FLEET_SUMMARY_PLURAL,
  namespaced: false,
};

export const MANAGED_CLUSTER_RESOURCE: ResourceRef = {
  group: CLUSTER_GROUP,
  version: 'v1',
  plural: 'managedclusters',
  namespaced: false,
};

export const MANIFEST_WORK_RESOURCE: ResourceRef = {
  group: WORK_GROUP,
  version: 'v1',
  plural: 'manifestworks',
  namespaced: true,
};

/** The collection path across all namespaces, e.g. /apis/work.open-cluster-management.io/v1/manifestworks. */
export function collectionPath(r: ResourceRef, namespace?: string): string {
  const ns = namespace ? `namespaces/${namespace}/` : '';
  return r.group === ''
    ? `/api/${r.version}/${ns}${r.plural}`
    : `/apis/${r.group}/${r.version}/${ns}${r.plural}`;
}

export const JOB_RESOURCE: ResourceRef = {
  group: 'batch',
  version: 'v1',
  plural: 'jobs',
  namespaced: true,
};
