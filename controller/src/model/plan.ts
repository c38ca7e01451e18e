import { clusterPlanInputs, type ClusterPlanInputs } from './cluster-inputs';
import { pinImage } from './image';
import { ManifestWorkRenderer, workMappingsOf, type WorkMapping } from './manifestwork';
import { KernelMapper, type ResolvedMapping } from './mapping';
import { LOCAL_CLUSTER } from './constants';
import { compareStrings } from './order';
import { selectorMatches } from './selection';
import type {
  ImageState,
  ImageStateInfo,
  ImageStateLookup,
  ManagedCluster,
  ManagedClusterModule,
  ManifestWork,
} from './types';
import { validateManagedClusterModule } from './validation';

/** A validation problem of one MCM. */
export interface PlanError {
  mcm: string;
  field: string;
  message: string;
}

/** Why a cluster, or one of its kernels, gets nothing from an MCM (or keeps what it has). */
export type SkipCode = 'NoKernelClaim' | 'NoKernelMapping' | 'KernelNotMappable' | 'ImageNotReady';

export interface Skipped {
  mcm: string;
  cluster: string;
  kernelVersion?: string;
  code: SkipCode;
  reason: string;
}

/** A mapping already written to a cluster that stays because its replacement is not Ready (see plan). */
export interface RetainedMapping {
  mcm: string;
  cluster: string;
  kernelVersion: string;
  /** the image as written in the current ManifestWork */
  containerImage: string;
  reason: string;
}

/** One distinct image an MCM needs, with who needs it and how to produce it. */
export interface PlannedImage {
  mcm: string;
  /** as the kernel mapping resolves it: templated, not pinned */
  image: string;
  kernelVersions: string[];
  clusters: string[];
  build: boolean;
  sign: boolean;
  state: ImageState;
  digest?: string;
  /** the resolved mapping of the first kernel (in sort order) needing the image: its build and sign recipe */
  resolved: ResolvedMapping;
}

/** What one selected cluster gets from an MCM: the ManifestWork to write, before it is rendered. */
export interface PlannedWork {
  cluster: string;
  /** the literal kernel mappings, sorted by kernel; empty for an MCM without moduleLoader (device plugin only) */
  mappings: WorkMapping[];
}

/**
 * Every decision of a plan, without the ManifestWork objects: which clusters get what, which images are
 * needed, what is skipped or retained and why. Enough for views that only show coverage (the console's
 * kernel matrix), at about half the cost of rendering the works.
 */
export interface McmCoverage {
  mcm: string;
  /** validation problems; when there are any, nothing else is planned and current works must stay as they are */
  errors: PlanError[];
  /** clusters spec.selector selects, sorted */
  selectedClusters: string[];
  /** selected clusters that get a ManifestWork or wait for an image of a kernel that has a mapping, sorted */
  eligibleClusters: string[];
  /** one per ManifestWork to write, sorted by cluster */
  works: PlannedWork[];
  /** sorted by image */
  images: PlannedImage[];
  /** sorted by cluster, then kernel */
  skipped: Skipped[];
  retained: RetainedMapping[];
}

export interface McmPlan extends McmCoverage {
  /** `works` rendered, in the same order (sorted by namespace) */
  manifestWorks: ManifestWork[];
}

export interface FleetPlan {
  manifestWorks: ManifestWork[];
  images: PlannedImage[];
  skipped: Skipped[];
  errors: PlanError[];
  retained: RetainedMapping[];
}

/** Every image is Ready without a digest: what the offline `plan` command assumes. */
const ALL_READY: ImageStateInfo = { state: 'Ready' };
const NO_ANSWER: ImageStateInfo = { state: 'Unknown' };

