import { mergeBuild, mergeSign, applyBuildArgOverrides, kernelBuildArgs } from './merge';
import { compileRegexp } from './regexp';
import { substitute, templateValues } from './template';
import type {
  Build,
  KernelMapping,
  ManagedClusterModule,
  ModuleLoaderContainerSpec,
  Sign,
  TLSOptions,
} from './types';

/** What one kernel gets from an MCM: the first matching mapping, merged with the container and templated. */
export interface ResolvedMapping {
  kernelVersion: string;
  /** index in spec.moduleSpec.moduleLoader.container.kernelMappings of the mapping that matched */
  mappingIndex: number;
  /** the image as the mapping resolves it: templated, not pinned to a digest */
  image: string;
  /** container and mapping build merged; buildArgs include KERNEL_VERSION, KERNEL_FULL_VERSION, MOD_NAME, MOD_NAMESPACE */
  build?: Build;
  /** container and mapping sign merged; unsignedImage and filesToSign templated */
  sign?: Sign;
  registryTLS?: TLSOptions;
  inTreeModulesToRemove?: string[];
}

export type KernelResolution =
  | { kind: 'mapped'; mapping: ResolvedMapping }
  /** no mapping matches: the kernel is skipped */
  | { kind: 'unmapped' }
  /** the matching mapping cannot be used for this kernel (e.g. a template needs components it lacks) */
  | { kind: 'error'; mappingIndex: number; error: string };

export type MappingMatch =
  | { kind: 'match'; index: number }
  | { kind: 'none' }
  | { kind: 'error'; index: number; error: string };

/**
 * Mappings are tried in order and the first match wins: `literal` by string equality, `regexp` as an RE2
 * regexp matched anywhere in the kernel (unanchored, like Go's MatchString). An invalid regexp met before a
 * match is an error, not a non-match.
 */
export function findKernelMapping(
  mappings: readonly KernelMapping[],
  kernel: string,
): MappingMatch {
  for (const [index, m] of mappings.entries()) {
    if (m.literal && m.literal === kernel) return { kind: 'match', index };
    if (!m.regexp) continue;
    const re = compileRegexp(m.regexp);
    if (!re.ok)
      return {
        kind: 'error',
        index,
        error: `invalid regexp ${JSON.stringify(m.regexp)}: ${re.error}`,
      };
    if (re.test(kernel)) return { kind: 'match', index };
  }
  return { kind: 'none' };
}

/** Resolves kernels for one validated MCM, each distinct kernel once. */
export class KernelMapper {
  private readonly resolved = new Map<string, KernelResolution>();
  private readonly container: ModuleLoaderContainerSpec | undefined;
  private readonly modName: string;
  private readonly modNamespace: string;

  constructor(mcm: ManagedClusterModule) {
    this.container = mcm.spec.moduleSpec.moduleLoader?.container;
    this.modName = mcm.metadata.name ?? '';
    // kmm-hub: MOD_NAMESPACE is always spokeNamespace, so the image built is the image sent
    this.modNamespace = mcm.spec.spokeNamespace;
  }

  resolve(kernel: string): KernelResolution {
    let r = this.resolved.get(kernel);
    if (!r) {
      r = this.compute(kernel);
      this.resolved.set(kernel, r);
    }
    return r;
  }

  private compute(kernel: string): KernelResolution {
    const container = this.container;
    if (!container) return { kind: 'unmapped' };
    const match = findKernelMapping(container.kernelMappings, kernel);
    if (match.kind === 'none') return { kind: 'unmapped' };
    if (match.kind === 'error')
      return { kind: 'error', mappingIndex: match.index, error: match.error };
    return resolveMapping(container, match.index, kernel, this.modName, this.modNamespace);
  }
}

/** The merged, templated mapping `index` of `container` for `kernel`. */
export function resolveMapping(
  container: ModuleLoaderContainerSpec,
  index: number,
  kernel: string,
  modName: string,
  modNamespace: string,
): KernelResolution {
  const m = container.kernelMappings[index] as KernelMapping;
  const values = templateValues(kernel, modName, modNamespace);
  const fail = (error: string): KernelResolution => ({ kind: 'error', mappingIndex: index, error });

  const image = substitute(m.containerImage || container.containerImage || '', values);
  if (!image.ok) return fail(image.error);
  const mapping: ResolvedMapping = {
    kernelVersion: kernel,
    mappingIndex: index,
    image: image.value,
  };

  const build = mergeBuild(container.build, m.build);
  if (build) {
    build.buildArgs = applyBuildArgOverrides(
      build.buildArgs ?? [],
      kernelBuildArgs(kernel, modName, modNamespace),
    );
    mapping.build = build;
  }

  const sign = mergeSign(container.sign, m.sign);
  if (sign) {
    if (sign.unsignedImage) {
      const unsigned = substitute(sign.unsignedImage, values);
      if (!unsigned.ok) return fail(unsigned.error);
      sign.unsignedImage = unsigned.value;
    }
    if (sign.filesToSign) {
      const files: string[] = [];
      for (const f of sign.filesToSign) {
        const file = substitute(f, values);
        if (!file.ok) return fail(file.error);
        files.push(file.value);
      }
      sign.filesToSign = files;
    }
    mapping.sign = sign;
  }

  const tls = m.registryTLS ?? container.registryTLS;
  if (tls) mapping.registryTLS = { ...tls };
  const inTree = inTreeModulesToRemove(container, m);
  if (inTree) mapping.inTreeModulesToRemove = inTree;
  return { kind: 'mapped', mapping };
}

/**
 * In-tree modules to remove before loading: the mapping's list if set, else the container's; the deprecated
 * singular field (mapping's over container's) replaces either when set, as upstream does.
 */
export function inTreeModulesToRemove(
  container: ModuleLoaderContainerSpec,
  mapping: KernelMapping,
): string[] | undefined {
  const single = mapping.inTreeModuleToRemove || container.inTreeModuleToRemove;
  if (single) return [single];
  const list = mapping.inTreeModulesToRemove ?? container.inTreeModulesToRemove;
  return list ? [...list] : undefined;
}
