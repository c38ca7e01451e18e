// Deterministic ordering for everything the model outputs: plain code-unit comparison (Go's sort.Strings
// order for the ASCII names and versions kmm-hub sorts), never the locale-dependent localeCompare.

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A new sorted array without duplicates. */
export function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort(compareStrings);
}
