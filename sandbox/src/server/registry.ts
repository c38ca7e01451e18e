import type { JSONSchemaProps } from '../schema';
import { builtinTypes } from './builtins';
import { ALL_VERBS, type KubeObject, type PrinterColumn, type ResourceType } from './types';

interface CrdVersion {
  name: string;
  served?: boolean;
  storage?: boolean;
  schema?: { openAPIV3Schema?: JSONSchemaProps };
  subresources?: { status?: object; scale?: object };
  additionalPrinterColumns?: PrinterColumn[];
}

interface CrdSpec {
  group: string;
  scope: 'Namespaced' | 'Cluster';
  names: {
    plural: string;
    singular?: string;
    kind: string;
    listKind?: string;
    shortNames?: string[];
    categories?: string[];
  };
  versions: CrdVersion[];
}

/** Turns a CustomResourceDefinition object into the resource it defines. */
export function crdToType(crd: KubeObject): ResourceType {
  const spec = crd.spec as CrdSpec;
  const served = spec.versions.filter((v) => v.served !== false);
  served.sort((a, b) => Number(b.storage === true) - Number(a.storage === true));
  return {
    group: spec.group,
    plural: spec.names.plural,
    singular: spec.names.singular ?? spec.names.kind.toLowerCase(),
    kind: spec.names.kind,
    listKind: spec.names.listKind ?? `${spec.names.kind}List`,
    namespaced: spec.scope === 'Namespaced',
    shortNames: spec.names.shortNames ?? [],
    categories: spec.names.categories ?? [],
    versions: served.map((v) => ({
      name: v.name,
      schema: v.schema?.openAPIV3Schema ?? {
        type: 'object',
        'x-kubernetes-preserve-unknown-fields': true,
      },
      printerColumns: v.additionalPrinterColumns ?? [],
      statusSubresource: v.subresources?.status !== undefined,
    })),
    builtin: false,
    hasGeneration: true,
    crdName: crd.metadata.name ?? '',
    verbs: ALL_VERBS,
    selectableFields: [],
  };
}

/** The resources the server serves, found by group/version/plural (and by kind for owner references). */
export class Registry {
  private readonly types = new Map<string, ResourceType>();

  constructor() {
    for (const type of builtinTypes()) this.add(type);
  }

  private static key(group: string, plural: string): string {
    return `${group}/${plural}`;
  }

  add(type: ResourceType): void {
    this.types.set(Registry.key(type.group, type.plural), type);
  }

  remove(group: string, plural: string): void {
    this.types.delete(Registry.key(group, plural));
  }

  /** The resource served at `group/version/plural`, or undefined. */
  find(group: string, version: string, plural: string): ResourceType | undefined {
    const type = this.types.get(Registry.key(group, plural));
    return type?.versions.some((v) => v.name === version) ? type : undefined;
  }

  byGroupResource(group: string, plural: string): ResourceType | undefined {
    return this.types.get(Registry.key(group, plural));
  }

  byKind(group: string, kind: string): ResourceType | undefined {
    for (const type of this.types.values()) {
      if (type.group === group && type.kind === kind) return type;
    }
    return undefined;
  }

  all(): ResourceType[] {
    return [...this.types.values()];
  }

  /** Group name → versions served, in a stable order (core group first, then alphabetical). */
  groups(): Map<string, string[]> {
    const groups = new Map<string, Set<string>>();
    for (const type of this.types.values()) {
      const versions = groups.get(type.group) ?? new Set<string>();
      for (const v of type.versions) versions.add(v.name);
      groups.set(type.group, versions);
    }
    const sorted = [...groups.keys()].sort();
    return new Map(sorted.map((g) => [g, sortVersions([...(groups.get(g) ?? [])])]));
  }

  inGroupVersion(group: string, version: string): ResourceType[] {
    return this.all().filter(
      (t) => t.group === group && t.versions.some((v) => v.name === version),
    );
  }
}

/** Kubernetes version priority: GA > beta > alpha, higher numbers first. */
export function sortVersions(versions: string[]): string[] {
  const rank = (v: string): [number, number, number] => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [3, 0, 0];
    const stage = m[2] === 'alpha' ? 2 : m[2] === 'beta' ? 1 : 0;
    return [stage, -Number(m[1]), -Number(m[3] ?? 0)];
  };
  return [...versions].sort((a, b) => {
    const ra = rank(a);
    const rb = rank(b);
    return ra[0] - rb[0] || ra[1] - rb[1] || ra[2] - rb[2] || a.localeCompare(b);
  });
}
