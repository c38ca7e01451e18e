// Retries for calls that must eventually get through (the sandbox fleet's registrations and reports, as OCM's
// agents retry until they do): injected faults must not leave work half done.

import { setTimeout as delay } from 'node:timers/promises';
import { apiFailure, retryAfterOf } from '../kube/api-errors';
import { exponentialDelay } from '../queue/backoff';

/** Worth retrying: no HTTP answer at all, throttling, or a server error. */
export function isTransient(err: unknown): boolean {
  const { code } = apiFailure(err);
  return code === 0 || code === 429 || code >= 500;
}

/**
 * Retries `fn` on transient errors with doubling delays (50 ms up to 2 s), never sooner than a `Retry-After` the
 * server sent; rethrows anything else, and the last error at once when `stopping` aborts (a stopped caller must
 * not keep calling a server that is going away).
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
        const wait = Math.max(exponentialDelay(50, 2000, attempt - 1), retryAfterOf(err) ?? 0);
        await delay(wait, undefined, { signal: stopping });
      } catch {
        throw err;
      }
    }
  }
}
