import { jsonEqual } from '../model/json';

/**
 * Shares equal parts of the objects an informer caches. Thousands of ManifestWorks of one MCM carry the same
 * Module spec, feedback rules, labels, owner reference and status conditions, and thousands of
 * ManagedClusters the same claims and labels, but every object parsed from the API server's JSON is a fresh
 * copy down to each string. Interned, equal subtrees are one frozen object and equal strings one string:
 * at 3,500 clusters x 3 MCMs this is most of the controller's heap.
 *
 * The pools are bounded: two generations of `capacity` entries each; a value found in the older generation
 * moves to the newer, and when the newer fills up the older is dropped. What is in common use stays shared;
 * one-off values (uids, resourceVersions, timestamps) age out instead of growing the pools for ever. Subtrees
 * are pooled by a 64-bit hash of their JSON, not the JSON itself (which would hold a second copy of every
 * subtree that is not shared, such as each work's status), and a hit is compared in full before it is used.
 *
 * Interned subtrees are frozen (in place): they are shared by many cached objects, so a change to one would be
 * a change to all. Code that needs to change a cached object copies it first (as the model does).
 */
export class JsonInterner {
  private readonly strings: Generations<string>;
  private readonly subtrees: Generations<object>;

  constructor(
    capacity = 20_000,
    /** longer strings and subtrees (as JSON) are not pooled: they are rarely equal, and hashing them costs */
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
    const json = JSON.stringify(copy);
    if (json.length > this.maxKeyLength) return copy;
    const key = hashKey(json);
    let found = this.subtrees.intern(key, copy);
    // A hash collision (about one in 2^64 per pair): keep the copy unshared rather than a wrong value.
    if (found !== copy && !jsonEqual(found, copy)) found = copy;
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

/** The JSON's length and two 32-bit multiplicative hashes of it: a pool key of about 20 characters. */
function hashKey(json: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ json.length;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return `${json.length}:${(a >>> 0).toString(36)}:${(b >>> 0).toString(36)}`;
}
