import type { Informer } from './kube/informer';
import type { Store } from './kube/store';
import type { KernelPreflight } from './model/preflight-types';
import type { KubeObject, ManagedCluster, ManagedClusterModule, ManifestWork } from './model/types';

/** Read access to an informer's cache, as client-go's listers give it. */
export type Lister<T extends KubeObject> = Pick<Store<T>, 'get' | 'list' | 'byIndex'>;

/**
 * An informer as the reconciler uses it: its lister, and a way to put the reconciler's own writes into its
 * cache at once, so that the next reconcile does not act on what it already changed.
 */
export interface WritableCache<T extends KubeObject> {
  readonly store: Lister<T>;
  recordWrite(written: T): void;
  recordDelete(obj: T): void;
}

/** What the reconciler reads from (it never lists from the API server itself). */
export interface ReconcilerCaches {
  mcms: WritableCache<ManagedClusterModule>;
  clusters: { readonly store: Lister<ManagedCluster> };
  /** only the ManifestWorks carrying kmm-hub's MCM label, indexed by MCM_INDEX */
  works: WritableCache<ManifestWork>;
  /** the KernelPreflights, whose kernels every MCM prepares images for (none when absent) */
  preflights?: WritableCache<KernelPreflight>;
}

/** The controller's informers, which the reconciler reads from. */
export interface Caches extends ReconcilerCaches {
  mcms: Informer<ManagedClusterModule>;
  clusters: Informer<ManagedCluster>;
  works: Informer<ManifestWork>;
  preflights: Informer<KernelPreflight>;
}

/** Index of the works informer: ManifestWorks by the MCM their label names, so no reconcile scans them all. */
export const MCM_INDEX = 'mcm';
