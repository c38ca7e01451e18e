import type { Informer } from './kube/informer';
import type { ManagedCluster, ManagedClusterModule, ManifestWork } from './model/types';

/** The informers the reconciler reads from (it never lists from the API server itself). */
export interface Caches {
  mcms: Informer<ManagedClusterModule>;
  clusters: Informer<ManagedCluster>;
  /** only the ManifestWorks carrying kmm-hub's MCM label */
  works: Informer<ManifestWork>;
}

/** Index of the works informer: ManifestWorks by the MCM their label names, so no reconcile scans them all. */
export const MCM_INDEX = 'mcm';
