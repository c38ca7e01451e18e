import { useK8sWatchResource } from '@openshift-console/dynamic-plugin-sdk';
import { useMemo } from 'react';
import { MANAGED_CLUSTER_GVK, MANIFEST_WORK_GVK } from '../../../../utils/k8s';
import {
  type ManagedCluster,
  type ManagedClusterModule,
  type ManifestWork,
  MCM_NAME_LABEL,
} from '../../../../utils/model';
import { buildFleetRows, type FleetRow } from './fleet-rows';

/** Watches the fleet and this MCM's ManifestWorks (in every cluster namespace, by label). */
export const useFleetStatus = (
  mcm: ManagedClusterModule,
): { rows: FleetRow[]; loaded: boolean; loadError: unknown } => {
  const [clusters, clustersLoaded, clustersError] = useK8sWatchResource<ManagedCluster[]>({
    groupVersionKind: MANAGED_CLUSTER_GVK,
    isList: true,
  });
  const [works, worksLoaded, worksError] = useK8sWatchResource<ManifestWork[]>({
    groupVersionKind: MANIFEST_WORK_GVK,
    isList: true,
    selector: { matchLabels: { [MCM_NAME_LABEL]: mcm.metadata.name ?? '' } },
  });
  const loaded = clustersLoaded && worksLoaded;
  const rows = useMemo(
    () => (loaded ? buildFleetRows(mcm, clusters ?? [], works ?? []) : []),
    [loaded, mcm, clusters, works],
  );
  return { rows, loaded, loadError: clustersError ?? worksError };
};
