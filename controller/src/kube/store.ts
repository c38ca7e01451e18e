import type { KubeObject } from '../model/types';

export type IndexFn<T> = (obj: T) => string[];

/** `namespace/name`, or `name` for cluster-scoped objects. */
export function objectKey(obj: KubeObject): string {
  const ns = obj.metadata?.namespace;
  const name = obj.metadata?.name ?? '';
  return ns ? `${ns}/${name}` : name;
}

/**
 * An informer's cache: objects by key plus secondary indexes (e.g. ManifestWorks by owning MCM), kept in step on
 * every change so that lookups never scan the whole store.
 */
export class Store<T extends KubeObject> {
  private readonly objects = new Map<string, T>();
  private readonly indexFns = new Map<string, IndexFn<T>>();
  private readonly indexes = new Map<string, Map<string, Set<string>>>();

  get size(): number {
    return this.objects.size;
  }

  addIndex(name: string, fn: IndexFn<T>): void {
    if (this.indexFns.has(name)) throw new Error(`store: index ${name} exists already`);
    this.indexFns.set(name, fn);
    const index = new Map<string, Set<string>>();
    this.indexes.set(name, index);
    for (const [key, obj] of this.objects) addToIndex(index, fn(obj), key);
  }

  get(key: string): T | undefined {
    return this.objects.get(key);
  }

  list(): T[] {
    return [...this.objects.values()];
  }

  keys(): IterableIterator<string> {
    return this.objects.keys();
  }

  byIndex(name: string, value: string): T[] {
    const index = this.indexes.get(name);
    if (!index) throw new Error(`store: no index ${name}`);
    const keys = index.get(value);
    if (!keys) return [];
    return [...keys].map((k) => this.objects.get(k) as T);
  }

  /** Index values present, e.g. every MCM name that owns at least one ManifestWork. */
  indexValues(name: string): string[] {
    const index = this.indexes.get(name);
    if (!index) throw new Error(`store: no index ${name}`);
    return [...index.keys()];
  }

  /** Inserts or replaces; returns the previous object. */
  upsert(obj: T): T | undefined {
    const key = objectKey(obj);
    const old = this.objects.get(key);
    if (old) this.unindex(key, old);
    this.objects.set(key, obj);
    for (const [name, fn] of this.indexFns) addToIndex(this.indexes.get(name)!, fn(obj), key);
    return old;
  }

  remove(key: string): T | undefined {
    const old = this.objects.get(key);
    if (!old) return undefined;
    this.unindex(key, old);
    this.objects.delete(key);
    return old;
  }

  private unindex(key: string, obj: T): void {
    for (const [name, fn] of this.indexFns) {
      const index = this.indexes.get(name)!;
      for (const value of fn(obj)) {
        const keys = index.get(value);
        keys?.delete(key);
        if (keys?.size === 0) index.delete(value);
      }
    }
  }
}

function addToIndex(index: Map<string, Set<string>>, values: string[], key: string): void {
  for (const value of values) {
    let keys = index.get(value);
    if (!keys) index.set(value, (keys = new Set()));
    keys.add(key);
  }
}
