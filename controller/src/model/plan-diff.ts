import { pinImage } from './image';
import { isPlainObject, jsonEqual } from './json';
import { moduleOf, workMappingsOf, type WorkMapping } from './manifestwork';
import { compareStrings } from './order';
import { applySchemaDefaults, type DefaultingSchema } from './schema-defaults';
import { planManagedClusterModule, type PlanError, type PlannedImage } from './plan';
import type {
  ImageState,
  ImageStateInfo,
  ManagedCluster,
  ManagedClusterModule,
  ManifestWork,
} from './types';
import { isWorkOf, manifestWorkDiff } from './workmatch';

/** One kernel whose image changes on the clusters that keep the module; `null`: no mapping on that side. */
export interface ImageChange {
  kernelVersion: string;
  from: string | null;
  to: string | null;
  clusters: string[];
}

/** Clusters whose ManifestWork changes for other reasons than kernel images: the fields that differ. */
export interface OtherChange {
  /** MCM field paths (`spec.spokeNamespace`, `spec.moduleSpec.…`), or the ManifestWork part when none applies */
  fields: string[];
  clusters: string[];
}

/**
 * Where an incoming image stands: known to the hub (the live MCM's status.images), answered by its registry,
 * or not checked. `state` uses the controller's vocabulary; `NotChecked` means nobody asked the registry.
 */
export interface PreviewImage {
  image: string;
  kernelVersions: string[];
  /** the clusters that would receive it (gained, or changing to it) */
  clusters: string[];
  build: boolean;
  sign: boolean;
  source: 'hub' | 'registry' | 'none';
  state: ImageState | 'NotChecked';
  note: string;
}

/** The impact of one edited MCM. Every list is sorted; empty lists mean no change of that kind. */
export interface McmDiff {
  mcm: string;
  /** whether an MCM of that name exists on the hub */
  onHub: boolean;
  changed: boolean;
  /** every cluster that gains, loses or changes its ManifestWork */
  changedClusters: string[];
  clustersGained: string[];
  clustersLost: string[];
  imageChanges: ImageChange[];
  otherChanges: OtherChange[];
  /** images the change sends to clusters that do not run them now */
  images: PreviewImage[];
}

/** A registry's answer for one image, when the caller could ask it. */
export type RegistryAnswer =
  { kind: 'found'; digest: string } | { kind: 'missing' } | { kind: 'error'; message: string };

export interface PreviewInput {
  edited: ManagedClusterModule;
  /** the MCM of the same name on the hub, if any */
  live?: ManagedClusterModule;
  clusters: readonly ManagedCluster[];
  /** the ManifestWorks carrying the MCM's label on the hub */
  currentWorks: readonly ManifestWork[];
  /** answers by image (as its mapping resolves it), for images the hub does not know */
  registry?: ReadonlyMap<string, RegistryAnswer>;
  /** the hub's MCM CRD schema: its defaults are applied to `edited`, as the API server would on apply */
  schema?: DefaultingSchema;
}

/** An incoming image nobody has answered for yet, with how its registry is reached (its mapping's registryTLS). */
export interface RegistryTarget {
  image: string;
  insecure?: boolean;
  insecureSkipTLSVerify?: boolean;
}

export type PreviewResult =
  | { errors: PlanError[] }
  | {
      errors: [];
      diff: McmDiff;
      /** images of diff.images that neither the hub nor `registry` answered for: what a registry check would ask */
      unchecked: RegistryTarget[];
    };

/**
 * What applying `edited` would change on the hub: given the CRD's defaults as the API server would give them,
 * then planned exactly as the controller plans (same selection, mappings, retention for clusters without a
 * kernel claim), against the live clusters and works, and compared with the works as they are. Every image is taken to become Ready, so the preview shows where the edit leads
 * rather than the wait on the way; an image the hub already knows keeps its digest, so an unchanged image
 * pins exactly as the controller pinned it. The images section says which incoming images are not known to
 * be in their registry (a hub build or sign would start, or the registry was not consulted).
 * An invalid edit returns its validation errors only: the controller would change nothing.
 */
