import { useK8sWatchResource } from '@openshift-console/dynamic-plugin-sdk';
import { useMemo, useRef } from 'react';
import { MANAGED_CLUSTER_GVK, MANIFEST_WORK_GVK, MCM_GVK } from '../../utils/k8s';
import {
  type ManagedCluster,
  type ManagedClusterModule,
  type ManifestWork,
  MCM_NAME_LABEL,
} from '../../utils/model';
import { buildKernelMatrix, type KernelMatrix } from './kernel-matrix';

/** Watches MCMs, ManagedClusters and kmm-hub's ManifestWorks; derives the matrix once per change. */
export const useKernelMatrix = (): {
  matrix: KernelMatrix | undefined;
  loaded: boolean;
  loadError: unknown;
} => {
  const [mcms, mcmsLoaded, mcmsError] = useK8sWatchResource<ManagedClusterModule[]>({
    groupVersionKind: MCM_GVK,
    isList: true,
  });
  const [clusters, clustersLoaded, clustersError] = useK8sWatchResource<ManagedCluster[]>({
    groupVersionKind: MANAGED_CLUSTER_GVK,
    isList: true,
  });
  const [works, worksLoaded, worksError] = useK8sWatchResource<ManifestWork[]>({
    groupVersionKind: MANIFEST_WORK_GVK,
    isList: true,
    selector: { matchExpressions: [{ key: MCM_NAME_LABEL, operator: 'Exists' }] },
  });
  const loaded = mcmsLoaded && clustersLoaded && worksLoaded;
  const previous = useRef<KernelMatrix | undefined>(undefined);
  const matrix = useMemo(() => {
    if (!loaded) return undefined;
    previous.current = buildKernelMatrix(mcms ?? [], clusters ?? [], works ?? [], previous.current);
    return previous.current;
  }, [loaded, mcms, clusters, works]);
  return { matrix, loaded, loadError: mcmsError ?? clustersError ?? worksError };
};
