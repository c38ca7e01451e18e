/** RFC 3339 with second precision, as metav1.Time serializes. */
export function nowRfc3339(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z');
}
