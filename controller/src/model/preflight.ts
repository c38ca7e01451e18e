import { withTransitionTimes } from './conditions';
import { KernelMapper } from './mapping';
import { compareStrings } from './order';
import type { PlannedImage } from './plan';
import {
  MAX_UPCOMING_KERNELS,
  PREFLIGHT_READY,
  type KernelPreflight,
  type UpcomingKernel,
} from './preflight-types';
import { count, nameList } from './summary';
import type {
  Condition,
  ImageStateInfo,
  ManagedClusterModule,
  ManagedClusterModuleStatus,
  PreflightState,
  PreflightStatus,
} from './types';
import { Problems, type ValidationProblem } from './validation-fields';

// Fleet preflight for one MCM: which image each upcoming kernel needs, so that the controller checks, builds
// and signs it through the same image states as the images spokes need now, and what the MCM's status says
// about each. Nothing here touches ManifestWorks: upcoming kernels go to no spoke.

/** uname's release field holds at most 64 characters (__NEW_UTS_LEN), so no real kernel version is longer. */
const MAX_KERNEL_VERSION = 64;
const MAX_RELEASE = 128;

/** Problems with a KernelPreflight, each naming its field and the fix; an object with any is ignored whole. */
export function validateKernelPreflight(obj: unknown): ValidationProblem[] {
  const p = new Problems();
  const root = p.object(obj, '', 'a KernelPreflight object');
  const spec = root && p.object(root.spec, 'spec', 'list the upcoming kernels in spec.kernels');
  if (!spec) return p.list;
  const kernels = p.array(spec.kernels, 'spec.kernels');
  if (!kernels || kernels.length === 0) {
    if (kernels || spec.kernels === undefined || spec.kernels === null)
      p.add(
        'spec.kernels',
        'list at least one kernel, e.g. - version: 5.14.0-570.19.1.el9_6.x86_64',
      );
    return p.list;
  }
  if (kernels.length > MAX_UPCOMING_KERNELS)
    p.add(
      'spec.kernels',
      `lists ${kernels.length} kernels; at most ${MAX_UPCOMING_KERNELS} per KernelPreflight (split them over several)`,
    );
  const seen = new Map<string, number>();
  kernels.forEach((k, i) => {
    const path = `spec.kernels[${i}]`;
    const entry = p.object(k, path, 'a kernel with its version');
    if (!entry) return;
    const version = p.string(
      entry.version,
      `${path}.version`,
      'the full kernel version (uname -r)',
    );
    p.string(entry.release, `${path}.release`, false);
    if (typeof entry.release === 'string' && entry.release.length > MAX_RELEASE)
      p.add(
        `${path}.release`,
        `is ${entry.release.length} characters long; at most ${MAX_RELEASE}`,
      );
    if (version === undefined) return;
    const problem = kernelVersionProblem(version);
    if (problem) {
      p.add(`${path}.version`, problem);
      return;
    }
    const first = seen.get(version);
    if (first !== undefined)
      p.add(
        `${path}.version`,
        `${version} is listed already at spec.kernels[${first}].version; remove one of them`,
      );
    else seen.set(version, i);
  });
  return p.list;
}

/** Why `version` cannot be a kernel version a spoke reports, or undefined. */
function kernelVersionProblem(version: string): string | undefined {
  if (/\s/.test(version))
    return `${JSON.stringify(version)} contains white space; give one kernel version per entry`;
  if (version.length > MAX_KERNEL_VERSION)
    return `is ${version.length} characters long; a kernel version (uname -r) has at most ${MAX_KERNEL_VERSION}`;
  if (version.endsWith('+'))
    return `${version} ends with "+", which spokes drop before they report their kernels; write ${version.slice(0, -1)}`;
  return undefined;
}

/**
 * Every kernel declared by the valid KernelPreflights, each once, sorted by version; a kernel declared by
 * several objects takes the release label of the first object (by name) that gives one.
 */
export function upcomingKernels(preflights: readonly KernelPreflight[]): UpcomingKernel[] {
  const byVersion = new Map<string, UpcomingKernel>();
  const valid = preflights
    .filter((p) => !p.metadata?.deletionTimestamp && validateKernelPreflight(p).length === 0)
    .sort((a, b) => compareStrings(a.metadata.name ?? '', b.metadata.name ?? ''));
  for (const p of valid)
    for (const k of p.spec.kernels) {
      const known = byVersion.get(k.version);
      if (!known)
        byVersion.set(
          k.version,
          k.release ? { version: k.version, release: k.release } : { version: k.version },
        );
      else if (!known.release && k.release) known.release = k.release;
    }
  return [...byVersion.values()].sort((a, b) => compareStrings(a.version, b.version));
}

/** One MCM's preflight: an entry per upcoming kernel, and the images to check, build and sign for them. */
export interface McmPreflight {
  /** sorted by kernel; empty for an MCM without a module loader (a device plugin needs no kernel image) */
  entries: PreflightStatus[];
  /** the distinct images the entries need, in the plan's shape (no clusters: no spoke runs them yet) */
  images: PlannedImage[];
}

const NO_ANSWER: ImageStateInfo = { state: 'Unknown' };

/**
 * Resolves a valid MCM's kernel mappings for the upcoming kernels (the same KernelMapper the plan uses) and
 * reads each image's state from `imageStates` (undefined answer = Unknown, as in a plan).
 */
