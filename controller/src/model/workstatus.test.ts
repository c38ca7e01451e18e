import { cluster, mcm } from './__fixtures__/objects';
import { planManagedClusterModule } from './plan';
import type { Condition, ManifestWork } from './types';
import { mcmCounters, moduleFeedback, workState } from './workstatus';

function work(
  name: string,
  namespace: string,
  conditions: Condition[],
  feedback: Record<string, number> = {},
  generation?: number,
): ManifestWork {
  return {
    apiVersion: 'work.open-cluster-management.io/v1',
    kind: 'ManifestWork',
    metadata: { name, namespace, ...(generation !== undefined ? { generation } : {}) },
    spec: { workload: { manifests: [] } },
    status: {
      conditions,
      resourceStatus: {
        manifests: [
          {
            resourceMeta: {
              group: 'kmm.sigs.x-k8s.io',
              kind: 'Module',
              resource: 'modules',
              name,
              namespace: 'ns',
            },
            statusFeedback: {
              values: Object.entries(feedback).map(([n, integer]) => ({
                name: n,
                fieldValue: { type: 'Integer' as const, integer },
              })),
            },
          },
        ],
      },
    },
  };
}
const T = (type: string, observedGeneration?: number): Condition => ({
  type,
  status: 'True',
  ...(observedGeneration !== undefined ? { observedGeneration } : {}),
});
const F = (type: string): Condition => ({
  type,
  status: 'False',
  reason: 'AppliedManifestFailed',
  message: 'denied',
});

describe('ManifestWork state', () => {
  it('reads Applied, Available and the feedback counters', () => {
    const s = workState(
      work('m', 'c', [T('Applied'), T('Available')], {
        'moduleLoader.desiredNumber': 3,
        'moduleLoader.availableNumber': 3,
        'moduleLoader.nodesMatchingSelectorNumber': 4,
        'devicePlugin.desiredNumber': 2,
        'devicePlugin.availableNumber': 2,
      }),
    );
    expect(s).toEqual({
      applied: 'True',
      available: 'True',
      appliedCurrent: true,
      feedback: {
        moduleLoader: { desiredNumber: 3, availableNumber: 3, nodesMatchingSelectorNumber: 4 },
        devicePlugin: { desiredNumber: 2, availableNumber: 2, nodesMatchingSelectorNumber: 0 },
      },
      degraded: false,
      degradedReasons: [],
    });
  });

  it('is degraded when Applied=False, naming why', () => {
    const s = workState(work('m', 'c', [F('Applied')]));
    expect(s.degraded).toBe(true);
    expect(s.degradedReasons).toEqual(['not applied (AppliedManifestFailed: denied)']);
    expect(s.appliedCurrent).toBe(false);
  });

  it('is degraded when Available=False', () => {
    expect(
      workState(work('m', 'c', [T('Applied'), { type: 'Available', status: 'False' }]))
        .degradedReasons,
    ).toEqual(['not available']);
  });

  it('is degraded when fewer are available than desired; an omitted counter is 0', () => {
    const s = workState(
      work('m', 'c', [T('Applied'), T('Available')], { 'moduleLoader.desiredNumber': 3 }),
    );
    expect(s.feedback.moduleLoader).toEqual({
      desiredNumber: 3,
      availableNumber: 0,
      nodesMatchingSelectorNumber: 0,
    });
    expect(s.degradedReasons).toEqual(['moduleLoader: 0 of 3 nodes available']);
  });

  it('is not degraded while the agent has not reported (Unknown or no conditions, no feedback)', () => {
    expect(workState(work('m', 'c', [])).degraded).toBe(false);
    expect(workState(work('m', 'c', [{ type: 'Applied', status: 'Unknown' }])).degraded).toBe(
      false,
    );
    expect(workState(work('m', 'c', [])).applied).toBeUndefined();
  });

  it('counts Applied only for the current generation', () => {
    expect(workState(work('m', 'c', [T('Applied', 1)], {}, 2)).appliedCurrent).toBe(false);
    expect(workState(work('m', 'c', [T('Applied', 2)], {}, 2)).appliedCurrent).toBe(true);
  });

  it('ignores unknown feedback names and non-integer values', () => {
    const w = work('m', 'c', [], { 'moduleLoader.other': 1, 'x.availableNumber': 1 });
    w.status?.resourceStatus?.manifests?.[0]?.statusFeedback?.values?.push({
      name: 'dra.desiredNumber',
      fieldValue: { type: 'String', string: '3' },
    });
    expect(moduleFeedback(w)).toEqual({});
  });
});

describe('MCM status counters', () => {
  const m = mcm('acme');
  const fleet = [
    cluster('a', ['6.1.0']),
    cluster('b', ['6.1.0']),
    cluster('c', ['6.1.0']),
    cluster('d', undefined), // no claim: not eligible
    cluster('e', ['6.1.0'], { gpu: 'other' }), // not selected
  ];
  const p = planManagedClusterModule(m, fleet);

  it('desired = selected and eligible clusters', () => {
    expect(p.eligibleClusters).toEqual(['a', 'b', 'c']);
    expect(mcmCounters(p, [])).toEqual({ numberDesired: 3, numberApplied: 0, numberDegraded: 0 });
  });

  it('applied and degraded count the MCM works of eligible clusters only', () => {
    const works = [
      work('acme', 'a', [T('Applied'), T('Available')], {
        'moduleLoader.desiredNumber': 2,
        'moduleLoader.availableNumber': 2,
      }),
      work('acme', 'b', [T('Applied'), T('Available')], {
        'moduleLoader.desiredNumber': 2,
        'moduleLoader.availableNumber': 1,
      }),
      work('acme', 'c', [F('Applied')]),
      work('acme', 'e', [T('Applied')]), // garbage: cluster e is not selected
      work('other', 'a', [F('Applied')]), // another MCM's work
    ];
    expect(mcmCounters(p, works)).toEqual({
      numberDesired: 3,
      numberApplied: 2,
      numberDegraded: 2,
    });
  });

  it('a cluster waiting for an image is desired but has no work yet', () => {
    const waiting = planManagedClusterModule(m, fleet, () => ({ state: 'Building' }));
    expect(waiting.manifestWorks).toEqual([]);
    expect(mcmCounters(waiting, [])).toEqual({
      numberDesired: 3,
      numberApplied: 0,
      numberDegraded: 0,
    });
  });
});
