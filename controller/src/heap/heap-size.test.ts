import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  heapEnv,
  heapFlags,
  heapFractionFrom,
  heapSizeMiB,
  heapSizeSet,
  parseCgroupMemoryLimit,
  readCgroupMemoryLimit,
  semiSpaceMiB,
} from './heap-size';

const MiB = 2 ** 20;

describe('parseCgroupMemoryLimit', () => {
  it('reads a limit in bytes', () => {
    expect(parseCgroupMemoryLimit('402653184\n')).toBe(384 * MiB);
  });
  it('treats cgroup v2 "max" and v1 "unlimited" as no limit', () => {
    expect(parseCgroupMemoryLimit('max\n')).toBeUndefined();
    expect(parseCgroupMemoryLimit('9223372036854771712\n')).toBeUndefined();
  });
  it('ignores what is not a number', () => {
    expect(parseCgroupMemoryLimit('')).toBeUndefined();
    expect(parseCgroupMemoryLimit('12k')).toBeUndefined();
    expect(parseCgroupMemoryLimit('0')).toBeUndefined();
  });
});

describe('readCgroupMemoryLimit', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cgroup-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads cgroup v2 first', () => {
    const v2 = join(dir, 'memory.max');
    const v1 = join(dir, 'memory.limit_in_bytes');
    writeFileSync(v2, `${256 * MiB}\n`);
    writeFileSync(v1, `${512 * MiB}\n`);
    expect(readCgroupMemoryLimit([v2, v1])).toBe(256 * MiB);
  });
  it('falls back to cgroup v1 when there is no v2 file', () => {
    const v1 = join(dir, 'memory.limit_in_bytes');
    writeFileSync(v1, `${512 * MiB}\n`);
    expect(readCgroupMemoryLimit([join(dir, 'missing'), v1])).toBe(512 * MiB);
  });
  it('finds no limit when v2 says max, without reading v1', () => {
    const v2 = join(dir, 'memory.max');
    const v1 = join(dir, 'memory.limit_in_bytes');
    writeFileSync(v2, 'max\n');
    writeFileSync(v1, `${512 * MiB}\n`);
    expect(readCgroupMemoryLimit([v2, v1])).toBeUndefined();
  });
  it('finds no limit outside a container', () => {
    expect(readCgroupMemoryLimit([join(dir, 'a'), join(dir, 'b')])).toBeUndefined();
  });
});

describe('heapSizeMiB', () => {
  it('gives V8 two fifths of the limit by default', () => {
    expect(heapSizeMiB(320 * MiB)).toBe(128);
    expect(heapSizeMiB(1000 * MiB)).toBe(400);
  });
  it('takes another fraction', () => {
    expect(heapSizeMiB(400 * MiB, 0.75)).toBe(300);
  });
  it('never goes below the minimum', () => {
    expect(heapSizeMiB(32 * MiB)).toBe(64);
  });
  it('refuses a fraction outside (0, 1]', () => {
    expect(() => heapSizeMiB(MiB, 0)).toThrow(/fraction/);
    expect(() => heapSizeMiB(MiB, 1.5)).toThrow(/fraction/);
  });
});

describe('semiSpaceMiB', () => {
  it('is about a thirty-second of the heap as a power of two, between 2 and 16 MiB', () => {
    expect(semiSpaceMiB(128)).toBe(4);
    expect(semiSpaceMiB(192)).toBe(4);
    expect(semiSpaceMiB(512)).toBe(16);
    expect(semiSpaceMiB(64)).toBe(2);
    expect(semiSpaceMiB(16)).toBe(2);
    expect(semiSpaceMiB(2048)).toBe(16);
  });
});

describe('heapFractionFrom', () => {
  it('defaults to one half', () => {
    expect(heapFractionFrom({})).toBe(0.4);
    expect(heapFractionFrom({ KMM_HUB_HEAP_FRACTION: '' })).toBe(0.4);
  });
  it('reads KMM_HUB_HEAP_FRACTION', () => {
    expect(heapFractionFrom({ KMM_HUB_HEAP_FRACTION: '0.6' })).toBe(0.6);
  });
  it('names the variable and the fix for a bad value', () => {
    expect(() => heapFractionFrom({ KMM_HUB_HEAP_FRACTION: '60%' })).toThrow(
      'KMM_HUB_HEAP_FRACTION must be a number above 0 and at most 1 (e.g. 0.5), got "60%"',
    );
  });
});

describe('heapEnv', () => {
  it('limits malloc to two arenas', () => {
    expect(heapEnv({ A: '1' })).toEqual({ A: '1', MALLOC_ARENA_MAX: '2' });
  });
  it('keeps a MALLOC_ARENA_MAX already set', () => {
    expect(heapEnv({ MALLOC_ARENA_MAX: '4' })).toEqual({ MALLOC_ARENA_MAX: '4' });
  });
});

describe('heapFlags', () => {
  it('sizes the heap from the limit', () => {
    expect(heapFlags([], {}, 320 * MiB)).toEqual([
      '--max-old-space-size=128',
      '--max-semi-space-size=4',
    ]);
  });
  it('leaves the heap alone without a limit', () => {
    expect(heapFlags([], {}, undefined)).toBeUndefined();
  });
  it('leaves an explicit heap size alone, on the command line or in NODE_OPTIONS', () => {
    expect(heapFlags(['--max-old-space-size=100'], {}, 384 * MiB)).toBeUndefined();
    expect(
      heapFlags([], { NODE_OPTIONS: '--enable-source-maps --max_old_space_size=300' }, 384 * MiB),
    ).toBeUndefined();
    expect(heapSizeSet([], '--max-old-space-size-percentage=50')).toBe(true);
    expect(heapSizeSet(['--max-semi-space-size=8'], '')).toBe(false);
  });
});
