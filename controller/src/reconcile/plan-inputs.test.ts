import { mcm } from '../model/__fixtures__/rollout';
import { PlanInputs } from './plan-inputs';

describe('PlanInputs', () => {
  it('keeps the key of an MCM while nothing it is planned from changes', () => {
    const inputs = new PlanInputs();
    expect(inputs.key(mcm())).toBe(inputs.key(mcm()));
    inputs.worksChanged('other');
    inputs.imagesChanged('other');
    expect(inputs.key(mcm())).toBe(new PlanInputs().key(mcm()));
  });

  it('changes the key for a new generation, a cluster, its works, its images, or a resync', () => {
    const inputs = new PlanInputs();
    const keys = [inputs.key(mcm())];
    keys.push(inputs.key(mcm({}, 2)));
    const bumps = [
      () => inputs.clustersChanged(),
      () => inputs.worksChanged('drv'),
      () => inputs.imagesChanged('drv'),
      () => inputs.invalidateAll(),
    ];
    for (const bump of bumps) {
      bump();
      keys.push(inputs.key(mcm()));
    }
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('without a generation, any new resourceVersion counts as a change', () => {
    const inputs = new PlanInputs();
    const a = mcm();
    delete a.metadata.generation;
    const b = { ...a, metadata: { ...a.metadata, resourceVersion: '11' } };
    expect(inputs.key(a)).not.toBe(inputs.key(b));
  });
});
