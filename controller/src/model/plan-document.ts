import type { FleetPlan, PlanError, PlannedImage, Skipped } from './plan';
import type { ManifestWork } from './types';

/** What the `plan` command prints: exactly these four keys, entries with exactly these fields. */
export interface PlanDocument {
  manifestWorks: ManifestWork[];
  images: Pick<PlannedImage, 'mcm' | 'image' | 'kernelVersions' | 'clusters' | 'build' | 'sign'>[];
  skipped: Pick<Skipped, 'mcm' | 'cluster' | 'kernelVersion' | 'reason'>[];
  errors: PlanError[];
}

export function planDocument(p: FleetPlan): PlanDocument {
  return {
    manifestWorks: p.manifestWorks,
    images: p.images.map(({ mcm, image, kernelVersions, clusters, build, sign }) => ({
      mcm,
      image,
      kernelVersions,
      clusters,
      build,
      sign,
    })),
    skipped: p.skipped.map(({ mcm, cluster, kernelVersion, reason }) =>
      kernelVersion === undefined
        ? { mcm, cluster, reason }
        : { mcm, cluster, kernelVersion, reason },
    ),
    errors: p.errors.map(({ mcm, field, message }) => ({ mcm, field, message })),
  };
}
