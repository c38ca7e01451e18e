import type { FieldSelector, LabelSelector } from './selectors';
import { matchesFields, matchesLabels } from './selectors';
import type { KubeObject, OwnerReference } from './types';

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One change, as kept in the watch history and fanned out to watchers. */
export interface StoreEvent {
  type: EventType;
  rv: number;
  object: KubeObject;
  /** The object before a MODIFIED or DELETED change: lets a selector watch turn it into ADDED/DELETED. */
  previous?: KubeObject;
  /** Encoded watch lines by encoding key: every watcher with the same encoding gets the same bytes. */
  lines?: Map<string, Buffer>;
}

export type Listener = (event: StoreEvent) => void;

export interface ListFilter {
  namespace?: string;
  labels?: LabelSelector;
  fields?: FieldSelector;
}

/** Where an object lives: its resource's storage key and `namespace/name`. */
export interface ObjectRef {
  resource: string;
  key: string;
}

/** Whether an object passes a list or watch filter (namespace, label and field selectors). */
export function matchesFilter(filter: ListFilter, object: KubeObject): boolean {
  if (filter.namespace !== undefined && (object.metadata.namespace ?? '') !== filter.namespace) {
    return false;
  }
  return (
    matchesLabels(filter.labels, object.metadata.labels) && matchesFields(filter.fields, object)
  );
}

export function objectKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

