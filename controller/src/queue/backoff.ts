/**
 * Per-key exponential backoff, as client-go's default item limiter: the n-th consecutive failure of a key waits
 * base * 2^(n-1), capped at max. `forget` resets a key once it succeeds.
 */
export class PerKeyBackoff {
  private readonly failures = new Map<string, number>();

  constructor(
    readonly baseMs = 5,
    readonly maxMs = 1_000_000,
  ) {
    if (!(baseMs > 0) || !(maxMs >= baseMs)) {
      throw new Error(`backoff: need 0 < base (${baseMs} ms) <= max (${maxMs} ms)`);
    }
  }

  /** Records one more failure of key and returns how long to wait before retrying it. */
  next(key: string): number {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    return exponentialDelay(this.baseMs, this.maxMs, n);
  }

  failuresOf(key: string): number {
    return this.failures.get(key) ?? 0;
  }

  forget(key: string): void {
    this.failures.delete(key);
  }
}

/** base * 2^failures, capped at max: the one backoff formula of the controller, the informers and retries. */
export function exponentialDelay(baseMs: number, maxMs: number, failures: number): number {
  // 2^n overflows to Infinity long after the cap is reached; Math.min keeps the result finite.
  return Math.min(baseMs * 2 ** failures, maxMs);
}