/**
 * The ManifestWorks, images and skipped clusters of one MCM over a fleet: pure, and fast enough to run on
 * every reconcile (each distinct kernel is resolved once, each regexp and template compiled once).
 *
 * Image states: `imageStates` is asked once per distinct image (`undefined` answer = Unknown); without it
 * every image is Ready without a digest (the offline command). Only a kernel whose image is Ready gets a
 * new mapping, pinned to `repository@digest` when a digest is known. A cluster with no usable mapping gets
 * no ManifestWork and is reported in `skipped`; a moduleLoader-less (device plugin only) MCM goes to every
 * selected cluster with KMM (a kernel claim), and stays where it was already written.
 *
 * Rolled-out modules are never withdrawn because of image trouble: pass the MCM's ManifestWorks as
 * currently written (`currentWorks`, e.g. from the informer cache; others are ignored) and a kernel whose
 * image is not Ready (Unknown, Waiting, Building, Signing, Missing or Failed) keeps the mapping its cluster
 * already has, and a selected cluster whose kernel claim is missing or empty keeps all of its mappings;
 * each such case is listed in `retained`. A mapping goes away only when its kernel no longer needs it (the
 * kernel left the cluster, or no kernel mapping matches it any more) or the cluster is no longer selected.
 * So with `currentWorks` given, `manifestWorks` is the complete desired set: write those that differ
 * (see manifestWorkMatches) and delete the MCM's other ManifestWorks — unless `errors` is non-empty, in
 * which case the MCM is invalid and its current ManifestWorks stay exactly as they are.
 */
export function planManagedClusterModule(
  mcm: ManagedClusterModule,
  clusters: readonly ManagedCluster[],
  imageStates?: ImageStateLookup,
  currentWorks?: readonly ManifestWork[],
): McmPlan {
  return render(mcm, coverage(mcm, clusters, imageStates, currentWorks, clusterPlanInputs));
}

/**
 * planManagedClusterModule without rendering the ManifestWorks: the same decisions (it is the same code),
 * for callers that only show which clusters and kernels are covered.
 */
export function planCoverage(
  mcm: ManagedClusterModule,
  clusters: readonly ManagedCluster[],
  imageStates?: ImageStateLookup,
  currentWorks?: readonly ManifestWork[],
): McmCoverage {
  return coverage(mcm, clusters, imageStates, currentWorks, clusterPlanInputs);
}

/** planManagedClusterModule for every MCM, merged and sorted (works by namespace then name). */
export function plan(
  mcms: readonly ManagedClusterModule[],
  clusters: readonly ManagedCluster[],
  imageStates?: ImageStateLookup,
  currentWorks?: readonly ManifestWork[],
): FleetPlan {
  const inputs = new Map<ManagedCluster, ClusterPlanInputs>();
  const inputsOf = (c: ManagedCluster) => {
    let i = inputs.get(c);
    if (!i) inputs.set(c, (i = clusterPlanInputs(c)));
    return i;
  };
  const out: FleetPlan = { manifestWorks: [], images: [], skipped: [], errors: [], retained: [] };
  for (const mcm of mcms) {
    const p = render(mcm, coverage(mcm, clusters, imageStates, currentWorks, inputsOf));
    out.manifestWorks.push(...p.manifestWorks);
    out.images.push(...p.images);
    out.skipped.push(...p.skipped);
    out.errors.push(...p.errors);
    out.retained.push(...p.retained);
  }
  out.manifestWorks.sort(
    (a, b) =>
      compareStrings(a.metadata.namespace ?? '', b.metadata.namespace ?? '') ||
      compareStrings(a.metadata.name ?? '', b.metadata.name ?? ''),
  );
  const byMcm = (a: { mcm: string }, b: { mcm: string }) => compareStrings(a.mcm, b.mcm);
  out.images.sort((a, b) => byMcm(a, b) || compareStrings(a.image, b.image));
  out.skipped.sort((a, b) => byMcm(a, b) || compareSkipped(a, b));
  out.errors.sort(byMcm);
  out.retained.sort(
    (a, b) =>
      byMcm(a, b) ||
      compareStrings(a.cluster, b.cluster) ||
      compareStrings(a.kernelVersion, b.kernelVersion),
  );
  return out;
}

function compareSkipped(a: Skipped, b: Skipped): number {
  return (
    compareStrings(a.cluster, b.cluster) ||
    compareStrings(a.kernelVersion ?? '', b.kernelVersion ?? '')
  );
}

interface ImageAccumulator {
  kernels: Set<string>;
  clusters: Set<string>;
  build: boolean;
  sign: boolean;
  info: ImageStateInfo;
  resolved: ResolvedMapping;
}

