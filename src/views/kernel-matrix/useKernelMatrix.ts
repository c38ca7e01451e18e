import { useK8sWatchResource } from '@openshift-console/dynamic-plugin-sdk';
import { useMemo, useRef } from 'react';
import { MCM_GVK } from '../../utils/k8s';
import { type ManagedClusterModule, MCM_NAME_LABEL } from '../../utils/model';
import { useFleetWatch } from '../../utils/useFleetWatch';
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
  const fleet = useFleetWatch({ matchExpressions: [{ key: MCM_NAME_LABEL, operator: 'Exists' }] });
  const loaded = mcmsLoaded && fleet.loaded;
  const previous = useRef<KernelMatrix | undefined>(undefined);
  const matrix = useMemo(() => {
    if (!loaded) return undefined;
    previous.current = buildKernelMatrix(mcms ?? [], fleet.clusters, fleet.works, previous.current);
    return previous.current;
  }, [loaded, mcms, fleet.clusters, fleet.works]);
  return { matrix, loaded, loadError: mcmsError ?? fleet.loadError };
};
