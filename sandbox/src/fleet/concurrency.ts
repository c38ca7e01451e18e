// Bounded parallelism and retries for the fleet's HTTP traffic: thousands of clusters must be created
// quickly without opening thousands of sockets, and injected faults (5xx, dropped connections) must not
// leave the fleet half-built, just as OCM's agents retry until they get through.

import { setTimeout as delay } from 'node:timers/promises';

/** Runs `fn` over `items` with at most `limit` calls in flight; resolves with results in input order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** The HTTP status of a client-node error (ApiException.code), or undefined for a network error. */
export function httpStatus(err: unknown): number | undefined {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'number' ? code : undefined;
}

/** Worth retrying: no HTTP answer at all, throttling, or a server error. */
export function isTransient(err: unknown): boolean {
  const status = httpStatus(err);
  return status === undefined || status === 429 || status >= 500;
}

/**
 * Retries `fn` on transient errors with doubling delays (base 50 ms); rethrows anything else, and the last
 * error at once when `stopping` aborts (a stopped fleet must not keep calling a hub that is going away).
 */
export async function withRetry<T>(
  fn: () => Promise<T>,
  stopping?: AbortSignal,
  attempts = 8,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= attempts || !isTransient(err)) throw err;
      try {
        await delay(Math.min(50 * 2 ** (attempt - 1), 2000), undefined, { signal: stopping });
      } catch {
        throw err;
      }
    }
  }
}
