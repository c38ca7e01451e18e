import type { ManagedClusterModule } from '../model';

/**
 * Versions of what an MCM's plan is made from besides the MCM's spec: the ManagedClusters, the MCM's
 * ManifestWorks in what kmm-hub owns of them (not their status) and the image-state answers for the MCM. The
 * controller's informer handlers bump them; the reconciler reuses a plan while its key is unchanged, so that a
 * fleet reporting ManifestWork status costs status updates, not a new plan of thousands of clusters each time.
 */
export class PlanInputs {
  private epoch = 0;
  private clusters = 0;
  private readonly works = new Map<string, number>();
  private readonly images = new Map<string, number>();

  /** A ManagedCluster added or deleted, or changed in what a plan reads (the model's samePlanInputs). */
  clustersChanged(): void {
    this.clusters++;
  }

  /** One of the MCM's ManifestWorks added, deleted, or changed in more than its status. */
  worksChanged(mcm: string): void {
    this.works.set(mcm, (this.works.get(mcm) ?? 0) + 1);
  }

  /** The image-state source announced new answers for the MCM. */
  imagesChanged(mcm: string): void {
    this.images.set(mcm, (this.images.get(mcm) ?? 0) + 1);
  }

  /** Every plan is to be made anew (a resync: the safety net if a change was ever missed). */
  invalidateAll(): void {
    this.epoch++;
  }

  /** The MCM is gone. */
  forget(mcm: string): void {
    this.works.delete(mcm);
    this.images.delete(mcm);
  }

  /** Equal keys mean equal plans. A spec change bumps the MCM's generation; without one, any change counts. */
  key(mcm: ManagedClusterModule): string {
    const { name = '', uid = '', generation, resourceVersion = '' } = mcm.metadata;
    return [
      this.epoch,
      uid,
      generation ?? `rv${resourceVersion}`,
      this.clusters,
      this.works.get(name) ?? 0,
      this.images.get(name) ?? 0,
    ].join('/');
  }
}
