// A small seeded PRNG so that a fleet is the same on every machine for the same seed. Math.random cannot be
// seeded, and the generator only needs a few hundred draws per cluster, so quality beyond mulberry32 is moot.

export interface Random {
  /** uniform in [0, 1) */
  next(): number;
  /** uniform integer in [min, max] */
  int(min: number, max: number): number;
  /** true with probability p */
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** picks by relative weight: `[[value, weight], ...]` */
  weighted<T>(choices: readonly (readonly [T, number])[]): T;
  /** lowercase letters and digits, like the random suffixes of OpenShift machine names */
  suffix(length: number): string;
}

/** FNV-1a over the text: turns `seed` and a cluster index into independent 32-bit streams. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  // murmur3's finalizer: inputs that differ only in their last character still start far apart.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A generator whose stream depends only on `parts` (e.g. seed and cluster index). */
export function randomFor(...parts: (string | number)[]): Random {
  let state = hash32(parts.join('\u0000'));
  const next = (): number => {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[int(0, items.length - 1)] as T;
  };
  return {
    next,
    int,
    chance: (p) => next() < p,
    pick,
    weighted<T>(choices: readonly (readonly [T, number])[]): T {
      const total = choices.reduce((sum, [, w]) => sum + w, 0);
      let r = next() * total;
      for (const [value, weight] of choices) {
        r -= weight;
        if (r < 0) return value;
      }
      return pick(choices)[0];
    },
    suffix(length: number): string {
      const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
      let out = '';
      for (let i = 0; i < length; i++) out += alphabet[int(0, alphabet.length - 1)];
      return out;
    },
  };
}
