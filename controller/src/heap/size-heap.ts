import { heapEnv, heapFlags, readCgroupMemoryLimit } from './heap-size';

/**
 * Sizes V8's heap from the container's memory limit before the controller starts: without a flag, V8 sizes its
 * heap from the machine's memory, not the container's, and lets garbage pile up past the limit until the
 * kernel's OOM killer ends the pod. When a limit is found and no heap size was given, the process replaces
 * itself (execve: same pid, no second process, signals still reach it) with the same command plus
 * `--max-old-space-size` (and at most two malloc arenas, see heapEnv); the flag it then carries keeps it from doing so again.
 */
export function sizeHeapFromCgroup(limitFiles?: readonly string[]): void {
  const flags = heapFlags(process.execArgv, process.env, readCgroupMemoryLimit(limitFiles));
  if (!flags) return;
  const argv = [process.execPath, ...flags, ...process.execArgv, ...process.argv.slice(1)];
  process.execve!(process.execPath, argv, heapEnv(process.env));
}
