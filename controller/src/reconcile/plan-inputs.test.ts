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

  it('tells which clusters changed since a plan, and keeps the rest of the key', () => {
    const inputs = new PlanInputs();
    const others = inputs.keyBesidesClusters(mcm());
    const v0 = inputs.clustersVersion;
    inputs.clustersChanged('c1');
    inputs.clustersChanged('c2');
    const v1 = inputs.clustersVersion;
    inputs.clustersChanged('c1');
    expect(inputs.clustersChangedSince(v0)?.sort()).toEqual(['c1', 'c2']);
    expect(inputs.clustersChangedSince(v1)).toEqual(['c1']);
    expect(inputs.clustersChangedSince(inputs.clustersVersion)).toEqual([]);
    expect(inputs.keyBesidesClusters(mcm())).toBe(others);
  });

  it('does not know which clusters changed after a change without a name, or too many', () => {
    const inputs = new PlanInputs();
    const v0 = inputs.clustersVersion;
    inputs.clustersChanged('c1');
    const v1 = inputs.clustersVersion;
    inputs.clustersChanged();
    inputs.clustersChanged('c2');
    expect(inputs.clustersChangedSince(v0)).toBeUndefined();
    expect(inputs.clustersChangedSince(v1)).toBeUndefined();
    expect(inputs.clustersChangedSince(inputs.clustersVersion - 1)).toEqual(['c2']);
    inputs.clustersChanged('c3');
    expect(inputs.clustersChangedSince(inputs.clustersVersion - 2, 1)).toBeUndefined();
  });
});
