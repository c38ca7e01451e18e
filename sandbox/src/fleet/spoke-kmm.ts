// What the spoke's KMM operator reports in a Module's status, computed from the simulated nodes. This is an
// independent model of the spoke, deliberately not built on controller/src/model: a test of the hub then
// compares the hub's kernel mapping against a second implementation instead of against itself.

import { RE2JS } from 're2js';
import type {
  KernelMapping,
  ModuleLoaderContainerSpec,
  ModuleSpec,
  Toleration,
} from 'kmm-hub-controller/model';
import type { SpokeNode, Taint } from './types';

/** One of status.moduleLoader / devicePlugin / dra; zero counts are omitted, as KMM's Go types do. */
export interface DaemonSetStatus {
  nodesMatchingSelectorNumber?: number;
  desiredNumber?: number;
  availableNumber?: number;
}

export interface ModuleStatus {
  moduleLoader?: DaemonSetStatus;
  devicePlugin?: DaemonSetStatus;
  dra?: DaemonSetStatus;
}

/** Kubernetes toleration semantics (k8s.io/api/core/v1 Toleration.ToleratesTaint). */
export function tolerates(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  if (toleration.operator === 'Exists') return true;
  return (toleration.value ?? '') === (taint.value ?? '');
}

/** Nodes whose labels match the selector and whose NoSchedule/NoExecute taints are all tolerated. */
export function targetedNodes(spec: ModuleSpec, nodes: readonly SpokeNode[]): SpokeNode[] {
  const selector = Object.entries(spec.selector ?? {});
  const tolerations = spec.tolerations ?? [];
  return nodes.filter(
    (node) =>
      selector.every(([key, value]) => node.labels[key] === value) &&
      node.taints.every(
        (taint) =>
          taint.effect === 'PreferNoSchedule' || tolerations.some((t) => tolerates(t, taint)),
      ),
  );
}

function matches(mapping: KernelMapping, kernel: string): boolean {
  if (mapping.literal !== undefined && mapping.literal !== '') return mapping.literal === kernel;
  if (mapping.regexp === undefined || mapping.regexp === '') return false;
  try {
    // Go's regexp.MatchString: RE2, unanchored.
    return RE2JS.compile(mapping.regexp).test(kernel);
  } catch {
    // KMM logs an invalid regexp and treats the node as unmapped; the spoke's webhook normally rejects it.
    return false;
  }
}

function imageVariables(kernel: string, moduleName: string, namespace: string) {
  const safe = kernel.replace(/[^A-Za-z0-9._-]/g, '_');
  const [x = '', y = '', z = ''] = kernel.split(/[.,-]/);
  return {
    KERNEL_FULL_VERSION: safe,
    KERNEL_VERSION: safe,
    KERNEL_XYZ: `${x}.${y}.${z}`,
    KERNEL_X: x,
    KERNEL_Y: y,
    KERNEL_Z: z,
    MOD_NAME: moduleName,
    MOD_NAMESPACE: namespace,
  } as Record<string, string>;
}

/**
 * The image KMM would run on a node with `kernel`: the first matching mapping's image, or the container's,
 * with `$VAR`/`${VAR}` expanded like Go's os.Expand (unknown names expand to nothing). Undefined: no mapping.
 */
export function imageForKernel(
  container: ModuleLoaderContainerSpec,
  kernel: string,
  moduleName: string,
  namespace: string,
): string | undefined {
  const normalized = kernel.endsWith('+') ? kernel.slice(0, -1) : kernel;
  const mapping = container.kernelMappings?.find((m) => matches(m, normalized));
  if (!mapping) return undefined;
  const template = mapping.containerImage || container.containerImage;
  if (!template) return undefined;
  const vars = imageVariables(normalized, moduleName, namespace);
  return template.replace(
    /\$\{(\w+)\}|\$(\w+)/g,
    (_, braced: string | undefined, bare: string | undefined) => vars[braced ?? bare ?? ''] ?? '',
  );
}

function counts(matching: number, desired: number, available: number): DaemonSetStatus {
  const status: DaemonSetStatus = {};
  if (matching) status.nodesMatchingSelectorNumber = matching;
  if (desired) status.desiredNumber = desired;
  if (available) status.availableNumber = available;
  return status;
}

/**
 * The status KMM publishes for a Module on a spoke with these nodes:
 * - moduleLoader: matching = targeted nodes, desired = those whose kernel has a mapping, available = those
 *   whose mapped image can be pulled (the module then loads);
 * - devicePlugin / dra: desired = nodes with the module loaded (or every targeted node without a module
 *   loader), available = those where the plugin image can be pulled.
 */
export function moduleStatus(
  module: { metadata?: { name?: string; namespace?: string }; spec: ModuleSpec },
  nodes: readonly SpokeNode[],
  isPullable: (image: string) => boolean,
): ModuleStatus {
  const { spec } = module;
  const name = module.metadata?.name ?? '';
  const namespace = module.metadata?.namespace ?? '';
  const targeted = targetedNodes(spec, nodes);
  const status: ModuleStatus = {};

  let loaded = targeted;
  if (spec.moduleLoader) {
    const container = spec.moduleLoader.container;
    const images = targeted.map((n) => imageForKernel(container, n.kernelVersion, name, namespace));
    const desired = images.filter((image) => image !== undefined);
    loaded = targeted.filter((_, i) => images[i] !== undefined && isPullable(images[i] as string));
    status.moduleLoader = counts(targeted.length, desired.length, loaded.length);
  }
  for (const key of ['devicePlugin', 'dra'] as const) {
    const plugin = spec[key];
    if (!plugin) continue;
    const available = isPullable(plugin.container.image) ? loaded.length : 0;
    status[key] = counts(targeted.length, loaded.length, available);
  }
  return status;
}
