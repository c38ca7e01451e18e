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
  /** per cluster: the clusters version its last change made */
  private readonly clusterChanges = new Map<string, number>();
  /** the clusters version of the last change not known by cluster */
  private unknownClusterChange = 0;
  private readonly works = new Map<string, number>();
  private readonly images = new Map<string, number>();

  /**
   * A ManagedCluster added or deleted, or changed in what a plan reads (the model's samePlanInputs). Without a
   * name, no plan can tell which clusters changed since it was made.
   */
  clustersChanged(name?: string): void {
    this.clusters++;
    if (name === undefined) this.unknownClusterChange = this.clusters;
    else this.clusterChanges.set(name, this.clusters);
  }

  /** The clusters' version: a plan made at this version may ask later which clusters changed since. */
  get clustersVersion(): number {
    return this.clusters;
  }

  /**
   * The clusters that changed since `version`, or undefined when that is not known (a change without a name)
   * or when they are many (`limit`: then a whole plan costs little more).
   */
  clustersChangedSince(version: number, limit = 64): string[] | undefined {
    if (this.unknownClusterChange > version) return undefined;
    const out: string[] = [];
    for (const [name, v] of this.clusterChanges) {
      if (v <= version) continue;
      if (out.length >= limit) return undefined;
      out.push(name);
    }
    return out;
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
    return `${this.keyBesidesClusters(mcm)}/${this.clusters}`;
  }

  /** The key without the clusters' version: equal when only clusters changed (see clustersChangedSince). */
  keyBesidesClusters(mcm: ManagedClusterModule): string {
    const { name = '', uid = '', generation, resourceVersion = '' } = mcm.metadata;
    return [
      this.epoch,
      uid,
      generation ?? `rv${resourceVersion}`,
      this.works.get(name) ?? 0,
      this.images.get(name) ?? 0,
    ].join('/');
  }
}
