import { MODULE_GROUP, MODULE_KIND } from './constants';
import type { ManifestWork } from './types';

// Why a spoke failed to apply a ManifestWork, in words a person can act on. OCM's work agent says only "Failed
// to apply manifest work" on the work; the spoke API server's error sits one level down, on each manifest's
// Applied condition ("Failed to apply manifest: <error>", open-cluster-management-io/ocm pkg/work/spoke).

/** The module namespace every spoke has once KMM is installed: the one to suggest when another is missing. */
export const KMM_NAMESPACE = 'openshift-kmm';

const APPLY_PREFIX = 'Failed to apply manifest: ';

/** A spoke's error turned into what to do about it (errors not recognised are kept as the spoke said them). */
export function explainApplyError(error: string): string {
  const namespace = /namespaces "([^"]+)" not found/.exec(error)?.[1];
  if (namespace !== undefined) {
    return namespace === KMM_NAMESPACE
      ? `namespace ${namespace} does not exist on the spoke: KMM is not installed there`
      : `namespace ${namespace} does not exist on the spoke; create it, or use ${KMM_NAMESPACE}`;
  }
  // OCM's work agent words a kind the spoke does not serve as `the server doesn't have a resource type
  // "Module"` (helper.BuildResourceMeta); the REST mapper's own "no matches for kind" reaches the work from
  // other paths (and older agents).
  if (
    error.includes(`the server doesn't have a resource type "${MODULE_KIND}"`) ||
    new RegExp(
      `no matches for kind "${MODULE_KIND}" in version "${MODULE_GROUP.replace(/\./g, '\\.')}/`,
    ).test(error)
  ) {
    return 'KMM is not installed on the spoke (it has no Module kind): install KMM there in managed mode (KMM_MANAGED=1)';
  }
  const denied = /admission webhook "[^"]*" denied the request: ([\s\S]*)$/.exec(error)?.[1];
  if (denied !== undefined && /cannot update to or from an empty version/.test(denied))
    return (
      "the spoke's KMM webhook refuses to add or remove moduleLoader.container.version on an existing " +
      'Module: delete the ManagedClusterModule and create it again with the version, or undo the change'
    );
  if (denied !== undefined) return `the spoke's KMM webhook refuses the Module: ${denied.trim()}`;
  return error;
}

/** The distinct causes of a ManifestWork's failed manifests, explained (empty when none reports one). */
export function applyFailureCauses(work: ManifestWork): string[] {
  const manifests = work.status?.resourceStatus?.manifests;
  if (!Array.isArray(manifests)) return [];
  const causes: string[] = [];
  for (const m of manifests) {
    const conditions = Array.isArray(m?.conditions) ? m.conditions : [];
    const applied = conditions.find((c) => c?.type === 'Applied');
    if (applied?.status !== 'False' || typeof applied.message !== 'string') continue;
    const error = applied.message.startsWith(APPLY_PREFIX)
      ? applied.message.slice(APPLY_PREFIX.length)
      : applied.message;
    const cause = explainApplyError(error);
    if (cause && !causes.includes(cause)) causes.push(cause);
  }
  return causes;
}
