import { readFileSync } from 'node:fs';

/** Where the container's memory limit is read: cgroup v2 first, then v1. */
export const CGROUP_MEMORY_LIMIT_FILES = [
  '/sys/fs/cgroup/memory.max',
  '/sys/fs/cgroup/memory/memory.limit_in_bytes',
] as const;

/** The share of the container's memory limit given to V8's old space (the rest: young space, code, buffers). */
export const DEFAULT_HEAP_FRACTION = 0.4;

/** Never less than this, so that a tiny limit fails with a clear out-of-memory rather than thrashing. */
export const MIN_HEAP_MIB = 64;

/**
 * A cgroup memory limit file's content in bytes, or undefined when it sets none: v2 writes `max`, v1 a huge
 * number (about 2^63, rounded to the page size) when the container has no limit.
 */
export function parseCgroupMemoryLimit(text: string): number | undefined {
  const value = text.trim();
  if (value === '' || value === 'max' || !/^\d+$/.test(value)) return undefined;
  const bytes = Number(value);
  // v1's "unlimited" is 9223372036854771712; no real container has a petabyte.
  if (!Number.isSafeInteger(bytes) || bytes <= 0 || bytes >= 2 ** 50) return undefined;
  return bytes;
}

/** The first limit found in `files` (cgroup v2, then v1); undefined outside a container or without a limit. */
export function readCgroupMemoryLimit(
  files: readonly string[] = CGROUP_MEMORY_LIMIT_FILES,
): number | undefined {
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue; // not this cgroup version
    }
    return parseCgroupMemoryLimit(text);
  }
  return undefined;
}

/**
 * V8's `--max-old-space-size` (MiB) for a memory limit: `fraction` of it, at least MIN_HEAP_MIB. The rest of
 * the limit is for what V8 does not count as old space: the young generation, code, and the network buffers
 * of the API server's answers.
 */
export function heapSizeMiB(limitBytes: number, fraction = DEFAULT_HEAP_FRACTION): number {
  if (!(fraction > 0 && fraction <= 1)) {
    throw new Error(`the heap fraction must be above 0 and at most 1, got ${fraction}`);
  }
  return Math.max(MIN_HEAP_MIB, Math.floor((limitBytes * fraction) / 2 ** 20));
}

/**
 * The heap fraction from KMM_HUB_HEAP_FRACTION (e.g. `0.6`), or the default. A bad value is an error naming
 * the variable, not a silent default.
 */
export function heapFractionFrom(env: NodeJS.ProcessEnv): number {
  const raw = env.KMM_HUB_HEAP_FRACTION;
  if (raw === undefined || raw.trim() === '') return DEFAULT_HEAP_FRACTION;
  const n = Number(raw);
  if (!(n > 0 && n <= 1)) {
    throw new Error(
      `KMM_HUB_HEAP_FRACTION must be a number above 0 and at most 1 (e.g. 0.5), got "${raw}"`,
    );
  }
  return n;
}

/** True when the heap size was chosen already: on node's command line or in NODE_OPTIONS. */
export function heapSizeSet(execArgv: readonly string[], nodeOptions = ''): boolean {
  const flag = /^--max[-_]old[-_]space[-_]size(?:[-_]percentage)?(?:=|$)/;
  return [...execArgv, ...nodeOptions.split(/\s+/)].some((a) => flag.test(a));
}

/**
 * V8's `--max-semi-space-size` (MiB) for an old space of `heapMiB`: V8 13 lets each young-generation
 * semi-space grow to 64 MiB whatever the old space, so the young generation alone could take 192 MiB of a
 * small container. About a thirty-second of the heap (V8 rounds it to a power of two), between 2 and 16 MiB
 * (node's classic default), keeps scavenges cheap and the young generation small: the controller's young
 * objects are short-lived plan and status garbage, and its resident memory is what the goal bounds.
 */
export function semiSpaceMiB(heapMiB: number): number {
  return Math.min(16, Math.max(2, 2 ** Math.floor(Math.log2(Math.max(1, heapMiB / 32)))));
}

/**
 * The environment to re-execute with: glibc's malloc gives each thread that allocates its own arena, and V8's
 * GC and compiler threads keep tens of MiB resident in theirs; two arenas are plenty for one event loop. A
 * MALLOC_ARENA_MAX already set is kept.
 */
export function heapEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return env.MALLOC_ARENA_MAX ? env : { ...env, MALLOC_ARENA_MAX: '2' };
}

/**
 * The node flags to re-execute with so that V8's heap fits the container: undefined when the heap size is
 * set already (an explicit choice wins) or when there is no memory limit.
 */
export function heapFlags(
  execArgv: readonly string[],
  env: NodeJS.ProcessEnv,
  limitBytes: number | undefined,
): string[] | undefined {
  if (limitBytes === undefined || heapSizeSet(execArgv, env.NODE_OPTIONS)) return undefined;
  const heap = heapSizeMiB(limitBytes, heapFractionFrom(env));
  return [`--max-old-space-size=${heap}`, `--max-semi-space-size=${semiSpaceMiB(heap)}`];
}
