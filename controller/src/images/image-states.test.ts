import { InterimImageStates } from './image-states';

describe('InterimImageStates', () => {
  it('has no answer for an image before the MCM tracked it', () => {
    expect(new InterimImageStates().lookup('m', 'quay.io/x/drv:5.14')).toBeUndefined();
  });

  it('says Ready without a digest for an image with neither build nor sign', () => {
    const states = new InterimImageStates();
    expect(states.track('m', [{ image: 'quay.io/x/drv:5.14', build: false, sign: false }])).toBe(
      true,
    );
    expect(states.lookup('m', 'quay.io/x/drv:5.14')).toEqual({ state: 'Ready' });
    expect(states.lookup('other', 'quay.io/x/drv:5.14')).toBeUndefined();
  });

  it('says Waiting, with why and what to do, for an image that needs a build or a signature', () => {
    const states = new InterimImageStates();
    states.track('m', [
      { image: 'b:1', build: true, sign: false },
      { image: 's:1', build: false, sign: true },
      { image: 'bs:1', build: true, sign: true },
    ]);
    const build = states.lookup('m', 'b:1');
    expect(build).toMatchObject({ state: 'Waiting', reason: 'BuildNotSupportedYet' });
    expect(build?.digest).toBeUndefined();
    expect(build?.message).toMatch(
      /^b:1 needs a build on the hub, which this kmm-hub version does not run yet/,
    );
    expect(states.lookup('m', 's:1')).toMatchObject({
      state: 'Waiting',
      reason: 'SignNotSupportedYet',
    });
    expect(states.lookup('m', 's:1')?.message).toContain('needs a signature');
    expect(states.lookup('m', 'bs:1')?.message).toContain('needs a build and a signature');
  });

  it('reports a change only when an answer is new or different, and forgets dropped images and MCMs', () => {
    const states = new InterimImageStates();
    const a = { image: 'a:1', build: false, sign: false };
    expect(states.track('m', [a])).toBe(true);
    expect(states.track('m', [a])).toBe(false);
    expect(states.track('m', [{ ...a, build: true }])).toBe(true);
    expect(states.track('m', [])).toBe(false);
    expect(states.lookup('m', 'a:1')).toBeUndefined();
    states.track('m', [a]);
    states.forget('m');
    expect(states.lookup('m', 'a:1')).toBeUndefined();
  });

  it('never notifies (its answers do not change on their own)', () => {
    const states = new InterimImageStates();
    const listener = jest.fn();
    const unsubscribe = states.onChange(listener);
    states.track('m', [{ image: 'i:1', build: true, sign: false }]);
    unsubscribe();
    expect(listener).not.toHaveBeenCalled();
  });
});
