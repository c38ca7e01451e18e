import { useK8sWatchResource } from '@openshift-console/dynamic-plugin-sdk';
import { useState } from 'react';
import { MCM_GVK } from '../../utils/k8s';
import { type ManagedClusterModule, MCM_NAME_LABEL } from '../../utils/model';
import { useFleetWatch } from '../../utils/useFleetWatch';
import { type BuiltMatrix, type KernelMatrix, nextKernelMatrix } from './kernel-matrix';

const NO_MCMS: ManagedClusterModule[] = [];

/**
 * Watches MCMs, ManagedClusters and kmm-hub's ManifestWorks; derives the matrix once per change, reusing the
 * plans of the MCMs whose objects did not change.
 */
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
  // The last matrix is state, updated during render when the inputs change (React's pattern for information
  // from previous renders), not a ref written inside useMemo: a render that React repeats (StrictMode) or
  // discards (concurrent rendering) then leaves nothing behind, and the next build reuses the plans of the
  // matrix this component actually kept. nextKernelMatrix returns `built` itself for unchanged inputs, so the
  // update happens once per change and never loops.
  const [built, setBuilt] = useState<BuiltMatrix | undefined>(undefined);
  const next = loaded
    ? nextKernelMatrix(built, {
        mcms: mcms ?? NO_MCMS,
        clusters: fleet.clusters,
        works: fleet.works,
      })
    : built;
  if (next !== built) setBuilt(next);
  return {
    matrix: loaded ? next?.matrix : undefined,
    loaded,
    loadError: mcmsError ?? fleet.loadError,
  };
};
