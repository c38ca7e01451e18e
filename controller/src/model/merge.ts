import { cloneJson } from './json';
import { compareStrings } from './order';
import type { Build, BuildArg, Sign } from './types';

// How a kernel mapping's build and sign combine with the container-level ones (upstream's rules).

/**
 * `args` with every override of the same name replacing it in place; overrides naming no existing argument
 * are appended, sorted by name (the last of several overrides with one name wins).
 */
export function applyBuildArgOverrides(
  args: readonly BuildArg[],
  overrides: readonly BuildArg[],
): BuildArg[] {
  const byName = new Map<string, BuildArg>();
  for (const o of overrides) byName.set(o.name, o);
  const unused = new Set(byName.keys());
  const out = args.map((a) => {
    const o = byName.get(a.name);
    if (!o) return { ...a };
    unused.delete(a.name);
    return { ...o };
  });
  for (const name of [...unused].sort(compareStrings))
    out.push({ ...(byName.get(name) as BuildArg) });
  return out;
}

/**
 * Only one of container/mapping set: that one. Both: the container's, with the mapping's
 * `dockerfileConfigMap` if set, build args overridden by name then appended, secrets concatenated.
 */
export function mergeBuild(
  container: Build | undefined,
  mapping: Build | undefined,
): Build | undefined {
  if (!container) return mapping && cloneJson(mapping);
  if (!mapping) return cloneJson(container);
  const merged = cloneJson(container);
  if (mapping.dockerfileConfigMap)
    merged.dockerfileConfigMap = cloneJson(mapping.dockerfileConfigMap);
  const args = applyBuildArgOverrides(container.buildArgs ?? [], mapping.buildArgs ?? []);
  if (args.length > 0) merged.buildArgs = args;
  const secrets = [...(container.secrets ?? []), ...(mapping.secrets ?? [])].map((s) => ({ ...s }));
  if (secrets.length > 0) merged.secrets = secrets;
  return merged;
}

/**
 * Only one of container/mapping set: that one. Both: the container's, with the mapping's non-empty
 * `unsignedImage`, `keySecret` and `certSecret` overriding, and `filesToSign` concatenated (container's first).
 */
export function mergeSign(
  container: Sign | undefined,
  mapping: Sign | undefined,
): Sign | undefined {
  if (!container) return mapping && cloneJson(mapping);
  if (!mapping) return cloneJson(container);
  const merged = cloneJson(container);
  if (mapping.unsignedImage) merged.unsignedImage = mapping.unsignedImage;
  if (mapping.keySecret) merged.keySecret = { ...mapping.keySecret };
  if (mapping.certSecret) merged.certSecret = { ...mapping.certSecret };
  const files = [...(container.filesToSign ?? []), ...(mapping.filesToSign ?? [])];
  if (files.length > 0) merged.filesToSign = files;
  return merged;
}

/** The build arguments every build gets (upstream sets them on top of the MCM's own). */
export function kernelBuildArgs(kernel: string, modName: string, modNamespace: string): BuildArg[] {
  return [
    { name: 'KERNEL_VERSION', value: kernel },
    { name: 'KERNEL_FULL_VERSION', value: kernel },
    { name: 'MOD_NAME', value: modName },
    { name: 'MOD_NAMESPACE', value: modNamespace },
  ];
}
