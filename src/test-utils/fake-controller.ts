// What the kmm-hub controller publishes for the plugin, computed as it does (the model's plan and fleet
// summary) from fixture MCMs, ManagedClusters and ManifestWorks: the plugin's tests keep describing the fleet
// in the objects a person knows, and the plugin reads it the way it does against a real hub. One difference:
// the image states come from each MCM's status.images (what the controller last reported) instead of a registry.
import {
  fleetSummaryObject,
  fleetSummaryOf,
  isWorkOf,
  type ImageStateLookup,
  type KubeObject,
  type ManagedCluster,
  type ManagedClusterModule,
  type ManagedClusterModuleFleetSummary,
  type ManifestWork,
  MANIFEST_WORK_KIND,
  MCM_KIND,
  planCoverage,
  selectClusters,
} from '../utils/model';

const reportedImageStates =
  (mcm: ManagedClusterModule): ImageStateLookup =>
  (_mcm, image) => {
    const s = mcm.status?.images?.find((i) => i.image === image);
    return s ? { state: s.state, ...(s.digest ? { digest: s.digest } : {}) } : undefined;
  };

/** FNV-1a: a short, stable resourceVersion for a summary from the versions of what it was made from. */
const hash = (text: string): string => {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return String(h >>> 0);
};

/**
 * The summary of one MCM. It carries a resourceVersion only when every input has one, changing whenever one of
 * them does (as a stored object's would after the controller rewrote it).
 */
export const summaryOf = (
  mcm: ManagedClusterModule,
  clusters: readonly ManagedCluster[],
  works: readonly ManifestWork[],
): ManagedClusterModuleFleetSummary => {
  const name = mcm.metadata.name ?? '';
  const own = works.filter((w) => isWorkOf(w, name));
  const plan = planCoverage(mcm, clusters, reportedImageStates(mcm), own);
  const byName = new Map(clusters.map((c) => [c.metadata.name ?? '', c]));
  const workOf = new Map(own.map((w) => [w.metadata.namespace ?? '', w]));
  const fleet = fleetSummaryOf({
    mcm,
    plan: plan.errors.length === 0 ? plan : undefined,
    selected: selectClusters(mcm, clusters).map((c) => c.metadata.name ?? ''),
    clusterByName: (c) => byName.get(c),
    workOf: (c) => workOf.get(c),
  });
  const versions: string[] = [];
  for (const o of [mcm, ...clusters, ...own] as KubeObject[]) {
    const rv = o.metadata?.resourceVersion;
    if (!rv) return fleetSummaryObject(mcm, fleet);
    versions.push(`${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}@${rv}`);
  }
  return fleetSummaryObject(mcm, fleet, hash(versions.join(',')));
};

export const summariesOf = (
  mcms: readonly ManagedClusterModule[],
  clusters: readonly ManagedCluster[],
  works: readonly ManifestWork[],
): ManagedClusterModuleFleetSummary[] => mcms.map((m) => summaryOf(m, clusters, works));

/** The objects with the summaries the controller would have written for their MCMs (unless they hold some). */
export const withSummaries = <T extends KubeObject>(objects: readonly T[]): (T | KubeObject)[] => {
  if (objects.some((o) => o.kind === 'ManagedClusterModuleFleetSummary')) return [...objects];
  const mcms = objects.filter((o) => o.kind === MCM_KIND) as unknown as ManagedClusterModule[];
  if (mcms.length === 0) return [...objects];
  const clusters = objects.filter(
    (o) => o.kind === 'ManagedCluster',
  ) as unknown as ManagedCluster[];
  const works = objects.filter((o) => o.kind === MANIFEST_WORK_KIND) as unknown as ManifestWork[];
  return [...objects, ...summariesOf(mcms, clusters, works)];
};
