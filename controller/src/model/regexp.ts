import { RE2JS } from 're2js';

// Kernel mapping regexps have Go (RE2) semantics upstream: no lookarounds or backreferences, and a match
// anywhere in the kernel version counts (unanchored). re2js is a pure-JS RE2 port, so the browser plugin and
// the controller agree with the Go webhook on what compiles and what matches.

export type CompiledRegexp =
  { ok: true; test: (s: string) => boolean } | { ok: false; error: string };

const cache = new Map<string, CompiledRegexp>();
const CACHE_LIMIT = 4096;

/** Compiles a kernel-mapping regexp (cached per pattern: compiling is the expensive part). */
export function compileRegexp(pattern: string): CompiledRegexp {
  const hit = cache.get(pattern);
  if (hit) return hit;
  let compiled: CompiledRegexp;
  try {
    const re = RE2JS.compile(pattern);
    compiled = { ok: true, test: (s) => re.test(s) };
  } catch (e) {
    compiled = { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(pattern, compiled);
  return compiled;
}
