// What OCM's work agent does with one ManifestWork on one spoke, as pure steps over a SpokeApi:
// - applyWork: apply every manifest (manifestwork_reconciler.go) and set the `Applied` conditions;
// - syncAvailability: read every applied resource back and set `Available`, StatusFeedbackSynced and the
//   feedback values (availablestatus_controller.go), then aggregate the work's `Available`;
// - removeWorkResources: delete what the work applied, honouring its deleteOption (the cleanup the agent
//   does before it drops the ManifestWork finalizer).
// Condition types, reasons and messages are OCM's (open-cluster-management-io/ocm pkg/work/spoke).

import type {
  ManifestCondition,
  ManifestConfigOption,
  ManifestWork,
  ResourceIdentifier,
} from 'kmm-hub-controller/model';
import { setCondition, type FullCondition } from './conditions';
import { readFeedback, type FeedbackValue } from './feedback';
import { SpokeApiError, type SpokeApi, type UpdateStrategy } from './spoke-api';
import type { SpokeKind } from './spoke-catalog';

/** The model's ManifestCondition as the agent writes it: ordinal and conditions always set. */
export type ResourceMeta = ManifestCondition['resourceMeta'] & { ordinal: number };

export interface ManifestStatus extends ManifestCondition {
  resourceMeta: ResourceMeta;
  conditions: FullCondition[];
}

export interface WorkStatus {
  conditions: FullCondition[];
  resourceStatus: { manifests: ManifestStatus[] };
}

/** One resource a work applied (AppliedManifestWork.status.appliedResources). */
export interface AppliedResource {
  kind: SpokeKind;
  namespace?: string;
  name: string;
}

export interface ApplyOutcome {
  status: WorkStatus;
  /** what the work owns on the spoke now */
  applied: AppliedResource[];
  /** some manifest failed to apply */
  failed: boolean;
}

function metaOf(ordinal: number, manifest: unknown): ResourceMeta {
  const m = (manifest ?? {}) as {
    apiVersion?: unknown;
    kind?: unknown;
    metadata?: { name?: unknown; namespace?: unknown };
  };
  const meta: ResourceMeta = { ordinal };
  if (typeof m.apiVersion === 'string') {
    const slash = m.apiVersion.indexOf('/');
    if (slash >= 0) meta.group = m.apiVersion.slice(0, slash);
    meta.version = slash >= 0 ? m.apiVersion.slice(slash + 1) : m.apiVersion;
  }
  if (typeof m.kind === 'string') meta.kind = m.kind;
  if (typeof m.metadata?.name === 'string') meta.name = m.metadata.name;
  if (typeof m.metadata?.namespace === 'string' && m.metadata.namespace) {
    meta.namespace = m.metadata.namespace;
  }
  return meta;
}

function sameResource(a: ResourceMeta, b: ResourceMeta): boolean {
  return (
    (a.group ?? '') === (b.group ?? '') &&
    (a.version ?? '') === (b.version ?? '') &&
    (a.kind ?? '') === (b.kind ?? '') &&
    (a.resource ?? '') === (b.resource ?? '') &&
    (a.name ?? '') === (b.name ?? '') &&
    (a.namespace ?? '') === (b.namespace ?? '')
  );
}

/** What names one resource in a resourceIdentifier, an orphaning rule or an applied resource. */
type Identity = Partial<ResourceIdentifier>;

function sameIdentity(a: Identity, b: Identity): boolean {
  return (
    (a.group ?? '') === (b.group ?? '') &&
    a.resource === b.resource &&
    a.name === b.name &&
    (a.namespace ?? '') === (b.namespace ?? '')
  );
}

const identityOf = (ref: AppliedResource): Identity => ({
  group: ref.kind.group,
  resource: ref.kind.resource,
  name: ref.name,
  namespace: ref.namespace,
});

/** helper.FindManifestConfiguration: the manifestConfig whose resourceIdentifier names this resource. */
export function manifestConfigFor(
  meta: ResourceMeta,
  configs: readonly ManifestConfigOption[] | undefined,
): ManifestConfigOption | undefined {
  return configs?.find((c) => sameIdentity(c.resourceIdentifier, meta));
}

/** Whether deleting the work (or dropping the manifest) deletes this resource. */
function ownedByWork(work: ManifestWork, ref: AppliedResource): boolean {
  const option = work.spec.deleteOption as
    | {
        propagationPolicy?: string;
        selectivelyOrphans?: {
          orphaningRules?: ResourceIdentifier[];
        };
      }
    | undefined;
  switch (option?.propagationPolicy) {
    case 'Orphan':
      return false;
    case 'SelectivelyOrphan':
      return !(option.selectivelyOrphans?.orphaningRules ?? []).some((r) =>
        sameIdentity(r, identityOf(ref)),
      );
    default:
      return true;
  }
}

