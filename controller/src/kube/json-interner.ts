/**
 * Shares equal parts of the objects an informer caches. Thousands of ManifestWorks of one MCM carry the same
 * Module spec, feedback rules, labels, owner reference and status conditions, and thousands of
 * ManagedClusters the same claims and labels, but every object parsed from the API server's JSON is a fresh
 * copy down to each string. Interned, equal subtrees are one frozen object and equal strings one string:
 * at 3,500 clusters x 3 MCMs this is most of the controller's heap.
 *
 * The pools are bounded: two generations of `capacity` entries each; a value found in the older generation
 * moves to the newer, and when the newer fills up the older is dropped. What is in common use stays shared;
 * one-off values (uids, resourceVersions, timestamps) age out instead of growing the pools for ever.
 *
 * Interned subtrees are frozen (in place): they are shared by many cached objects, so a change to one would be
 * a change to all. Code that needs to change a cached object copies it first (as the model does).
 */
export class JsonInterner {
  private readonly strings: Generations<string>;
  private readonly subtrees: Generations<object>;

  constructor(
    capacity = 20_000,
    /** longer strings and subtrees (as JSON) are not pooled: they are rarely equal, and the key would double them */
    private readonly maxKeyLength = 16_384,
  ) {
    this.strings = new Generations(capacity);
    this.subtrees = new Generations(capacity);
  }

  /** `value` with its parts interned; the top-level object itself is a new one (it is not shared). */
  intern<T>(value: T): T {
    if (value === null || typeof value !== 'object') return this.leaf(value);
    if (Array.isArray(value)) return value.map((v: unknown) => this.shared(v)) as T;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = this.shared(v);
    return out as T;
  }

  /** How many strings and subtrees the pools hold (both generations). */
  get size(): { strings: number; subtrees: number } {
    return { strings: this.strings.size, subtrees: this.subtrees.size };
  }

  private leaf<T>(value: T): T {
    if (typeof value !== 'string' || value.length > this.maxKeyLength) return value;
    return this.strings.intern(value, value) as T;
  }

  private shared(value: unknown): unknown {
    if (value === null || typeof value !== 'object') return this.leaf(value);
    const copy = this.intern(value) as object;
    const key = JSON.stringify(copy);
    if (key.length > this.maxKeyLength) return copy;
    const found = this.subtrees.intern(key, copy);
    // The first of its kind: frozen from now on (its children are frozen already, being interned).
    if (found === copy) Object.freeze(copy);
    return found;
  }
}

class Generations<V> {
  private newer = new Map<string, V>();
  private older = new Map<string, V>();

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.newer.size + this.older.size;
  }

  /** The pooled value for `key`, or `value`, pooled now. */
  intern(key: string, value: V): V {
    const hit = this.newer.get(key);
    if (hit !== undefined) return hit;
    const old = this.older.get(key);
    const out = old ?? value;
    if (this.newer.size >= this.capacity) {
      this.older = this.newer;
      this.newer = new Map();
    }
    this.newer.set(key, out);
    return out;
  }
}