function coverage(
  mcm: ManagedClusterModule,
  clusters: readonly ManagedCluster[],
  imageStates: ImageStateLookup | undefined,
  currentWorks: readonly ManifestWork[] | undefined,
  /** the only way clusters are read: what a plan depends on is exactly clusterPlanInputs */
  inputsOf: (c: ManagedCluster) => ClusterPlanInputs,
): McmCoverage {
  const rawName: unknown = (mcm as { metadata?: { name?: unknown } } | undefined)?.metadata?.name;
  const name = typeof rawName === 'string' ? rawName : '';
  const result: McmCoverage = {
    mcm: name,
    errors: [],
    selectedClusters: [],
    eligibleClusters: [],
    works: [],
    images: [],
    skipped: [],
    retained: [],
  };
  const problems = validateManagedClusterModule(mcm);
  if (problems.length > 0) {
    result.errors = problems.map((p) => ({ mcm: name, ...p }));
    return result;
  }

  const selector: unknown = mcm.spec.selector;
  const selected = uniqueByName(
    clusters.map(inputsOf).filter((c) => selectorMatches(selector, c.labels)),
  );
  result.selectedClusters = selected.map((c) => c.name);
  const current = new Map<string, ManifestWork>();
  for (const w of currentWorks ?? []) {
    if (w?.metadata?.name === name && w.metadata.namespace) current.set(w.metadata.namespace, w);
  }
  const mapper = new KernelMapper(mcm);
  const hasLoader = mcm.spec.moduleSpec.moduleLoader !== undefined;
  const states = new Map<string, ImageStateInfo>();
  const stateOf = (image: string): ImageStateInfo => {
    let info = states.get(image);
    if (!info) {
      info = imageStates ? (imageStates(name, image) ?? NO_ANSWER) : ALL_READY;
      states.set(image, info);
    }
    return info;
  };
  const images = new Map<string, ImageAccumulator>();
  const skip = (cluster: string, code: SkipCode, reason: string, kernelVersion?: string) =>
    result.skipped.push(
      kernelVersion === undefined
        ? { mcm: name, cluster, code, reason }
        : { mcm: name, cluster, kernelVersion, code, reason },
    );
  const retain = (cluster: string, m: WorkMapping, reason: string) =>
    result.retained.push({
      mcm: name,
      cluster,
      kernelVersion: m.literal,
      containerImage: m.containerImage,
      reason,
    });

  for (const cluster of selected) {
    const cname = cluster.name;
    if (!hasLoader) {
      // A device plugin needs KMM on the spoke; without the claim a Module can only fail there. A work
      // already written stays (the claim may be missing for a moment while the spoke's KMM restarts).
      if (cluster.kernels === undefined && !current.has(cname)) {
        skip(cname, 'NoKernelClaim', noClaimReason(cluster, 'a device plugin needs KMM there'));
        continue;
      }
      result.works.push({ cluster: cname, mappings: [] });
      result.eligibleClusters.push(cname);
      continue;
    }
    // what the cluster has now is only read when something is not Ready (rare at steady state)
    let writtenCache: Map<string, WorkMapping> | undefined;
    const writtenMappings = () => {
      const work = current.get(cname);
      if (work && !writtenCache) writtenCache = workMappingsOf(work);
      return writtenCache;
    };
    const kernels = cluster.kernels;
    if (!kernels || kernels.length === 0) {
      const written = writtenMappings();
      const kept =
        written && written.size > 0 ? ' (its current ManifestWork is kept as written)' : '';
      skip(
        cname,
        'NoKernelClaim',
        (kernels
          ? 'its kernel-versions.kmm.node.kubernetes.io claim lists no kernel version'
          : noClaimReason(cluster)) + kept,
      );
      if (kept) {
        const mappings = [...(written as Map<string, WorkMapping>).values()].sort(byKernel);
        for (const m of mappings)
          retain(cname, m, 'the cluster reports no kernels; its written mapping is kept');
        result.works.push({ cluster: cname, mappings });
        result.eligibleClusters.push(cname);
      }
      continue;
    }

    const mappings: WorkMapping[] = [];
    let waiting = false;
    for (const kernel of kernels) {
      const r = mapper.resolve(kernel);
      if (r.kind === 'unmapped') {
        skip(
          cname,
          'NoKernelMapping',
          'no kernel mapping matches this kernel (add a literal or regexp mapping if the module should load on it)',
          kernel,
        );
        continue;
      }
      if (r.kind === 'error') {
        skip(cname, 'KernelNotMappable', `kernelMappings[${r.mappingIndex}]: ${r.error}`, kernel);
        continue;
      }
      const resolved = r.mapping;
      const info = stateOf(resolved.image);
      addImage(images, resolved, cname, info);
      if (info.state === 'Ready') {
        const m: WorkMapping = {
          literal: kernel,
          containerImage: pinImage(resolved.image, info.digest),
        };
        if (resolved.inTreeModulesToRemove)
          m.inTreeModulesToRemove = resolved.inTreeModulesToRemove;
        mappings.push(m);
        continue;
      }
      waiting = true;
      const old = writtenMappings()?.get(kernel);
      if (old) {
        mappings.push(old);
        retain(
          cname,
          old,
          `image ${resolved.image} is ${info.state}; the written mapping stays until it is Ready`,
        );
      } else {
        skip(cname, 'ImageNotReady', `waiting for image ${resolved.image} (${info.state})`, kernel);
      }
    }
    if (mappings.length > 0) result.works.push({ cluster: cname, mappings });
    if (mappings.length > 0 || waiting) result.eligibleClusters.push(cname);
  }

  result.images = [...images.entries()]
    .map(([image, acc]): PlannedImage => {
      const p: PlannedImage = {
        mcm: name,
        image,
        kernelVersions: [...acc.kernels].sort(compareStrings),
        clusters: [...acc.clusters].sort(compareStrings),
        build: acc.build,
        sign: acc.sign,
        state: acc.info.state,
        resolved: acc.resolved,
      };
      if (acc.info.digest) p.digest = acc.info.digest;
      return p;
    })
    .sort((a, b) => compareStrings(a.image, b.image));
  result.skipped.sort(compareSkipped);
  result.eligibleClusters.sort(compareStrings);
  return result;
}