/**
 * Applies every manifest of `work` to the spoke and returns the work's status with the `Applied` conditions
 * (per manifest and for the work), keeping what `previous` knew about the other conditions. Resources the
 * work applied before but no longer carries are deleted (unless orphaned).
 */
export function applyWork(
  api: SpokeApi,
  work: ManifestWork,
  previousApplied: readonly AppliedResource[],
  previous: WorkStatus | undefined,
  now: string,
): ApplyOutcome {
  const generation = work.metadata.generation ?? 0;
  const applied: AppliedResource[] = [];
  /** a manifest whose kind the spoke does not serve: OCM then cannot tell what the work owns */
  let unmapped = false;
  const manifests: ManifestStatus[] = work.spec.workload.manifests.map((manifest, ordinal) => {
    const meta = metaOf(ordinal, manifest);
    let error: string | undefined;
    let kind: SpokeKind | undefined;
    let strategy: UpdateStrategy = 'Update';
    try {
      kind = api.mapping(
        (manifest as { apiVersion?: string }).apiVersion ?? '',
        (manifest as { kind?: string }).kind ?? '',
      );
      meta.resource = kind.resource;
      if (!kind.namespaced) delete meta.namespace;
      const config = manifestConfigFor(meta, work.spec.manifestConfigs);
      strategy = ((config?.updateStrategy?.type as UpdateStrategy | undefined) ??
        'Update') as UpdateStrategy;
      const result = api.apply(manifest, strategy, kind);
      if (strategy !== 'ReadOnly') {
        applied.push({
          kind,
          name: result.object.metadata.name,
          ...(result.object.metadata.namespace !== undefined
            ? { namespace: result.object.metadata.namespace }
            : {}),
        });
      }
    } catch (err) {
      // The appliedmanifestwork reconciler keeps a resource whose apply failed (an update the webhook refused)
      // as long as it exists: a failed update never deletes what was applied before.
      if (!kind) unmapped = true;
      else if (strategy !== 'ReadOnly' && meta.name && api.get(kind, meta.namespace, meta.name))
        applied.push({
          kind,
          name: meta.name,
          ...(kind.namespaced && meta.namespace !== undefined ? { namespace: meta.namespace } : {}),
        });
      // OCM's BuildResourceMeta replaces the REST mapper's "no matches for kind" with its own words.
      error =
        err instanceof SpokeApiError && err.reason === 'NoKindMatch'
          ? `the server doesn't have a resource type "${meta.kind ?? ''}"`
          : err instanceof Error
            ? err.message
            : String(err);
    }
    const old = previous?.resourceStatus.manifests.find((m) => sameResource(m.resourceMeta, meta));
    const conditions = setCondition(
      old?.conditions,
      error === undefined
        ? {
            type: 'Applied',
            status: 'True',
            reason: 'AppliedManifestComplete',
            message: 'Apply manifest complete',
            observedGeneration: generation,
          }
        : {
            type: 'Applied',
            status: 'False',
            reason: 'AppliedManifestFailed',
            message: `Failed to apply manifest: ${error}`,
            observedGeneration: generation,
          },
      now,
    );
    return {
      resourceMeta: meta,
      conditions,
      ...(old?.statusFeedback ? { statusFeedback: old.statusFeedback } : {}),
    };
  });

  // OCM cannot get the UID of an unmapped manifest's resource and stops before deleting anything, keeping
  // the applied resources it knew (appliedmanifestwork_reconciler.go).
  if (unmapped) applied.splice(0, applied.length, ...previousApplied);
  else
    for (const stale of previousApplied) {
      if (
        !applied.some((a) => sameIdentity(identityOf(a), identityOf(stale))) &&
        ownedByWork(work, stale)
      ) {
        api.delete(stale.kind, stale.namespace, stale.name);
      }
    }

  const failed = manifests.some((m) =>
    m.conditions.some((c) => c.type === 'Applied' && c.status === 'False'),
  );
  let conditions = previous?.conditions ?? [];
  if (manifests.length > 0) {
    conditions = setCondition(
      conditions,
      failed
        ? {
            type: 'Applied',
            status: 'False',
            reason: 'AppliedManifestWorkFailed',
            message: 'Failed to apply manifest work',
            observedGeneration: generation,
          }
        : {
            type: 'Applied',
            status: 'True',
            reason: 'AppliedManifestWorkComplete',
            message: 'Apply manifest work complete',
            observedGeneration: generation,
          },
      now,
    );
  }
  return { status: { conditions, resourceStatus: { manifests } }, applied, failed };
}