export function mcmPreflight(
  mcm: ManagedClusterModule,
  kernels: readonly UpcomingKernel[],
  imageStates: (image: string) => ImageStateInfo | undefined,
): McmPreflight {
  if (kernels.length === 0 || !mcm.spec.moduleSpec.moduleLoader) return { entries: [], images: [] };
  const name = mcm.metadata.name ?? '';
  const mapper = new KernelMapper(mcm);
  const images = new Map<string, PlannedImage>();
  const entries = kernels.map(({ version, release }): PreflightStatus => {
    const base: PreflightStatus = release
      ? { kernelVersion: version, release, state: 'Unknown' }
      : { kernelVersion: version, state: 'Unknown' };
    const r = mapper.resolve(version);
    if (r.kind === 'unmapped')
      return {
        ...base,
        state: 'NoMapping',
        reason: 'NoKernelMapping',
        message:
          `no entry of spec.moduleSpec.moduleLoader.container.kernelMappings matches ${version}: clusters that ` +
          'upgrade to it will not load the module; add a literal or regexp mapping for it',
      };
    if (r.kind === 'error')
      return {
        ...base,
        state: 'MappingError',
        reason: 'KernelNotMappable',
        message: `spec.moduleSpec.moduleLoader.container.kernelMappings[${r.mappingIndex}]: ${r.error}`,
      };
    const { mapping } = r;
    const answer = imageStates(mapping.image);
    const info = answer ?? NO_ANSWER;
    let image = images.get(mapping.image);
    if (!image) {
      image = {
        mcm: name,
        image: mapping.image,
        kernelVersions: [],
        clusters: [],
        build: false,
        sign: false,
        state: info.state,
        resolved: mapping,
      };
      if (info.digest) image.digest = info.digest;
      images.set(mapping.image, image);
    }
    image.kernelVersions.push(version);
    image.build ||= mapping.build !== undefined;
    image.sign ||= mapping.sign !== undefined;
    const out: PreflightStatus = { ...base, image: mapping.image, state: info.state };
    if (info.digest) out.digest = info.digest;
    const reason = info.reason ?? (answer ? undefined : 'NoAnswerYet');
    if (reason) out.reason = reason;
    const message =
      info.message ??
      (reason === 'NoAnswerYet'
        ? `${mapping.image} has not been checked in its registry yet`
        : undefined);
    if (message) out.message = message;
    return out;
  });
  return {
    entries,
    images: [...images.values()].sort((a, b) => compareStrings(a.image, b.image)),
  };
}

/**
 * The images to track for an MCM: what its plan needs now, then what only its upcoming kernels need. An image
 * in both is the plan's (the same image means the same recipe).
 */
export function withPreflightImages(
  planned: readonly PlannedImage[],
  preflight: readonly PlannedImage[],
): PlannedImage[] {
  const seen = new Set(planned.map((i) => i.image));
  return [...planned, ...preflight.filter((i) => !seen.has(i.image))];
}

/** States in which an MCM cannot load on the kernel as it is, whatever time passes. */
export const PREFLIGHT_BLOCKED: ReadonlySet<PreflightState> = new Set([
  'NoMapping',
  'MappingError',
  'Missing',
  'Failed',
]);

/** The PreflightReady condition for the entries, or undefined when no kernel is upcoming. */
export function preflightCondition(entries: readonly PreflightStatus[]): Condition | undefined {
  if (entries.length === 0) return undefined;
  const blocked = entries.filter((e) => PREFLIGHT_BLOCKED.has(e.state));
  const notReady = entries.filter((e) => e.state !== 'Ready' && !PREFLIGHT_BLOCKED.has(e.state));
  const describe = (list: readonly PreflightStatus[]) =>
    nameList(
      list.map((e) => `${e.kernelVersion} (${e.state})`),
      4,
    );
  if (blocked.length > 0)
    return {
      type: PREFLIGHT_READY,
      status: 'False',
      reason: blocked.some((e) => e.state === 'NoMapping' || e.state === 'MappingError')
        ? 'NoImageForKernel'
        : 'ImageFailed',
      message: `not ready for ${count(blocked.length, 'upcoming kernel')}: ${describe(blocked)}; see status.preflight`,
    };
  if (notReady.length > 0)
    return {
      type: PREFLIGHT_READY,
      status: 'False',
      reason: 'ImagesInProgress',
      message: `images for ${count(notReady.length, 'upcoming kernel')} are not ready yet: ${describe(notReady)}`,
    };
  return {
    type: PREFLIGHT_READY,
    status: 'True',
    reason: 'ImagesReady',
    message: `an image is ready for every upcoming kernel (${count(entries.length, 'kernel')})`,
  };
}

/**
 * `status` with status.preflight and the PreflightReady condition for `entries` (both removed when there are
 * none); transition times kept from `previous` while a state does not change.
 */
export function withPreflight(
  status: ManagedClusterModuleStatus,
  entries: readonly PreflightStatus[],
  previous: ManagedClusterModuleStatus | undefined,
  now: string,
): ManagedClusterModuleStatus {
  const out: ManagedClusterModuleStatus = { ...status };
  const conditions = (status.conditions ?? []).filter((c) => c.type !== PREFLIGHT_READY);
  const condition = preflightCondition(entries);
  if (condition) conditions.push(...withTransitionTimes(previous?.conditions, [condition], now));
  out.conditions = conditions;
  if (entries.length === 0) {
    delete out.preflight;
    return out;
  }
  out.preflight = entries.map((e) => {
    const before = previous?.preflight?.find((p) => p.kernelVersion === e.kernelVersion);
    const lastTransitionTime =
      before && before.state === e.state && before.lastTransitionTime
        ? before.lastTransitionTime
        : now;
    return { ...e, lastTransitionTime };
  });
  return out;
}