/** The plan with its works rendered; an invalid MCM has none (and its shape cannot be trusted). */
function render(mcm: ManagedClusterModule, c: McmCoverage): McmPlan {
  if (c.works.length === 0) return { ...c, manifestWorks: [] };
  const renderer = new ManifestWorkRenderer(mcm);
  return { ...c, manifestWorks: c.works.map((w) => renderer.render(w.cluster, w.mappings)) };
}

const byKernel = (a: WorkMapping, b: WorkMapping) => compareStrings(a.literal, b.literal);

function addImage(
  images: Map<string, ImageAccumulator>,
  resolved: ResolvedMapping,
  cluster: string,
  info: ImageStateInfo,
): void {
  let acc = images.get(resolved.image);
  if (!acc) {
    acc = { kernels: new Set(), clusters: new Set(), build: false, sign: false, info, resolved };
    images.set(resolved.image, acc);
  }
  acc.kernels.add(resolved.kernelVersion);
  acc.clusters.add(cluster);
  acc.build ||= resolved.build !== undefined;
  acc.sign ||= resolved.sign !== undefined;
  if (compareStrings(resolved.kernelVersion, acc.resolved.kernelVersion) < 0)
    acc.resolved = resolved;
}

type NamedInputs = ClusterPlanInputs & { name: string };

/** Named clusters sorted by name, the first of any duplicate name kept. */
function uniqueByName(clusters: ClusterPlanInputs[]): NamedInputs[] {
  const seen = new Map<string, NamedInputs>();
  for (const c of clusters)
    if (c.name !== undefined && !seen.has(c.name)) seen.set(c.name, c as NamedInputs);
  return [...seen.values()].sort((a, b) => compareStrings(a.name, b.name));
}

/**
 * Why a selected cluster without the kernel-versions claim gets nothing. ACM's local-cluster is the hub itself:
 * kmm-hub loads modules there only when KMM (not the KMM-Hub operator) runs on it in managed mode and reports
 * its kernels, so its missing claim is no surprise and is said so.
 */
function noClaimReason(cluster: ClusterPlanInputs, why?: string): string {
  const hub = cluster.name === LOCAL_CLUSTER || cluster.labels[LOCAL_CLUSTER] === 'true';
  const base = hub
    ? "it is the hub itself (ACM's local-cluster): kmm-hub loads modules on the hub only when KMM runs there " +
      'in managed mode (KMM_MANAGED=1) and reports its kernels (the kernel-versions.kmm.node.kubernetes.io claim)'
    : 'it has no kernel-versions.kmm.node.kubernetes.io claim: KMM is not running in managed mode ' +
      '(KMM_MANAGED=1) on it, or has not reported yet';
  return why ? `${base}; ${why}` : base;
}