export function previewMcm(input: PreviewInput): PreviewResult {
  const { live } = input;
  const edited = withLiveUid(applySchemaDefaults(input.schema, input.edited), live);
  const known = new Map((live?.status?.images ?? []).map((i) => [i.image, i]));
  const lookup = (_mcm: string, image: string): ImageStateInfo => ({
    state: 'Ready',
    digest: known.get(image)?.digest,
  });
  // read defensively: an invalid edit is reported by the plan's validation, not by a TypeError here
  const rawName: unknown = (edited as { metadata?: { name?: unknown } } | null)?.metadata?.name;
  const name = typeof rawName === 'string' ? rawName : '';
  const current = input.currentWorks.filter((w) => isWorkOf(w, name));
  const p = planManagedClusterModule(edited, input.clusters, lookup, current);
  if (p.errors.length > 0) return { errors: p.errors };
  const diff = planDiff(name, current, p.manifestWorks);
  diff.onHub = live !== undefined;
  diff.images = incomingImages(p.images, diff, current, p.manifestWorks, known, input.registry);
  const unchecked = new Set(diff.images.filter((i) => i.source === 'none').map((i) => i.image));
  const targets = p.images
    .filter((i) => unchecked.has(i.image) && !input.registry?.has(i.image))
    .map(({ image, resolved }): RegistryTarget => ({ image, ...resolved.registryTLS }));
  return { errors: [], diff, unchecked: targets };
}

/**
 * The difference between an MCM's current ManifestWorks and the desired ones (both keyed by cluster; works
 * being deleted count as gone, works of another name are not the MCM's). `images` is left empty.
 */
export function planDiff(
  mcm: string,
  current: readonly ManifestWork[],
  desired: readonly ManifestWork[],
): McmDiff {
  const have = byCluster(current, mcm);
  const want = byCluster(desired, mcm);
  const gained = [...want.keys()].filter((c) => !have.has(c)).sort(compareStrings);
  const lost = [...have.keys()].filter((c) => !want.has(c)).sort(compareStrings);
  const images = new Grouped<ImageChange>();
  const others = new Grouped<OtherChange>();
  for (const [cluster, d] of want) {
    const c = have.get(cluster);
    if (!c) continue;
    const now = workMappingsOf(c);
    const next = workMappingsOf(d);
    const mappingFields: string[] = [];
    for (const kernel of new Set([...now.keys(), ...next.keys()])) {
      const a = now.get(kernel);
      const b = next.get(kernel);
      const from = a?.containerImage ?? null;
      const to = b?.containerImage ?? null;
      if (from !== to) {
        images.add(JSON.stringify([kernel, from, to]), cluster, (clusters) => ({
          kernelVersion: kernel,
          from,
          to,
          clusters,
        }));
      } else if (a && b && !jsonEqual(a.inTreeModulesToRemove, b.inTreeModulesToRemove)) {
        mappingFields.push(`kernel ${kernel}: inTreeModulesToRemove`);
      }
    }
    const fields = [...otherFields(c, d), ...mappingFields].sort(compareStrings);
    if (fields.length > 0)
      others.add(JSON.stringify(fields), cluster, (clusters) => ({ fields, clusters }));
  }
  const imageChanges = images
    .values()
    .sort(
      (a, b) =>
        compareStrings(a.kernelVersion, b.kernelVersion) ||
        compareStrings(a.from ?? '', b.from ?? '') ||
        compareStrings(a.to ?? '', b.to ?? ''),
    );
  const otherChanges = others
    .values()
    .sort((a, b) => compareStrings(a.fields.join('\n'), b.fields.join('\n')));
  const changed = new Set([...gained, ...lost]);
  for (const g of [...imageChanges, ...otherChanges]) for (const c of g.clusters) changed.add(c);
  return {
    mcm,
    onHub: true,
    changed: changed.size > 0,
    changedClusters: [...changed].sort(compareStrings),
    clustersGained: gained,
    clustersLost: lost,
    imageChanges,
    otherChanges,
    images: [],
  };
}

/** A limit on how many clusters may change: a number, or a percentage of the fleet. */
export type ChangeLimit = { clusters: number } | { percent: number };

