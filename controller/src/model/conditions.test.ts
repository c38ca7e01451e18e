import { decideConditions, withTransitionTimes, type StatusFacts } from './conditions';
import { nameList } from './summary';

const facts = (over: Partial<StatusFacts> = {}): StatusFacts => ({
  generation: 3,
  problems: [],
  selected: 40,
  desired: 37,
  applied: 37,
  degraded: [],
  waitingForImages: [],
  pending: [],
  noKernelClaim: ['cluster-0004', 'cluster-0010', 'cluster-0022'],
  noMapping: [],
  offline: [],
  ...over,
});

const byType = (
  f: StatusFacts,
): Record<string, { status: string; reason?: string; message?: string }> =>
  Object.fromEntries(decideConditions(f).map((c) => [c.type, c]));

describe('nameList', () => {
  it('names up to five and counts the rest', () => {
    expect(nameList(['a', 'b'])).toBe('a, b');
    const many = Array.from({ length: 120 }, (_, i) => `cluster-${String(i + 1).padStart(4, '0')}`);
    expect(nameList(many)).toBe(
      'cluster-0001, cluster-0002, cluster-0003, cluster-0004, cluster-0005 and 115 more',
    );
  });
});

describe('decideConditions', () => {
  it('Ready=True when every eligible cluster applied the module, explaining the skipped clusters', () => {
    const c = byType(facts());
    expect(c.Ready).toMatchObject({ status: 'True', reason: 'RolloutComplete' });
    expect(c.Ready?.message).toBe(
      'The module is applied and available on all 37 eligible clusters. 3 of 40 selected clusters have not ' +
        'reported kernel versions: is KMM installed on them with KMM_MANAGED=1? (cluster-0004, cluster-0010, cluster-0022)',
    );
    expect(c.Progressing).toMatchObject({ status: 'False', reason: 'RolloutComplete' });
    expect(c.Degraded).toMatchObject({ status: 'False', reason: 'AsExpected' });
    expect(decideConditions(facts()).every((x) => x.observedGeneration === 3)).toBe(true);
  });

  it('InvalidSpec lists every problem with its field and says the ManifestWorks stay', () => {
    const c = byType(
      facts({
        problems: [
          { field: 'spec.spokeNamespace', message: 'must be a DNS label' },
          {
            field: 'spec.moduleSpec.moduleLoader.container.kernelMappings[1].regexp',
            message: 'does not compile',
          },
        ],
      }),
    );
    expect(c.Degraded).toMatchObject({ status: 'True', reason: 'InvalidSpec' });
    expect(c.Degraded?.message).toBe(
      'The spec is invalid (2 problems); its existing ManifestWorks are left as they were until it is fixed: ' +
        'spec.spokeNamespace: must be a DNS label; spec.moduleSpec.moduleLoader.container.kernelMappings[1].regexp: does not compile',
    );
    expect(c.Ready).toMatchObject({ status: 'False', reason: 'InvalidSpec' });
    expect(c.Progressing).toMatchObject({ status: 'False', reason: 'InvalidSpec' });
  });

  it('RollingOut while ManifestWorks are not applied and available yet', () => {
    const c = byType(facts({ applied: 30, pending: ['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7'] }));
    expect(c.Progressing).toMatchObject({ status: 'True', reason: 'RollingOut' });
    expect(c.Progressing?.message).toBe(
      '30 of 37 eligible clusters have the module applied and available; waiting for c1, c2, c3, c4, c5 and 2 more',
    );
    expect(c.Ready).toMatchObject({ status: 'False', reason: 'RollingOut' });
  });

  it('WaitingForImages names the clusters and the image state', () => {
    const c = byType(
      facts({
        waitingForImages: [
          { cluster: 'c9', detail: 'quay.io/x/drv:5.14 is Waiting: needs a build' },
        ],
      }),
    );
    expect(c.Progressing).toMatchObject({ status: 'True', reason: 'WaitingForImages' });
    expect(c.Progressing?.message).toBe(
      '1 cluster waits for images that are not ready: c9 (quay.io/x/drv:5.14 is Waiting: needs a build)',
    );
    expect(c.Ready).toMatchObject({ status: 'False', reason: 'WaitingForImages' });
  });

  it('Degraded names the clusters and why, and makes Ready False', () => {
    const c = byType(
      facts({
        applied: 36,
        degraded: [
          { cluster: 'c3', detail: 'Applied=False: AppliedManifestWorkFailed' },
          { cluster: 'c7', detail: 'module available on 2 of 3 nodes' },
        ],
      }),
    );
    expect(c.Degraded).toMatchObject({ status: 'True', reason: 'ManifestWorksDegraded' });
    expect(c.Degraded?.message).toBe(
      '2 of 37 eligible clusters report a problem. 1 cluster: Applied=False: AppliedManifestWorkFailed (c3). 1 cluster: module available on 2 of 3 nodes (c7).',
    );
    expect(c.Ready).toMatchObject({ status: 'False', reason: 'ManifestWorksDegraded' });
  });

  it('NoEligibleClusters when the selector matches nothing or nobody can run the module', () => {
    expect(byType(facts({ selected: 0, desired: 0, noKernelClaim: [] })).Ready).toMatchObject({
      status: 'False',
      reason: 'NoEligibleClusters',
      message:
        'spec.selector matches no ManagedCluster: check the selector against the cluster labels',
    });
    const none = byType(
      facts({
        selected: 2,
        desired: 0,
        noKernelClaim: ['a'],
        noMapping: [{ cluster: 'b', detail: '4.18.0' }],
      }),
    );
    expect(none.Ready?.message).toBe(
      'None of the 2 selected clusters can run the module. 1 of 2 selected clusters has not reported kernel ' +
        'versions: is KMM installed on it with KMM_MANAGED=1? (a). 1 of 2 selected clusters runs only kernels no ' +
        'kernel mapping matches: add a mapping for b (4.18.0)',
    );
  });

  it('mentions offline clusters without failing the rollout', () => {
    const c = byType(facts({ noKernelClaim: [], offline: ['c5'] }));
    expect(c.Ready?.status).toBe('True');
    expect(c.Ready?.message).toContain(
      '1 selected cluster is offline (ManagedClusterConditionAvailable not True)',
    );
  });
});

describe('withTransitionTimes', () => {
  it('keeps the time of an unchanged status and sets now on a change', () => {
    const before = withTransitionTimes(
      undefined,
      decideConditions(facts({ pending: ['a'] })),
      'T1',
    );
    expect(before.every((c) => c.lastTransitionTime === 'T1')).toBe(true);
    const after = withTransitionTimes(before, decideConditions(facts()), 'T2');
    const t = Object.fromEntries(after.map((c) => [c.type, c.lastTransitionTime]));
    expect(t).toEqual({ Ready: 'T2', Progressing: 'T2', Degraded: 'T1' });
  });
});
