import { planManagedClusterModule, workState } from '../model';
import { K94, cluster, mcm, reported } from '../model/__fixtures__/rollout';
import { cachedWorkState } from './work-states';

describe('cachedWorkState', () => {
  const [work] = planManagedClusterModule(mcm(), [cluster('c1', [K94])]).manifestWorks;

  it("is the model's workState, computed once per ManifestWork object", () => {
    const applied = reported(work!, { applied: 'True', available: 'True', desired: 2 });
    const state = cachedWorkState(applied);
    expect(state).toEqual(workState(applied));
    expect(cachedWorkState(applied)).toBe(state);
  });

  it('reads a replaced object (the cache replaces a work when it changes) anew', () => {
    const before = reported(work!, { applied: 'True', available: 'True', desired: 2 });
    const after = reported(work!, {
      applied: 'True',
      available: 'True',
      desired: 2,
      availableNodes: 1,
    });
    expect(cachedWorkState(before).degraded).toBe(false);
    expect(cachedWorkState(after)).toMatchObject({
      degraded: true,
      degradedReasons: ['moduleLoader: 1 of 2 nodes available'],
    });
  });
});
