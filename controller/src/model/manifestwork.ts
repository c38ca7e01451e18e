import {
  FEEDBACK_COUNTERS,
  FEEDBACK_SECTIONS,
  MANIFEST_WORK_KIND,
  MCM_API_VERSION,
  MCM_KIND,
  MCM_NAME_LABEL,
  MODULE_API_VERSION,
  MODULE_GROUP,
  MODULE_KIND,
  MODULE_RESOURCE,
  WORK_API_VERSION,
} from './constants';
import { cloneJson } from './json';
import { compareStrings } from './order';
import type {
  FeedbackRule,
  KernelMapping,
  ManagedClusterModule,
  ManifestConfigOption,
  ManifestWork,
  Module,
  ModuleSpec,
  OwnerReference,
} from './types';

/** One kernel's entry in the spoke Module: the kernel itself, its image, and in-tree modules to remove. */
export interface WorkMapping {
  literal: string;
  containerImage: string;
  inTreeModulesToRemove?: string[];
}

const FEEDBACK_JSON_PATHS = FEEDBACK_SECTIONS.flatMap((section) =>
  FEEDBACK_COUNTERS.map((counter) => ({
    name: `${section}.${counter}`,
    path: `.status.${section}.${counter}`,
  })),
);

/** JSONPaths feedback for every Module status counter, named as upstream names them (`moduleLoader.availableNumber`). */
export function moduleFeedbackRules(): FeedbackRule[] {
  return [
    {
      type: 'JSONPaths',
      jsonPaths: FEEDBACK_JSON_PATHS.map((p) => ({ name: p.name, path: p.path })),
    },
  ];
}

/**
 * Renders the ManifestWorks of one MCM (validated: its shape is trusted). Name = MCM name, namespace = the
 * cluster, label `kmm.node.kubernetes.io/managedclustermodule.name=<mcm>`, a controller ownerReference to the
 * MCM (its uid is empty when the MCM has none, e.g. read from a file), no deleteOption (deleting the work
 * deletes the spoke Module), and one manifest: the Module `<mcm>` in spokeNamespace with the MCM's moduleSpec,
 * minus every build and sign, its kernelMappings replaced by one literal mapping per kernel sorted by kernel.
 * kmm-hub also drops the container's deprecated `inTreeModuleToRemove`: each mapping carries the resolved
 * list, and the spoke webhook rejects a Module that has both forms.
 */
export class ManifestWorkRenderer {
  private readonly name: string;
  private readonly namespace: string;
  private readonly baseSpec: ModuleSpec;
  private readonly owner: OwnerReference;

  constructor(mcm: ManagedClusterModule) {
    this.name = mcm.metadata.name ?? '';
    this.namespace = mcm.spec.spokeNamespace;
    this.owner = {
      apiVersion: MCM_API_VERSION,
      kind: MCM_KIND,
      name: this.name,
      uid: mcm.metadata.uid ?? '',
      controller: true,
      blockOwnerDeletion: true,
    };
    const spec = cloneJson(mcm.spec.moduleSpec);
    const container = spec.moduleLoader?.container;
    if (container) {
      delete container.build;
      delete container.sign;
      delete container.inTreeModuleToRemove;
      container.kernelMappings = [];
    }
    this.baseSpec = spec;
  }

  /** `mappings` is required when the MCM has a moduleLoader (at least one), ignored otherwise. */
  render(cluster: string, mappings: readonly WorkMapping[] = []): ManifestWork {
    const spec = cloneJson(this.baseSpec);
    const container = spec.moduleLoader?.container;
    if (container) {
      container.kernelMappings = [...mappings]
        .sort((a, b) => compareStrings(a.literal, b.literal))
        .map(toKernelMapping);
    }
    const module: Module = {
      apiVersion: MODULE_API_VERSION,
      kind: MODULE_KIND,
      metadata: { name: this.name, namespace: this.namespace },
      spec,
    };
    const config: ManifestConfigOption = {
      resourceIdentifier: {
        group: MODULE_GROUP,
        resource: MODULE_RESOURCE,
        name: this.name,
        namespace: this.namespace,
      },
      feedbackRules: moduleFeedbackRules(),
    };
    return {
      apiVersion: WORK_API_VERSION,
      kind: MANIFEST_WORK_KIND,
      metadata: {
        name: this.name,
        namespace: cluster,
        labels: { [MCM_NAME_LABEL]: this.name },
        ownerReferences: [{ ...this.owner }],
      },
      spec: { workload: { manifests: [module] }, manifestConfigs: [config] },
    };
  }
}

function toKernelMapping(m: WorkMapping): KernelMapping {
  const out: KernelMapping = { literal: m.literal, containerImage: m.containerImage };
  if (m.inTreeModulesToRemove) out.inTreeModulesToRemove = [...m.inTreeModulesToRemove];
  return out;
}

/** The Module a ManifestWork carries (the first manifest of kind Module), if any. */
export function moduleOf(work: ManifestWork): Module | undefined {
  const manifests = work.spec?.workload?.manifests;
  if (!Array.isArray(manifests)) return undefined;
  return manifests.find(
    (m): m is Module => m?.kind === MODULE_KIND && m.apiVersion === MODULE_API_VERSION,
  );
}

/** The literal kernel mappings a written ManifestWork carries, by kernel version. */
export function workMappingsOf(work: ManifestWork): Map<string, WorkMapping> {
  const out = new Map<string, WorkMapping>();
  const mappings = moduleOf(work)?.spec?.moduleLoader?.container?.kernelMappings;
  if (!Array.isArray(mappings)) return out;
  for (const m of mappings) {
    if (typeof m?.literal !== 'string' || typeof m.containerImage !== 'string') continue;
    const wm: WorkMapping = { literal: m.literal, containerImage: m.containerImage };
    if (Array.isArray(m.inTreeModulesToRemove))
      wm.inTreeModulesToRemove = [...m.inTreeModulesToRemove];
    out.set(m.literal, wm);
  }
  return out;
}