function sameValues(a: FeedbackValue[] | undefined, b: FeedbackValue[]): boolean {
  return JSON.stringify(a ?? []) === JSON.stringify(b);
}

/**
 * The status controller's pass: per manifest `Available` from reading the resource back, feedback values and
 * StatusFeedbackSynced; then the work's aggregated `Available`. Does nothing before `Applied` is set.
 */
export function syncAvailability(
  api: SpokeApi,
  work: ManifestWork,
  status: WorkStatus,
  now: string,
): WorkStatus {
  if (!status.conditions.some((c) => c.type === 'Applied')) return status;
  const generation = work.metadata.generation ?? 0;
  const manifests = status.resourceStatus.manifests.map((manifest): ManifestStatus => {
    const meta = manifest.resourceMeta;
    let conditions = manifest.conditions;
    if (!meta.resource || !meta.version || !meta.name) {
      conditions = setCondition(
        conditions,
        {
          type: 'Available',
          status: 'Unknown',
          reason: 'IncompletedResourceMeta',
          message: 'Resource meta is incompleted',
        },
        now,
      );
      return { ...manifest, conditions };
    }
    let object;
    try {
      const apiVersion = meta.group ? `${meta.group}/${meta.version}` : meta.version;
      object = api.get(api.mapping(apiVersion, meta.kind ?? ''), meta.namespace, meta.name);
    } catch (err) {
      conditions = setCondition(
        conditions,
        {
          type: 'Available',
          status: 'Unknown',
          reason: 'FetchingResourceFailed',
          message: `Failed to fetch resource: ${(err as Error).message}`,
        },
        now,
      );
      return { ...manifest, conditions };
    }
    if (!object) {
      conditions = setCondition(
        conditions,
        {
          type: 'Available',
          status: 'False',
          reason: 'ResourceNotAvailable',
          message: 'Resource is not available',
        },
        now,
      );
      return { ...manifest, conditions };
    }
    conditions = setCondition(
      conditions,
      {
        type: 'Available',
        status: 'True',
        reason: 'ResourceAvailable',
        message: 'Resource is available',
      },
      now,
    );
    const feedback = readFeedback(object, manifestConfigFor(meta, work.spec.manifestConfigs));
    if (!sameValues(manifest.statusFeedback?.values, feedback.values)) {
      // A change of values restamps the condition, so its lastTransitionTime says when values last moved.
      conditions = conditions.filter((c) => c.type !== 'StatusFeedbackSynced');
    }
    conditions = setCondition(conditions, feedback.condition, now);
    return {
      resourceMeta: meta,
      conditions,
      statusFeedback: feedback.values.length > 0 ? { values: feedback.values } : {},
    };
  });

  let available = 0;
  let unavailable = 0;
  let unknown = 0;
  for (const m of manifests) {
    const c = m.conditions.find((x) => x.type === 'Available');
    if (c?.status === 'True') available++;
    else if (c?.status === 'False') unavailable++;
    else if (c?.status === 'Unknown') unknown++;
  }
  const total = manifests.length;
  const workAvailable =
    unavailable > 0
      ? {
          status: 'False' as const,
          reason: 'ResourcesNotAvailable',
          message: `${unavailable} of ${total} resources are not available`,
        }
      : unknown > 0
        ? {
            status: 'Unknown' as const,
            reason: 'ResourcesStatusUnknown',
            message: `${unknown} of ${total} resources have unknown status`,
          }
        : available === 0
          ? {
              status: 'Unknown' as const,
              reason: 'ResourcesStatusUnknown',
              message: 'cannot get any available resource ',
            }
          : {
              status: 'True' as const,
              reason: 'ResourcesAvailable',
              message: 'All resources are available',
            };
  const conditions = setCondition(
    status.conditions,
    { type: 'Available', observedGeneration: generation, ...workAvailable },
    now,
  );
  return { conditions, resourceStatus: { manifests } };
}

/** Deletes what the work owns on the spoke, as the agent does before releasing the ManifestWork. */
export function removeWorkResources(
  api: SpokeApi,
  work: ManifestWork,
  applied: readonly AppliedResource[],
): void {
  for (const ref of applied) {
    if (ownedByWork(work, ref)) api.delete(ref.kind, ref.namespace, ref.name);
  }
}
