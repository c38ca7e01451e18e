import { MCM_NAME_LABEL } from './constants';
import { jsonEqual } from './json';
import type { ManifestConfigOption, ManifestWork, OwnerReference } from './types';

/** The parts of a ManifestWork kmm-hub owns, as reported when they differ. */
export type OwnedWorkPart =
  'metadata.labels' | 'metadata.ownerReferences' | 'spec.workload' | 'spec.manifestConfigs';

/**
 * Which parts kmm-hub owns differ between a ManifestWork as it is (e.g. from the informer cache) and as
 * planned: its label, its controller ownerReference, spec.workload, and spec.manifestConfigs compared after
 * the work CRD's defaults (`feedbackScrapeType: Poll`, `updateStrategy.type: Update`), which the API server
 * adds to what the controller wrote. Everything else (other labels, annotations, deleteOption, status) is
 * someone else's. Empty means nothing to write.
 */
export function manifestWorkDiff(current: ManifestWork, desired: ManifestWork): OwnedWorkPart[] {
  const out: OwnedWorkPart[] = [];
  for (const [key, value] of Object.entries(desired.metadata.labels ?? {})) {
    if (current.metadata?.labels?.[key] !== value) {
      out.push('metadata.labels');
      break;
    }
  }
  const wanted = desired.metadata.ownerReferences ?? [];
  const have = current.metadata?.ownerReferences ?? [];
  if (!wanted.every((w) => have.some((h) => sameOwner(h, w)))) out.push('metadata.ownerReferences');
  if (!jsonEqual(current.spec?.workload, desired.spec.workload)) out.push('spec.workload');
  if (
    !jsonEqual(
      withDefaults(current.spec?.manifestConfigs),
      withDefaults(desired.spec.manifestConfigs),
    )
  ) {
    out.push('spec.manifestConfigs');
  }
  return out;
}

export function manifestWorkMatches(current: ManifestWork, desired: ManifestWork): boolean {
  return manifestWorkDiff(current, desired).length === 0;
}

/** True when `work` carries kmm-hub's label for `mcm`: how the controller finds an MCM's works. */
export function isWorkOf(work: ManifestWork, mcm: string): boolean {
  return work.metadata?.labels?.[MCM_NAME_LABEL] === mcm;
}

function sameOwner(a: OwnerReference, b: OwnerReference): boolean {
  return (
    a.apiVersion === b.apiVersion &&
    a.kind === b.kind &&
    a.name === b.name &&
    a.uid === b.uid &&
    (a.controller ?? false) === (b.controller ?? false) &&
    (a.blockOwnerDeletion ?? false) === (b.blockOwnerDeletion ?? false)
  );
}

function withDefaults(configs: ManifestConfigOption[] | undefined): ManifestConfigOption[] {
  return (configs ?? []).map((c) => {
    const out: ManifestConfigOption = { ...c, feedbackScrapeType: c.feedbackScrapeType ?? 'Poll' };
    if (c.updateStrategy)
      out.updateStrategy = { ...c.updateStrategy, type: c.updateStrategy.type ?? 'Update' };
    return out;
  });
}
