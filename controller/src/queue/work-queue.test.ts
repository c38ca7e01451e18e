import { PerKeyBackoff } from './backoff';
import { WorkQueue } from './work-queue';

const tick = (ms = 0): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('PerKeyBackoff', () => {
  it('doubles from 5 ms per consecutive failure of a key and caps at 1000 s', () => {
    const b = new PerKeyBackoff();
    expect([1, 2, 3, 4].map(() => b.next('a'))).toEqual([5, 10, 20, 40]);
    expect(b.next('b')).toBe(5);
    for (let i = 0; i < 40; i++) b.next('a');
    expect(b.next('a')).toBe(1_000_000);
    b.forget('a');
    expect(b.next('a')).toBe(5);
  });

  it('rejects a base above the cap', () => {
    expect(() => new PerKeyBackoff(10, 5)).toThrow(/base/);
  });
});

describe('WorkQueue', () => {
  it('deduplicates keys added while queued', async () => {
    const q = new WorkQueue();
    const seen: string[] = [];
    q.add('a');
    q.add('b');
    q.add('a');
    expect(q.depth).toBe(2);
    const p = q.process(async (k) => void seen.push(k), 1);
    await q.idle();
    await p.stop();
    expect(seen).toEqual(['a', 'b']);
  });

  it('never hands one key to two workers at once, and re-handles a key added while it was being handled', async () => {
    const q = new WorkQueue();
    let active = 0;
    let maxActiveForA = 0;
    let runsOfA = 0;
    let release!: () => void;
    const firstRunBlocked = new Promise<void>((r) => (release = r));
    const p = q.process(async (k) => {
      if (k !== 'a') return;
      active++;
      maxActiveForA = Math.max(maxActiveForA, active);
      runsOfA++;
      if (runsOfA === 1) await firstRunBlocked;
      active--;
    }, 4);
    q.add('a');
    await tick();
    q.add('a'); // while the first run is still in progress
    q.add('a');
    q.add('b');
    await tick(5);
    expect(runsOfA).toBe(1);
    release();
    await q.idle();
    await p.stop();
    expect(runsOfA).toBe(2);
    expect(maxActiveForA).toBe(1);
  });

  it('handles different keys concurrently up to the concurrency', async () => {
    const q = new WorkQueue();
    let active = 0;
    let peak = 0;
    const p = q.process(async () => {
      active++;
      peak = Math.max(peak, active);
      await tick(10);
      active--;
    }, 3);
    for (const k of ['a', 'b', 'c', 'd', 'e', 'f']) q.add(k);
    await q.idle();
    await p.stop();
    expect(peak).toBe(3);
  });

  it('retries a failing key with growing delays and forgets its failures after a success', async () => {
    const delays: number[] = [];
    const q = new WorkQueue({ onError: (_k, _e, d) => delays.push(d) });
    let calls = 0;
    const p = q.process(async () => {
      calls++;
      if (calls <= 3) throw new Error('boom');
    }, 1);
    q.add('a');
    await q.idle();
    await p.stop();
    expect(calls).toBe(4);
    expect(delays).toEqual([5, 10, 20]);
    expect(q.failuresOf('a')).toBe(0);
  });

  it("waits at least a failure's Retry-After, even when the key is added again meanwhile", async () => {
    const throttled = Object.assign(new Error('429'), { retryAfterMs: 150 });
    const delays: number[] = [];
    const q = new WorkQueue({
      retryAfterOf: (e) => (e as { retryAfterMs?: number }).retryAfterMs,
      onError: (_k, _e, d) => delays.push(d),
    });
    const times: number[] = [];
    const start = Date.now();
    const p = q.process(async () => {
      times.push(Date.now() - start);
      if (times.length === 1) {
        q.add('a'); // a watch event while it is handled
        throw throttled;
      }
    }, 1);
    q.add('a');
    await tick(20);
    q.add('a'); // and another one while it waits
    q.addAfter('a', 10);
    await q.idle();
    await p.stop();
    expect(delays).toEqual([150]);
    expect(times).toHaveLength(2);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(145);
  });

  it('forgets a Retry-After once the key succeeds', async () => {
    const q = new WorkQueue({ retryAfterOf: () => 100 });
    let calls = 0;
    const p = q.process(async () => {
      calls++;
      if (calls === 1) throw new Error('throttled');
    }, 1);
    q.add('a');
    await q.idle();
    expect(calls).toBe(2);
    const before = Date.now();
    q.add('a');
    await q.idle();
    await p.stop();
    expect(calls).toBe(3);
    expect(Date.now() - before).toBeLessThan(100);
  });

  it('requeues after the delay a handler asks for, keeping the earliest of several delayed adds', async () => {
    const q = new WorkQueue();
    const times: number[] = [];
    const start = Date.now();
    const p = q.process(async () => {
      times.push(Date.now() - start);
      if (times.length === 1) return { requeueAfterMs: 40 };
    }, 1);
    q.add('a');
    await tick(5);
    q.addAfter('a', 1000); // later than the pending 40 ms: ignored
    expect(q.delayedCount).toBe(1);
    await q.idle();
    await p.stop();
    expect(times).toHaveLength(2);
    expect(times[1]).toBeGreaterThanOrEqual(35);
    expect(times[1]).toBeLessThan(1000); // the ignored add would have waited 1000 ms
  });

  it('stop() lets the key in hand finish and keeps the rest queued for the next processor', async () => {
    const q = new WorkQueue();
    const seen: string[] = [];
    const p1 = q.process(async (k) => {
      seen.push(k);
      await tick(10);
    }, 1);
    q.add('a');
    q.add('b');
    await tick(2);
    await p1.stop();
    expect(seen).toEqual(['a']);
    expect(q.depth).toBe(1);
    const p2 = q.process(async (k) => void seen.push(k), 1);
    await q.idle();
    await p2.stop();
    expect(seen).toEqual(['a', 'b']);
  });

  it('reports its depth and ignores adds after close', async () => {
    const depths: number[] = [];
    const q = new WorkQueue({ onDepthChange: (d) => depths.push(d) });
    q.add('a');
    q.add('b');
    q.addAfter('c', 10_000);
    q.close();
    q.add('d');
    expect(q.depth).toBe(0);
    expect(q.delayedCount).toBe(0);
    expect(depths).toEqual([1, 2, 0]);
    await q.idle();
  });

  it('rejects a non-positive concurrency', () => {
    expect(() => new WorkQueue().process(async () => undefined, 0)).toThrow(/concurrency/);
  });
});
