import { ReportThrottle } from './report-throttle';
import { WorkQueue } from './work-queue';

function setup(windowMs = 1000, settleMs = 50) {
  let now = 10_000;
  const added: [string, number][] = [];
  const throttle = new ReportThrottle(
    { addAfter: (key, delay) => added.push([key, delay]) },
    windowMs,
    settleMs,
    () => now,
  );
  return { throttle, added, advance: (ms: number) => (now += ms) };
}

describe('ReportThrottle', () => {
  it('acts on a report after a quiet moment within the settle time', () => {
    const { throttle, added } = setup();
    throttle.report('drv');
    expect(added).toEqual([['drv', 50]]);
  });

  it('asks for the same due time for reports that arrive while one is due', () => {
    const { throttle, added, advance } = setup();
    throttle.report('drv');
    advance(10);
    throttle.report('drv');
    advance(30);
    throttle.report('drv');
    expect(added).toEqual([
      ['drv', 50],
      ['drv', 40],
      ['drv', 10],
    ]);
  });

  it('makes one reconcile of reports that arrive while one is due, with the real queue', async () => {
    const queue = new WorkQueue();
    const throttle = new ReportThrottle(queue, 1000, 30);
    const runs: number[] = [];
    const p = queue.process(async () => void runs.push(Date.now()), 1);
    throttle.report('drv');
    throttle.report('drv');
    throttle.report('drv');
    await new Promise((r) => setTimeout(r, 150));
    expect(runs).toHaveLength(1);
    queue.close();
    await p.stop();
  });

  it('still reconciles for a report after the queue pulled the due reconcile forward', async () => {
    const queue = new WorkQueue();
    const throttle = new ReportThrottle(queue, 200, 10);
    let runs = 0;
    const p = queue.process(async () => void runs++, 1);
    const until = async (n: number) => {
      for (let i = 0; i < 200 && runs < n; i++) await new Promise((r) => setTimeout(r, 5));
      expect(runs).toBe(n);
    };
    throttle.report('drv');
    await until(1);
    throttle.report('drv'); // the next report-driven reconcile is due one window after the first
    queue.addAfter('drv', 1); // a retry's backoff: the queue keeps the earlier delay and runs it now
    await until(2);
    throttle.report('drv'); // arrives after that early run: the due reconcile must still come
    await until(3);
    queue.close();
    await p.stop();
  });

  it('reconciles an MCM at most once per window while reports keep coming', () => {
    const { throttle, added, advance } = setup();
    throttle.report('drv'); // due at +50
    advance(100);
    throttle.report('drv'); // the last was due 50 ms ago: the next at +1050
    expect(added[1]).toEqual(['drv', 950]);
    advance(500);
    throttle.report('drv'); // still due later: the same due time
    expect(added[2]).toEqual(['drv', 450]);
    advance(2000);
    throttle.report('drv'); // quiet for a window: fast again
    expect(added[3]).toEqual(['drv', 50]);
  });

  it('keeps MCMs apart', () => {
    const { throttle, added } = setup();
    throttle.report('a');
    throttle.report('b');
    expect(added).toEqual([
      ['a', 50],
      ['b', 50],
    ]);
  });

  it('forgets a deleted MCM', () => {
    const { throttle, added, advance } = setup();
    throttle.report('drv');
    advance(100);
    throttle.forget('drv');
    throttle.report('drv');
    expect(added[1]).toEqual(['drv', 50]);
  });
});