/** Whether `changed` clusters out of a fleet of `fleet` go past the limit. */
export function exceedsLimit(changed: number, fleet: number, limit: ChangeLimit): boolean {
  return 'clusters' in limit ? changed > limit.clusters : changed * 100 > limit.percent * fleet;
}

/** Parses `--max-changed-clusters`: `N` or `P%`; undefined when malformed. */
export function parseChangeLimit(text: string): ChangeLimit | undefined {
  const m = /^(\d+)(%?)$/.exec(text.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  if (m[2]) return n <= 100 ? { percent: n } : undefined;
  return { clusters: n };
}

/** The edited MCM as `kubectl apply` would leave it: same object, so its works keep their owner reference. */
function withLiveUid(
  edited: ManagedClusterModule,
  live: ManagedClusterModule | undefined,
): ManagedClusterModule {
  const uid = live?.metadata?.uid;
  if (!uid || !isPlainObject(edited?.metadata) || edited.metadata.uid) return edited;
  return { ...edited, metadata: { ...edited.metadata, uid } };
}

function byCluster(works: readonly ManifestWork[], mcm: string): Map<string, ManifestWork> {
  const out = new Map<string, ManifestWork>();
  for (const w of works) {
    const ns = w.metadata?.namespace;
    if (ns && w.metadata.name === mcm && !w.metadata.deletionTimestamp) out.set(ns, w);
  }
  return out;
}

/** Entries grouped by a key, each with the clusters that share it. */
class Grouped<T extends { clusters: string[] }> {
  private readonly groups = new Map<string, T>();

  add(key: string, cluster: string, make: (clusters: string[]) => T): void {
    const g = this.groups.get(key);
    if (g) g.clusters.push(cluster);
    else this.groups.set(key, make([cluster]));
  }

  values(): T[] {
    const out = [...this.groups.values()];
    for (const g of out) g.clusters.sort(compareStrings);
    return out;
  }
}

/**
 * What differs between two works of one cluster besides kernel mappings, named by the MCM field that causes
 * it where there is one: the Module's namespace is spec.spokeNamespace, its spec is spec.moduleSpec.
 */
function otherFields(current: ManifestWork, desired: ManifestWork): string[] {
  const parts = manifestWorkDiff(current, desired);
  const out = new Set<string>();
  for (const part of parts) {
    if (part === 'spec.workload') {
      for (const f of moduleFields(current, desired)) out.add(f);
    } else if (part === 'spec.manifestConfigs') {
      // follows the Module's name and namespace: only worth naming when the workload does not explain it
      const ns = (w: ManifestWork) => w.spec?.manifestConfigs?.[0]?.resourceIdentifier?.namespace;
      out.add(
        ns(current) !== ns(desired) ? 'spec.spokeNamespace' : 'ManifestWork spec.manifestConfigs',
      );
    } else {
      out.add(`ManifestWork ${part}`);
    }
  }
  return [...out];
}

function moduleFields(current: ManifestWork, desired: ManifestWork): string[] {
  const a = moduleOf(current);
  const b = moduleOf(desired);
  const count = (w: ManifestWork) => w.spec?.workload?.manifests?.length ?? 0;
  if (!a || !b || count(current) !== count(desired)) return ['ManifestWork spec.workload'];
  const out: string[] = [];
  if (a.metadata?.namespace !== b.metadata?.namespace) out.push('spec.spokeNamespace');
  if (!jsonEqual({ ...a.metadata, namespace: undefined }, { ...b.metadata, namespace: undefined }))
    out.push('ManifestWork spec.workload (Module metadata)');
  // what remains are the kernel mappings, which planDiff compares kernel by kernel
  leafPaths(withoutMappings(a.spec), withoutMappings(b.spec), 'spec.moduleSpec', out);
  return out;
}

function withoutMappings(spec: unknown): unknown {
  if (!isPlainObject(spec)) return spec;
  const loader = spec.moduleLoader;
  if (!isPlainObject(loader) || !isPlainObject(loader.container)) return spec;
  return {
    ...spec,
    moduleLoader: { ...loader, container: { ...loader.container, kernelMappings: undefined } },
  };
}

/** The deepest object paths at which a and b differ (lists compared whole). */
function leafPaths(a: unknown, b: unknown, path: string, out: string[]): void {
  if (jsonEqual(a, b)) return;
  if (!isPlainObject(a) || !isPlainObject(b)) {
    out.push(path);
    return;
  }
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort(compareStrings);
  for (const k of keys) leafPaths(a[k], b[k], `${path}.${k}`, out);
}

/** The images of the plan that reach a cluster not running them now, with what is known of each. */
function incomingImages(
  images: readonly PlannedImage[],
  diff: McmDiff,
  current: readonly ManifestWork[],
  desired: readonly ManifestWork[],
  known: ReadonlyMap<string, { state: ImageState; digest?: string; message?: string }>,
  registry: ReadonlyMap<string, RegistryAnswer> | undefined,
): PreviewImage[] {
  // (cluster, kernel) pairs whose image is new to them, by the image as written in the work
  const receivers = new Map<string, { clusters: Set<string>; kernels: Set<string> }>();
  const receive = (written: string, cluster: string, kernel: string) => {
    let r = receivers.get(written);
    if (!r) receivers.set(written, (r = { clusters: new Set(), kernels: new Set() }));
    r.clusters.add(cluster);
    r.kernels.add(kernel);
  };
  const gained = new Set(diff.clustersGained);
  const have = byCluster(current, diff.mcm);
  for (const [cluster, work] of byCluster(desired, diff.mcm)) {
    const before: Map<string, WorkMapping> = gained.has(cluster)
      ? new Map()
      : workMappingsOf(have.get(cluster) as ManifestWork);
    for (const [kernel, m] of workMappingsOf(work))
      if (before.get(kernel)?.containerImage !== m.containerImage)
        receive(m.containerImage, cluster, kernel);
  }
  const out: PreviewImage[] = [];
  for (const p of images) {
    const r = receivers.get(pinImage(p.image, known.get(p.image)?.digest));
    if (!r) continue;
    out.push({
      image: p.image,
      kernelVersions: [...r.kernels].sort(compareStrings),
      clusters: [...r.clusters].sort(compareStrings),
      build: p.build,
      sign: p.sign,
      ...imageOutlook(p, known.get(p.image), registry?.get(p.image)),
    });
  }
  return out;
}

function imageOutlook(
  p: PlannedImage,
  hub: { state: ImageState; message?: string } | undefined,
  answer: RegistryAnswer | undefined,
): Pick<PreviewImage, 'source' | 'state' | 'note'> {
  const recipe =
    p.build && p.sign ? 'build and sign' : p.build ? 'build' : p.sign ? 'sign' : undefined;
  if (hub) {
    const notes: Record<ImageState, string> = {
      Ready: 'known to the hub',
      Waiting: `the hub has yet to ${recipe ?? 'produce'} it`,
      Building: 'a hub build is running',
      Signing: 'a hub sign is running',
      Missing: 'not in its registry, and no build or sign can produce it: push it first',
      Failed: `its hub ${recipe ?? 'job'} failed: the clusters would wait for it`,
      Unknown: 'the hub could not check its registry yet',
    };
    return { source: 'hub', state: hub.state, note: hub.message ?? notes[hub.state] };
  }
  if (answer?.kind === 'found')
    return { source: 'registry', state: 'Ready', note: `in its registry (${answer.digest})` };
  if (answer?.kind === 'missing')
    return recipe
      ? {
          source: 'registry',
          state: 'Waiting',
          note: `not in its registry: a hub ${recipe} would start`,
        }
      : {
          source: 'registry',
          state: 'Missing',
          note: 'not in its registry, and no build or sign can produce it: push it first',
        };
  const why =
    answer?.kind === 'error'
      ? `the registry could not be checked (${answer.message})`
      : 'registry not consulted';
  return {
    source: 'none',
    state: 'NotChecked',
    note: recipe
      ? `new to the hub; ${why}: a hub ${recipe} starts unless it is already in its registry`
      : `new to the hub; ${why}: it must already be in its registry`,
  };
}
