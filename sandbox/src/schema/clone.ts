/**
 * A deep copy of a JSON value. Primitives come back as they are: structuredClone serializes even a string,
 * and the server copies thousands of leaves per second while normalizing and patching.
 */
export function cloneJson<T>(value: T): T {
  return typeof value === 'object' && value !== null ? structuredClone(value) : value;
}
