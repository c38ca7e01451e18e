// Run by size-heap.test.ts: sizes the heap from the fake cgroup file given as argument, then reports it.
import { getHeapStatistics } from 'node:v8';
import { sizeHeapFromCgroup } from '../size-heap';

sizeHeapFromCgroup([process.argv[2]!]);
const limitMiB = Math.round(getHeapStatistics().heap_size_limit / 2 ** 20);
const arenas = process.env.MALLOC_ARENA_MAX;
process.stdout.write(`${JSON.stringify({ limitMiB, execArgv: process.execArgv, arenas })}\n`);
