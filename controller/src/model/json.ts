// Plain-data helpers for API objects (JSON values: objects, arrays, strings, numbers, booleans, null).

/** A deep copy of a JSON value; keys whose value is `undefined` are dropped, as JSON would. */
export function cloneJson<T>(value: T): T {
  // plain loops rather than Object.entries/map: this runs for every ManifestWork of every plan
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const out: unknown[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) out[i] = cloneJson(value[i]);
    return out as T;
  }
  const out: Record<string, unknown> = {};
  for (const k in value) {
    if (!Object.prototype.hasOwnProperty.call(value, k)) continue;
    const v = (value as Record<string, unknown>)[k];
    if (v !== undefined) out[k] = cloneJson(v);
  }
  return out as T;
}

/**
 * Deep equality of JSON values; a key set to `undefined` equals a missing key. The controller compares every
 * desired ManifestWork with its cached copy on each reconcile, so this allocates nothing: the defined keys of
 * `a` must have equal values in `b`, and then `b` must have no further defined key.
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  let defined = 0;
  for (const k in ra) {
    const v = ra[k];
    if (v === undefined) continue;
    if (!jsonEqual(v, rb[k])) return false;
    defined++;
  }
  for (const k in rb) if (rb[k] !== undefined) defined--;
  return defined === 0;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
