import { mapLimit } from './concurrency';
import { withRetry } from './retry';

const unreachable = () =>
  Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });

describe('withRetry', () => {
  it('retries transient failures until the call gets through', async () => {
    let calls = 0;
    const result = await withRetry(async () => {
      if (++calls < 3) throw unreachable();
      return 'ok';
    });
    expect(result).toBe('ok');
    expect(calls).toBe(3);
  });

  it('rethrows an answer that is not transient at once', async () => {
    let calls = 0;
    const notFound = Object.assign(new Error('not found'), { code: 404 });
    await expect(
      withRetry(async () => {
        calls++;
        throw notFound;
      }),
    ).rejects.toBe(notFound);
    expect(calls).toBe(1);
  });

  it('gives up with the last error when stopped while waiting to try again', async () => {
    const stopping = new AbortController();
    let calls = 0;
    const error = unreachable();
    const attempt = withRetry(async () => {
      calls++;
      // the third wait would be 200 ms: stop during it
      if (calls === 3) setTimeout(() => stopping.abort(), 20);
      throw error;
    }, stopping.signal);
    await expect(attempt).rejects.toBe(error);
    expect(calls).toBe(3);
  });

  it('does not call again once stopped', async () => {
    const stopping = new AbortController();
    stopping.abort();
    let calls = 0;
    const error = unreachable();
    await expect(
      withRetry(async () => {
        calls++;
        throw error;
      }, stopping.signal),
    ).rejects.toBe(error);
    expect(calls).toBe(1);
  });
});

describe('mapLimit', () => {
  it('keeps at most the limit in flight and returns results in input order', async () => {
    let inFlight = 0;
    let most = 0;
    const results = await mapLimit([5, 1, 4, 2, 3], 2, async (ms, i) => {
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setTimeout(r, ms));
      inFlight--;
      return i;
    });
    expect(results).toEqual([0, 1, 2, 3, 4]);
    expect(most).toBe(2);
  });
});
