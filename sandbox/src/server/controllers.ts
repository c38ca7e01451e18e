import { crdToType, type Registry } from './registry';
import type { Resources, Target, WriteHooks } from './resources';
import { objectKey, type Store } from './store';
import { isCoreKind, resourceKey, type KubeObject, type ResourceType } from './types';

const NAMESPACES = '/namespaces';

/**
 * What kube-controller-manager and the apiextensions controllers do after writes, run asynchronously
 * (setImmediate) as controllers do: ownerReference garbage collection (background, foreground with
 * blockOwnerDeletion, orphan), namespace deletion, and CRD registration.
 */
export class Controllers implements WriteHooks {
  private resources: Resources | undefined;
  private readonly queue = new Map<string, () => void>();
  private scheduled = false;
  private stopped = false;

  constructor(
    private readonly registry: Registry,
    private readonly store: Store,
    private readonly onRegistryChange: () => void,
  ) {}

  attach(resources: Resources): void {
    this.resources = resources;
  }

  stop(): void {
    this.stopped = true;
    this.queue.clear();
  }

  private enqueue(key: string, task: () => void): void {
    if (this.stopped) return;
    this.queue.set(key, task);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const tasks = [...this.queue.values()];
      this.queue.clear();
      for (const task of tasks) {
        try {
          task();
        } catch {
          // A dependent changed under our feet; the next write re-triggers the controller.
        }
      }
    });
  }

  afterWrite(
    type: ResourceType,
    previous: KubeObject | undefined,
    next: KubeObject | undefined,
  ): void {
    if (type.builtin && type.kind === 'CustomResourceDefinition') this.crdChanged(previous, next);
    if (previous && !next) {
      const uid = previous.metadata.uid ?? '';
      if (this.store.dependentsOf(uid).length > 0)
        this.enqueue(`collect:${uid}`, () => this.collect(uid));
      for (const owner of previous.metadata.ownerReferences ?? []) {
        this.enqueue(`foreground:${owner.uid}`, () => this.foreground(owner.uid));
      }
      const ns = previous.metadata.namespace;
      if (ns) this.enqueue(`namespace:${ns}`, () => this.namespace(ns));
      return;
    }
    if (!next) return;
    if (next.metadata.deletionTimestamp) {
      const uid = next.metadata.uid ?? '';
      const finalizers = next.metadata.finalizers ?? [];
      if (finalizers.includes('foregroundDeletion'))
        this.enqueue(`foreground:${uid}`, () => this.foreground(uid));
      if (finalizers.includes('orphan')) this.enqueue(`orphan:${uid}`, () => this.orphan(uid));
      if (isCoreKind(type, 'Namespace')) {
        const name = next.metadata.name ?? '';
        this.enqueue(`namespace:${name}`, () => this.namespace(name));
      }
    }
    if (!previous && (next.metadata.ownerReferences ?? []).length > 0) {
      const ref = {
        resource: resourceKey(type),
        key: objectKey(next.metadata.namespace, next.metadata.name ?? ''),
      };
      this.enqueue(`orphaned:${ref.resource}|${ref.key}`, () =>
        this.deleteIfOrphaned(ref.resource, ref.key),
      );
    }
  }

  private target(object: KubeObject, resource: string): Target | undefined {
    const type = this.resources?.typeOf(resource);
    if (!type) return undefined;
    return {
      type,
      version: type.versions[0]?.name ?? 'v1',
      namespace: object.metadata.namespace,
      name: object.metadata.name,
    };
  }

  private deleteObject(
    resource: string,
    key: string,
    policy: 'Background' | 'Foreground' = 'Background',
  ) {
    const object = this.store.get(resource, key);
    const t = object && this.target(object, resource);
    if (!object || !t || object.metadata.deletionTimestamp) return;
    this.resources?.delete(t, { propagationPolicy: policy });
  }

  /** A dependent whose owners are all gone is deleted (owners being deleted in foreground cascade too). */
  private deleteIfOrphaned(resource: string, key: string): void {
    const object = this.store.get(resource, key);
    if (!object) return;
    const owners = object.metadata.ownerReferences ?? [];
    if (owners.length === 0) return;
    const live = owners.map((o) => this.store.getByUid(o.uid));
    if (live.every((o) => o === undefined)) {
      this.deleteObject(resource, key);
      return;
    }
    const foreground = live.some((o) => o?.metadata.finalizers?.includes('foregroundDeletion'));
    if (foreground && live.every((o) => !o || o.metadata.deletionTimestamp))
      this.deleteObject(resource, key, 'Foreground');
  }

  private collect(uid: string): void {
    for (const ref of this.store.dependentsOf(uid)) this.deleteIfOrphaned(ref.resource, ref.key);
  }

  /** Foreground deletion: delete dependents, then drop the finalizer once no blocking dependent remains. */
  private foreground(uid: string): void {
    const owner = this.store.getByUid(uid);
    if (!owner?.metadata.finalizers?.includes('foregroundDeletion')) return;
    let blocking = 0;
    for (const ref of this.store.dependentsOf(uid)) {
      const dependent = this.store.get(ref.resource, ref.key);
      if (!dependent) continue;
      const ownerRef = dependent.metadata.ownerReferences?.find((o) => o.uid === uid);
      if (ownerRef?.blockOwnerDeletion) blocking++;
      this.deleteIfOrphaned(ref.resource, ref.key);
    }
    if (blocking === 0) {
      const ownerRef = this.store.byUid.get(uid);
      const type = ownerRef && this.resources?.typeOf(ownerRef.resource);
      if (type) this.resources?.removeFinalizer(type, owner, 'foregroundDeletion');
    }
  }

  /** Orphan deletion: strip the ownerReference from every dependent, then drop the finalizer. */
  private orphan(uid: string): void {
    const owner = this.store.getByUid(uid);
    const ownerRef = this.store.byUid.get(uid);
    if (!owner || !ownerRef) return;
    for (const ref of this.store.dependentsOf(uid)) {
      const dependent = this.store.get(ref.resource, ref.key);
      const t = dependent && this.target(dependent, ref.resource);
      if (!dependent || !t) continue;
      const owners = (dependent.metadata.ownerReferences ?? []).filter((o) => o.uid !== uid);
      this.resources?.patch(
        t,
        'application/merge-patch+json',
        { metadata: { ownerReferences: owners.length ? owners : null } },
        {
          dryRun: false,
          fieldManager: 'kube-controller-manager',
          fieldValidation: 'Ignore',
        },
      );
    }
    const type = this.resources?.typeOf(ownerRef.resource);
    if (type) this.resources?.removeFinalizer(type, owner, 'orphan');
  }

  /** Namespace deletion: delete everything in it; once empty, the namespace goes. */
  private namespace(name: string): void {
    const ns = this.store.get(NAMESPACES, objectKey(undefined, name));
    if (!ns?.metadata.deletionTimestamp) return;
    let remaining = 0;
    for (const resource of this.store.resources()) {
      const objects = this.store.namespacesOf(resource)?.get(name);
      if (!objects || objects.size === 0) continue;
      remaining += objects.size;
      for (const key of [...objects.keys()]) this.deleteObject(resource, key);
    }
    if (remaining > 0) return;
    if ((ns.metadata.finalizers ?? []).length > 0) return;
    const removed = this.store.remove(NAMESPACES, objectKey(undefined, name));
    const type = this.registry.byGroupResource('', 'namespaces');
    if (removed && type) this.afterWrite(type, ns, undefined);
  }

  private crdChanged(previous: KubeObject | undefined, next: KubeObject | undefined): void {
    if (next && !next.metadata.deletionTimestamp) {
      this.registry.add(crdToType(next));
    } else if (previous) {
      const type = crdToType(previous);
      this.registry.remove(type.group, type.plural);
      this.store.drop(resourceKey(type));
    }
    this.onRegistryChange();
  }
}
