import { MCM_KIND, MCM_NAME_LABEL } from './constants';
import { cloneJson, jsonEqual } from './json';
import type { ManifestConfigOption, ManifestWork, OwnerReference } from './types';

/** The parts of a ManifestWork kmm-hub owns, as reported when they differ. */
export type OwnedWorkPart =
  'metadata.labels' | 'metadata.ownerReferences' | 'spec.workload' | 'spec.manifestConfigs';

/**
 * One part kmm-hub owns: when the current copy differs from the desired one, and how the desired one is put in
 * place. Both sides are defined together so that what is compared and what is written cannot drift apart.
 */
interface OwnedPart {
  differs(current: ManifestWork, desired: ManifestWork): boolean;
  /** writes desired's part into `out`, a deep copy of current */
  put(out: ManifestWork, desired: ManifestWork): void;
}

const OWNED_PARTS: readonly (readonly [OwnedWorkPart, OwnedPart])[] = [
  [
    // the labels the desired work carries (kmm-hub's MCM label); other labels are someone else's
    'metadata.labels',
    {
      differs: (current, desired) => {
        for (const [key, value] of Object.entries(desired.metadata.labels ?? {}))
          if (current.metadata?.labels?.[key] !== value) return true;
        return false;
      },
      put: (out, desired) => {
        out.metadata.labels = { ...out.metadata.labels, ...cloneJson(desired.metadata.labels) };
      },
    },
  ],
  [
    // the references to ManagedClusterModules: exactly the desired controller reference (a stale one to a
    // deleted and recreated MCM is replaced); references to other kinds are someone else's
    'metadata.ownerReferences',
    {
      differs: (current, desired) =>
        !sameOwnerSet(mcmOwners(current), desired.metadata.ownerReferences ?? []),
      put: (out, desired) => {
        out.metadata.ownerReferences = [
          ...(out.metadata.ownerReferences ?? []).filter((r) => r.kind !== MCM_KIND),
          ...cloneJson(desired.metadata.ownerReferences ?? []),
        ];
      },
    },
  ],
  [
    'spec.workload',
    {
      differs: (current, desired) => !jsonEqual(current.spec?.workload, desired.spec.workload),
      put: (out, desired) => {
        out.spec.workload = cloneJson(desired.spec.workload);
      },
    },
  ],
  [
    // compared after the work CRD's defaults (`feedbackScrapeType: Poll`, `updateStrategy.type: Update`), which
    // the API server adds to what the controller wrote
    'spec.manifestConfigs',
    {
      differs: (current, desired) =>
        !jsonEqual(
          withDefaults(current.spec?.manifestConfigs),
          withDefaults(desired.spec.manifestConfigs),
        ),
      put: (out, desired) => {
        out.spec.manifestConfigs = cloneJson(desired.spec.manifestConfigs);
      },
    },
  ],
];

/**
 * Which parts kmm-hub owns differ between a ManifestWork as it is (e.g. from the informer cache) and as
 * planned: its label, its ownerReference to the MCM, spec.workload, and spec.manifestConfigs modulo the work
 * CRD's defaults. Everything else (other labels, annotations, other owners, deleteOption, status) is someone
 * else's. Empty means nothing to write.
 */
export function manifestWorkDiff(current: ManifestWork, desired: ManifestWork): OwnedWorkPart[] {
  const out: OwnedWorkPart[] = [];
  for (const [name, part] of OWNED_PARTS) if (part.differs(current, desired)) out.push(name);
  return out;
}

export function manifestWorkMatches(current: ManifestWork, desired: ManifestWork): boolean {
  return manifestWorkDiff(current, desired).length === 0;
}

/**
 * What to write over `current` so that it matches `desired` (`manifestWorkDiff` of the result is empty): a
 * fresh copy of current with every part kmm-hub owns taken from desired. What others own stays, and so does
 * metadata.resourceVersion, which makes the update conditional on the copy it was computed from.
 */
export function updatedManifestWork(current: ManifestWork, desired: ManifestWork): ManifestWork {
  const out = cloneJson(current);
  for (const [, part] of OWNED_PARTS) part.put(out, desired);
  return out;
}

/** True when `work` carries kmm-hub's label for `mcm`: how the controller finds an MCM's works. */
export function isWorkOf(work: ManifestWork, mcm: string): boolean {
  return work.metadata?.labels?.[MCM_NAME_LABEL] === mcm;
}

function mcmOwners(work: ManifestWork): OwnerReference[] {
  return (work.metadata?.ownerReferences ?? []).filter((r) => r.kind === MCM_KIND);
}

function sameOwnerSet(have: readonly OwnerReference[], want: readonly OwnerReference[]): boolean {
  return (
    have.length === want.length &&
    want.every((w) => have.some((h) => sameOwner(h, w))) &&
    have.every((h) => want.some((w) => sameOwner(h, w)))
  );
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
