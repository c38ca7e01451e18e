import { useK8sWatchResource } from '@openshift-console/dynamic-plugin-sdk';
import { useMemo } from 'react';
import { MCM_GVK } from '../../utils/k8s';
import type { ManagedClusterModule } from '../../utils/model';
import type { KernelMatrix } from './kernel-matrix';
import { kernelsRun, type UpcomingColumn, upcomingColumns } from './upcoming-kernels';

const NONE: UpcomingColumn[] = [];

/**
 * The upcoming-kernel columns for the chosen MCM (or all), from the MCMs' status.preflight; kernels some cluster
 * of `matrix` runs are left out. The console shares the MCM watch with the page's.
 */
export const useUpcomingKernels = (
  mcm: string | undefined,
  matrix: KernelMatrix | undefined,
): UpcomingColumn[] => {
  const [mcms, loaded] = useK8sWatchResource<ManagedClusterModule[]>({
    groupVersionKind: MCM_GVK,
    isList: true,
  });
  const running = useMemo(() => kernelsRun(matrix), [matrix]);
  return useMemo(
    () => (loaded && mcms ? upcomingColumns(mcms, mcm, running) : NONE),
    [loaded, mcms, mcm, running],
  );
};
