import { ApiError } from './errors';
import type { Registry } from './registry';
import type { Resources, Target, WriteOptions } from './resources';
import { type KubeObject, type ResourceType } from './types';

function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

const OPTIONS: WriteOptions = {
  dryRun: false,
  fieldManager: 'sandbox-in-process',
  fieldValidation: 'Strict',
};

/**
 * Direct access to the server's objects with the same semantics as HTTP (validation, defaulting,
 * resourceVersions, watch events, GC) but without a network round trip: for fast test setup. Clients
 * under test should use HTTP, as real agents and controllers do.
 */
export class InProcessClient {
  constructor(
    private readonly registry: Registry,
    private readonly resources: Resources,
  ) {}

  private target(apiVersion: string, kind: string, name?: string, namespace?: string): Target {
    const { group, version } = parseApiVersion(apiVersion);
    const type: ResourceType | undefined = this.registry.byKind(group, kind);
    if (!type || !type.versions.some((v) => v.name === version)) {
      throw new ApiError(404, 'NotFound', `no resource for ${kind} in ${apiVersion}`);
    }
    return {
      type,
      version,
      name,
      namespace: type.namespaced ? (namespace ?? 'default') : undefined,
    };
  }

  private ofObject(object: KubeObject, subresource?: string): Target {
    const t = this.target(
      object.apiVersion ?? '',
      object.kind ?? '',
      object.metadata.name,
      object.metadata.namespace,
    );
    return { ...t, subresource };
  }

  create<T extends KubeObject>(object: T): T {
    return this.resources.create(this.ofObject(object), structuredClone(object), OPTIONS)
      .object as T;
  }

  get<T extends KubeObject = KubeObject>(
    apiVersion: string,
    kind: string,
    name: string,
    namespace?: string,
  ): T | undefined {
    const t = this.target(apiVersion, kind, name, namespace);
    return this.resources.find(t) ? (this.resources.get(t) as T) : undefined;
  }

  list<T extends KubeObject = KubeObject>(
    apiVersion: string,
    kind: string,
    namespace?: string,
  ): T[] {
    const t = this.target(apiVersion, kind, undefined, namespace);
    return this.resources.list({ ...t, namespace }, undefined, undefined, 0, undefined)
      .items as T[];
  }

  /** Replaces the object (its resourceVersion, when set, must be current). */
  update<T extends KubeObject>(object: T): T {
    return this.resources.update(this.ofObject(object), structuredClone(object), OPTIONS)
      .object as T;
  }

  /** Replaces the status through the status subresource. */
  updateStatus<T extends KubeObject>(object: T): T {
    return this.resources.update(this.ofObject(object, 'status'), structuredClone(object), OPTIONS)
      .object as T;
  }

  /** Server-side apply by `fieldManager` (forced). */
  apply<T extends KubeObject>(object: T, fieldManager = 'sandbox-in-process'): T {
    return this.resources.patch(this.ofObject(object), 'application/apply-patch+yaml', object, {
      ...OPTIONS,
      fieldManager,
      force: true,
    }).object as T;
  }

  delete(apiVersion: string, kind: string, name: string, namespace?: string): void {
    this.resources.delete(this.target(apiVersion, kind, name, namespace), {
      propagationPolicy: 'Background',
    });
  }
}
