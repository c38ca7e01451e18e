import { type Selector, useK8sWatchResource } from '@openshift-console/dynamic-plugin-sdk';
import { MANAGED_CLUSTER_GVK, MANIFEST_WORK_GVK } from './k8s';
import type { ManagedCluster, ManifestWork } from './model';

/** The fleet's ManagedClusters and the ManifestWorks `works` selects, in every namespace. */
export const useFleetWatch = (
  works: Selector,
): {
  clusters: ManagedCluster[];
  works: ManifestWork[];
  loaded: boolean;
  loadError: unknown;
} => {
  const [clusters, clustersLoaded, clustersError] = useK8sWatchResource<ManagedCluster[]>({
    groupVersionKind: MANAGED_CLUSTER_GVK,
    isList: true,
  });
  const [manifestWorks, worksLoaded, worksError] = useK8sWatchResource<ManifestWork[]>({
    groupVersionKind: MANIFEST_WORK_GVK,
    isList: true,
    selector: works,
  });
  return {
    clusters: clusters ?? [],
    works: manifestWorks ?? [],
    loaded: clustersLoaded && worksLoaded,
    loadError: clustersError ?? worksError,
  };
};
