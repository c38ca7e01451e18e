import { ApiException } from '@kubernetes/client-node';
import { apiError } from '../__fakes__/kube';
import { withRetry } from './retry';

// withRetry backs off 50 ms, 100 ms, ... on transient errors, and never sooner than a Retry-After.

describe('withRetry', () => {
  it('waits at least the Retry-After of a 429 before the next attempt', async () => {
    const times: number[] = [];
    const result = await withRetry(async () => {
      times.push(Date.now());
      if (times.length === 1) throw new ApiException(429, 'x', '', { 'retry-after': '1' });
      return 'ok';
    });
    expect(result).toBe('ok');
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(990);
  });

  it('retries a 500 after its own short backoff, and gives up at once on a 409', async () => {
    const times: number[] = [];
    await withRetry(async () => {
      times.push(Date.now());
      if (times.length === 1) throw apiError(500, 'InternalError');
    });
    expect(times[1]! - times[0]!).toBeLessThan(900);
    let calls = 0;
    await expect(
      withRetry(async () => {
        calls++;
        throw apiError(409, 'Conflict');
      }),
    ).rejects.toMatchObject({ code: 409 });
    expect(calls).toBe(1);
  });
});
