import { ReportThrottle } from './report-throttle';

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

  it('makes one reconcile of reports that arrive while one is due', () => {
    const { throttle, added, advance } = setup();
    throttle.report('drv');
    advance(10);
    throttle.report('drv');
    advance(30);
    throttle.report('drv');
    expect(added).toEqual([['drv', 50]]);
  });

  it('reconciles an MCM at most once per window while reports keep coming', () => {
    const { throttle, added, advance } = setup();
    throttle.report('drv'); // due at +50
    advance(100);
    throttle.report('drv'); // the last was due 50 ms ago: the next at +1050
    expect(added[1]).toEqual(['drv', 950]);
    advance(500);
    throttle.report('drv'); // still due later: nothing more
    expect(added).toHaveLength(2);
    advance(2000);
    throttle.report('drv'); // quiet for a window: fast again
    expect(added[2]).toEqual(['drv', 50]);
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
