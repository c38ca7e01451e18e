// The spoke KMM's validating webhook for Modules (internal/webhook/module.go upstream), the rules a
// schema-valid Module can still break. Runs after schema validation, as admission webhooks do. Not
// simulated: the DRA Kubernetes-version gate.

import { RE2JS } from 're2js';
import type { ModuleSpec, Toleration } from 'kmm-hub-controller/model';

// Upstream internal/webhook/module.go: maxCombinedLength = 40 (the name and namespace go into 63-character
// node label names), and device-plugin host paths only under /dev, /sys, /var and /opt. (The project's
// KMM-HUB-SEMANTICS.md says 41 and lists /run; the webhook code does not.)
/** len(name + namespace) above this is rejected. */
export const MAX_MODULE_NAME_AND_NAMESPACE = 40;

const ALLOWED_HOST_PATHS = ['/dev', '/sys', '/var', '/opt'];

function imageError(image: string): string | undefined {
  return image.includes(':') || image.includes('@')
    ? undefined
    : `failed to validate image format: container image must explicitely set a tag or digest; got: ${image}`;
}

function kernelMappingsError(spec: ModuleSpec): string | undefined {
  const container = spec.moduleLoader?.container;
  if (!container) return undefined;
  if (container.inTreeModulesToRemove && container.inTreeModuleToRemove) {
    return "only one of the Container's fields: InTreeModulesToRemove or InTreeModuleToRemove can be defined";
  }
  if (container.containerImage) {
    const err = imageError(container.containerImage);
    if (err) return err;
  }
  for (const [i, km] of (container.kernelMappings ?? []).entries()) {
    if (km.regexp && km.literal) {
      return `regexp and literal are mutually exclusive properties at kernelMappings[${i}]`;
    }
    if (!km.regexp && !km.literal) return `regexp or literal must be set at kernelMappings[${i}]`;
    if (km.regexp) {
      try {
        RE2JS.compile(km.regexp);
      } catch (err) {
        return `invalid regexp at index ${i}: ${(err as Error).message}`;
      }
    }
    if (!km.containerImage) {
      if (!container.containerImage) {
        return `missing spec.moduleLoader.container.kernelMappings[${i}].containerImage`;
      }
    } else {
      const err = imageError(km.containerImage);
      if (err) return err;
    }
  }
  return undefined;
}

function modprobeError(spec: ModuleSpec): string | undefined {
  const modprobe = spec.moduleLoader?.container.modprobe;
  if (!modprobe) return undefined;
  const named = !!modprobe.moduleName;
  const load = (modprobe.rawArgs?.load?.length ?? 0) > 0;
  const unload = (modprobe.rawArgs?.unload?.length ?? 0) > 0;
  if (named && (load || unload)) return 'rawArgs cannot be set when moduleName is set';
  if (!named && (!load || !unload))
    return 'load and unload rawArgs must be set when moduleName is unset';
  const order = modprobe.modulesLoadingOrder;
  if (order) {
    if (order.length < 2)
      return 'if a loading order is defined, at least two values must be defined';
    if (!named) return 'if a loading order is defined, moduleName must be set';
    if (order[0] !== modprobe.moduleName) {
      return 'if a loading order is defined, the first element must be moduleName';
    }
    const dup = order.find((m, i) => order.indexOf(m) !== i);
    if (dup !== undefined) return `"${dup}": duplicate value in the loading order list`;
  }
  return undefined;
}

function tolerationError(tolerations: Toleration[]): string | undefined {
  for (const [i, t] of tolerations.entries()) {
    const at = `Toleration[${i}]`;
    if (!t.key && t.operator !== 'Exists')
      return `${at} operator must be 'Exists' when key is empty`;
    if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute') {
      return `${at} effect must be 'NoExecute' when tolerationSeconds is set`;
    }
    if (t.operator === 'Exists' && t.value) {
      return `${at} value must be empty when operator is 'Exists'`;
    }
    if (t.operator && t.operator !== 'Exists' && t.operator !== 'Equal') {
      return `${at} invalid operator '${t.operator}', allowed values are ['Equal', 'Exists']`;
    }
    if (t.effect && !['NoSchedule', 'PreferNoSchedule', 'NoExecute'].includes(t.effect)) {
      return `${at} invalid effect '${t.effect}', allowed values are ['NoSchedule', 'PreferNoSchedule', 'NoExecute']`;
    }
  }
  return undefined;
}

function filesToSignError(spec: ModuleSpec): string | undefined {
  const container = spec.moduleLoader?.container;
  if (!container) return undefined;
  const dirName = container.modprobe.dirName ?? '';
  const check = (sign: { filesToSign?: string[] } | undefined): string | undefined => {
    if (!sign) return undefined;
    if (!sign.filesToSign?.length) return 'filesToSign is required when Sign is set';
    const outside = sign.filesToSign.find((f) => !f.startsWith(`${dirName}/`));
    return outside === undefined
      ? undefined
      : `filesToSign["${outside}"] must be under dirName "${dirName}"`;
  };
  const global = check(container.sign);
  if (global) return `global Sign: ${global}`;
  for (const [i, km] of (container.kernelMappings ?? []).entries()) {
    const err = check(km.sign);
    if (err) return `kernelMappings[${i}].Sign: ${err}`;
  }
  return undefined;
}

/** The webhook's denial message for a (schema-valid, defaulted) Module, or undefined if it is admitted. */
export function moduleAdmissionError(
  name: string,
  namespace: string,
  spec: ModuleSpec,
): string | undefined {
  const length = (name + namespace).length;
  if (length > MAX_MODULE_NAME_AND_NAMESPACE) {
    return `module name and namespace have a combined length of ${length} characters, which exceeds the maximum of ${MAX_MODULE_NAME_AND_NAMESPACE} when version is set`;
  }
  const tolerations = tolerationError(spec.tolerations ?? []);
  if (tolerations) return `failed to validate Module's tolerations: ${tolerations}`;
  const hostPath = spec.devicePlugin?.volumes?.findIndex(
    (v) =>
      v.hostPath &&
      !ALLOWED_HOST_PATHS.some(
        (p) => v.hostPath?.path === p || v.hostPath?.path.startsWith(`${p}/`),
      ),
  );
  if (hostPath !== undefined && hostPath >= 0) {
    const path = spec.devicePlugin?.volumes?.[hostPath]?.hostPath?.path;
    return `failed to validate device plugin volumes: spec.devicePlugin.volumes[${hostPath}]: hostPath "${path}" is not allowed; only /dev, /sys, /var and /opt paths are permitted`;
  }
  const mappings = kernelMappingsError(spec);
  if (mappings) return `failed to validate kernel mappings: ${mappings}`;
  const modprobe = modprobeError(spec);
  if (modprobe) return `failed to validate modprobe: ${modprobe}`;
  return filesToSignError(spec);
}

/**
 * ValidateUpdate's own rule (before validateModule): an existing Module cannot gain or lose
 * moduleLoader.container.version, since KMM's ordered upgrade labels nodes by it.
 */
export function moduleUpdateError(old: ModuleSpec, next: ModuleSpec): string | undefined {
  if (!old?.moduleLoader || !next?.moduleLoader) return undefined;
  const before = old.moduleLoader.container.version ?? '';
  const after = next.moduleLoader.container.version ?? '';
  return (before === '') !== (after === '')
    ? 'cannot update to or from an empty version; please delete the Module and create it again'
    : undefined;
}
