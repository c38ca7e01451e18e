import { useK8sWatchResource } from '@openshift-console/dynamic-plugin-sdk';
import { useState } from 'react';
import { MCM_GVK } from '../../utils/k8s';
import type { ManagedClusterModule } from '../../utils/model';
import { useFleetSummaries } from '../../utils/useFleetSummaries';
import { type BuiltMatrix, type KernelMatrix, nextKernelMatrix } from './kernel-matrix';

const NO_MCMS: ManagedClusterModule[] = [];

/**
 * Watches the MCMs and their fleet summaries (one compact object per MCM, written by the controller); derives
 * the matrix once per change, reusing the part of each MCM whose objects did not change.
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
  const fleet = useFleetSummaries();
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
        summaries: fleet.summaries,
      })
    : built;
  if (next !== built) setBuilt(next);
  return {
    matrix: loaded ? next?.matrix : undefined,
    loaded,
    loadError: mcmsError ?? fleet.loadError,
  };
};