function sameLabels(a: Record<string, string> = {}, b: Record<string, string> = {}): boolean {
  if (a === b) return true;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

/** All objects of one resource, with the indexes and the bounded watch history of that resource. */
class Collection {
  readonly objects = new Map<string, KubeObject>();
  readonly byNamespace = new Map<string, Map<string, KubeObject>>();
  /** `key=value` → object keys: answers equality label selectors without a scan. */
  readonly byLabel = new Map<string, Set<string>>();
  readonly listeners = new Set<Listener>();
  private sorted: string[] | undefined;
  private history: (StoreEvent | undefined)[];
  private head = 0;
  private size = 0;
  /** Every event at or below this version may be gone: watching from older versions is 410 Gone. */
  compactedRv = 0;

  constructor(historySize: number) {
    this.history = new Array<StoreEvent | undefined>(Math.max(1, historySize));
  }

  sortedKeys(): string[] {
    this.sorted ??= [...this.objects.keys()].sort();
    return this.sorted;
  }

  index(key: string, object: KubeObject | undefined, add: boolean, labels = true): void {
    if (!object) return;
    const ns = object.metadata.namespace ?? '';
    if (add) {
      let map = this.byNamespace.get(ns);
      if (!map) this.byNamespace.set(ns, (map = new Map()));
      map.set(key, object);
    } else {
      const map = this.byNamespace.get(ns);
      map?.delete(key);
      if (map?.size === 0) this.byNamespace.delete(ns);
    }
    if (!labels) return;
    for (const [k, v] of Object.entries(object.metadata.labels ?? {})) {
      const label = `${k}=${v}`;
      let set = this.byLabel.get(label);
      if (add) {
        if (!set) this.byLabel.set(label, (set = new Set()));
        set.add(key);
      } else {
        set?.delete(key);
        if (set?.size === 0) this.byLabel.delete(label);
      }
    }
  }

  put(key: string, object: KubeObject): KubeObject | undefined {
    const previous = this.objects.get(key);
    if (!previous) this.sorted = undefined;
    // Most writes (status above all) keep the labels: leave the label index alone then.
    const relabel = !previous || !sameLabels(previous.metadata.labels, object.metadata.labels);
    this.index(key, previous, false, relabel);
    this.objects.set(key, object);
    this.index(key, object, true, relabel);
    return previous;
  }

  remove(key: string): KubeObject | undefined {
    const previous = this.objects.get(key);
    if (!previous) return undefined;
    this.index(key, previous, false);
    this.objects.delete(key);
    this.sorted = undefined;
    return previous;
  }

  record(event: StoreEvent): void {
    const capacity = this.history.length;
    if (this.size === capacity) {
      const evicted = this.history[this.head];
      if (evicted) this.compactedRv = evicted.rv;
      this.history[this.head] = event;
      this.head = (this.head + 1) % capacity;
    } else {
      this.history[(this.head + this.size) % capacity] = event;
      this.size++;
    }
  }

  /** Events newer than `rv`, oldest first. */
  since(rv: number): StoreEvent[] {
    const out: StoreEvent[] = [];
    const capacity = this.history.length;
    for (let i = 0; i < this.size; i++) {
      const event = this.history[(this.head + i) % capacity];
      if (event && event.rv > rv) out.push(event);
    }
    return out;
  }

  compact(rv: number): void {
    this.history = new Array<StoreEvent | undefined>(this.history.length);
    this.head = 0;
    this.size = 0;
    this.compactedRv = rv;
  }
}

/**
 * The in-memory "etcd": objects per resource, one increasing resourceVersion counter for every write of
 * every resource, bounded per-resource watch history, and uid/owner indexes for garbage collection.
 * Objects handed to the store are never mutated afterwards: every write stores a new object.
 */
export class Store {
  private rv = 0;
  private readonly collections = new Map<string, Collection>();
  /** uid → where the object lives. */
  readonly byUid = new Map<string, ObjectRef>();
  /** owner uid → dependents. */
  readonly dependents = new Map<string, Set<string>>();
  private readonly refsByDependent = new Map<string, ObjectRef>();

  constructor(private readonly historySize: number) {}

  get resourceVersion(): number {
    return this.rv;
  }

  private collection(resource: string): Collection {
    let c = this.collections.get(resource);
    if (!c) this.collections.set(resource, (c = new Collection(this.historySize)));
    return c;
  }

  get(resource: string, key: string): KubeObject | undefined {
    return this.collections.get(resource)?.objects.get(key);
  }

  getByUid(uid: string): KubeObject | undefined {
    const ref = this.byUid.get(uid);
    return ref ? this.get(ref.resource, ref.key) : undefined;
  }

  count(resource: string): number {
    return this.collections.get(resource)?.objects.size ?? 0;
  }

  /** Objects matching the filter, sorted by `namespace/name` as etcd returns them. */
  list(resource: string, filter: ListFilter): [string, KubeObject][] {
    const c = this.collections.get(resource);
    if (!c) return [];
    let candidates: Iterable<string>;
    const name = filter.fields?.name;
    if (name !== undefined && filter.namespace !== undefined) {
      candidates = [objectKey(filter.namespace, name)];
    } else {
      const byLabel = filter.labels?.equalities
        .map(([k, v]) => c.byLabel.get(`${k}=${v}`) ?? new Set<string>())
        .sort((a, b) => a.size - b.size)[0];
      const byNs = filter.namespace !== undefined ? c.byNamespace.get(filter.namespace) : undefined;
      if (byLabel && (!byNs || byLabel.size < byNs.size)) candidates = [...byLabel].sort();
      else if (filter.namespace !== undefined) candidates = [...(byNs?.keys() ?? [])].sort();
      else candidates = c.sortedKeys();
    }
    const out: [string, KubeObject][] = [];
    for (const key of candidates) {
      const object = c.objects.get(key);
      if (object && matchesFilter(filter, object)) out.push([key, object]);
    }
    return out;
  }

  namespacesOf(resource: string): Map<string, Map<string, KubeObject>> | undefined {
    return this.collections.get(resource)?.byNamespace;
  }

  resources(): string[] {
    return [...this.collections.keys()];
  }

  /** Stores a new version of an object (created or modified), stamping the next resourceVersion. */
  put(resource: string, object: KubeObject): KubeObject {
    const c = this.collection(resource);
    const rv = ++this.rv;
    const stored: KubeObject = {
      ...object,
      metadata: { ...object.metadata, resourceVersion: String(rv) },
    };
    const key = objectKey(stored.metadata.namespace, stored.metadata.name ?? '');
    const previous = c.put(key, stored);
    this.indexOwners(resource, key, previous, stored);
    this.emit(c, { type: previous ? 'MODIFIED' : 'ADDED', rv, object: stored, previous });
    return stored;
  }

  /** Removes an object for good; the DELETED event carries a new resourceVersion. */
  remove(resource: string, key: string): KubeObject | undefined {
    const c = this.collections.get(resource);
    const previous = c?.remove(key);
    if (!c || !previous) return undefined;
    const rv = ++this.rv;
    const object: KubeObject = {
      ...previous,
      metadata: { ...previous.metadata, resourceVersion: String(rv) },
    };
    this.indexOwners(resource, key, previous, undefined);
    this.emit(c, { type: 'DELETED', rv, object, previous });
    return object;
  }

  private emit(c: Collection, event: StoreEvent): void {
    c.record(event);
    for (const listener of c.listeners) listener(event);
  }

  private indexOwners(
    resource: string,
    key: string,
    previous: KubeObject | undefined,
    next: KubeObject | undefined,
  ): void {
    const ref: ObjectRef = { resource, key };
    const refKey = `${resource}|${key}`;
    if (previous?.metadata.uid) this.byUid.delete(previous.metadata.uid);
    if (next?.metadata.uid) this.byUid.set(next.metadata.uid, ref);
    const owners = (o: KubeObject | undefined): OwnerReference[] =>
      o?.metadata.ownerReferences ?? [];
    for (const owner of owners(previous)) {
      const set = this.dependents.get(owner.uid);
      set?.delete(refKey);
      if (set?.size === 0) this.dependents.delete(owner.uid);
    }
    for (const owner of owners(next)) {
      let set = this.dependents.get(owner.uid);
      if (!set) this.dependents.set(owner.uid, (set = new Set()));
      set.add(refKey);
    }
    if (next) this.refsByDependent.set(refKey, ref);
    else this.refsByDependent.delete(refKey);
  }

  /** The dependents (objects with an ownerReference to `uid`). */
  dependentsOf(uid: string): ObjectRef[] {
    const out: ObjectRef[] = [];
    for (const refKey of this.dependents.get(uid) ?? []) {
      const ref = this.refsByDependent.get(refKey);
      if (ref) out.push(ref);
    }
    return out;
  }

  subscribe(resource: string, listener: Listener): () => void {
    const c = this.collection(resource);
    c.listeners.add(listener);
    return () => c.listeners.delete(listener);
  }

  /** Events of a resource newer than `rv`, or undefined if some of them were compacted away (410). */
  eventsSince(resource: string, rv: number): StoreEvent[] | undefined {
    const c = this.collection(resource);
    if (rv < c.compactedRv) return undefined;
    return c.since(rv);
  }

  compactedRv(resource: string): number {
    return this.collection(resource).compactedRv;
  }

  /** Forgets all history up to now in every resource, as an etcd compaction does. */
  compact(): void {
    for (const c of this.collections.values()) c.compact(this.rv);
  }

  /** Drops a resource's data (its CRD was deleted). */
  drop(resource: string): void {
    const c = this.collections.get(resource);
    if (!c) return;
    for (const key of [...c.objects.keys()]) this.remove(resource, key);
  }
}
