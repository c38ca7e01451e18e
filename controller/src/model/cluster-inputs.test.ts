import { cluster, container, mcm } from './__fixtures__/objects';
import { clusterPlanInputs, samePlanInputs } from './cluster-inputs';
import { CLUSTER_AVAILABLE_CONDITION, KERNEL_VERSIONS_CLAIM } from './constants';
import { cloneJson } from './json';
import { plan, planManagedClusterModule } from './plan';
import type { ImageStateLookup, ManagedCluster } from './types';

const K94 = '5.14.0-427.13.1.el9_4.x86_64';
const K96 = '5.14.0-570.12.1.el9_6.x86_64';

/** A cluster as a hub serves it: much more than a plan reads. */
function served(name: string, kernels: string[] | undefined, labels = { gpu: 'acme' }) {
  const c = cluster(name, kernels, { ...labels, vendor: 'OpenShift' });
  c.metadata.uid = `uid-${name}`;
  c.metadata.resourceVersion = '7';
  c.metadata.annotations = { 'open-cluster-management/created-via': 'other' };
  c.status!.conditions = [{ type: CLUSTER_AVAILABLE_CONDITION, status: 'True' }];
  c.status!.clusterClaims!.push({ name: 'platform.open-cluster-management.io', value: 'AWS' });
  Object.assign(c.status!, { capacity: { cpu: '96' }, version: { kubernetes: 'v1.31.6' } });
  return c;
}

const claimOf = (c: ManagedCluster) =>
  c.status!.clusterClaims!.find((x) => x.name === KERNEL_VERSIONS_CLAIM);

/** Changes to what a plan reads. */
const read: [string, (c: ManagedCluster) => void][] = [
  ['a label added', (c) => (c.metadata.labels!.nic = 'fast')],
  ['a label removed', (c) => delete c.metadata.labels!.vendor],
  ['a label value', (c) => (c.metadata.labels!.gpu = 'other')],
  ['all labels removed', (c) => delete c.metadata.labels],
  ['the name', (c) => (c.metadata.name = 'c9')],
  ['a kernel upgraded', (c) => (claimOf(c)!.value = K96)],
  ['a kernel added', (c) => (claimOf(c)!.value = `${K94}\n${K96}`)],
  ['the claim emptied', (c) => (claimOf(c)!.value = '')],
  [
    'the claim removed',
    (c) =>
      (c.status!.clusterClaims = c.status!.clusterClaims!.filter(
        (x) => x.name !== KERNEL_VERSIONS_CLAIM,
      )),
  ],
];

/** Changes to what a plan does not read. */
const unread: [string, (c: ManagedCluster) => void][] = [
  ['availability', (c) => (c.status!.conditions![0]!.status = 'Unknown')],
  ['another claim', (c) => c.status!.clusterClaims!.push({ name: 'qa.example.com', value: 'x' })],
  [
    'the claim order, blank lines, duplicates and a trailing +',
    (c) => {
      const claim = claimOf(c);
      if (claim)
        claim.value = `\n${[...claim.value.split('\n').reverse(), ''].join('+\n')}${claim.value}`;
    },
  ],
  ['the capacity', (c) => Object.assign(c.status!, { capacity: { cpu: '128' } })],
  ['an annotation', (c) => (c.metadata.annotations!.note = 'x')],
  ['the resourceVersion', (c) => (c.metadata.resourceVersion = '8')],
  ['a deletion started', (c) => (c.metadata.deletionTimestamp = '2026-01-01T00:00:00Z')],
  [
    'the label order',
    (c) => (c.metadata.labels = Object.fromEntries(Object.entries(c.metadata.labels!).reverse())),
  ],
  ['the spec', (c) => Object.assign(c, { spec: { hubAcceptsClient: false } })],
];

describe('samePlanInputs', () => {
  it.each(read)('sees a change to %s', (_, change) => {
    const before = served('c1', [K94]);
    const after = cloneJson(before);
    change(after);
    expect(samePlanInputs(before, after)).toBe(false);
    expect(samePlanInputs(after, before)).toBe(false);
  });

  it.each(unread)('ignores a change to %s', (_, change) => {
    const before = served('c1', [K94]);
    const after = cloneJson(before);
    change(after);
    expect(samePlanInputs(before, after)).toBe(true);
  });

  it('tells a claim listing no kernel from no claim (the plan explains them differently)', () => {
    const none = served('c1', undefined);
    const empty = served('c1', []);
    expect(clusterPlanInputs(none).kernels).toBeUndefined();
    expect(clusterPlanInputs(empty).kernels).toEqual([]);
    expect(samePlanInputs(none, empty)).toBe(false);
  });
});

describe('the plan reads a cluster only through clusterPlanInputs', () => {
  const fleet = [
    served('c1', [K94]),
    served('c2', [K94, K96]),
    served('c3', undefined),
    served('c4', []),
    served('c5', [K96], { gpu: 'other' }),
    served('c6', ['4.18']),
  ];
  /** A cluster made of its plan inputs alone. */
  const rebuilt = (c: ManagedCluster): ManagedCluster => {
    const i = clusterPlanInputs(c);
    return {
      apiVersion: 'cluster.open-cluster-management.io/v1',
      kind: 'ManagedCluster',
      metadata: { name: i.name, labels: { ...i.labels } },
      status: {
        clusterClaims: i.kernels
          ? [{ name: KERNEL_VERSIONS_CLAIM, value: i.kernels.join('\n') }]
          : [],
      },
    };
  };
  const mcms = [
    mcm('acme'),
    mcm('all', container({ version: 'v1' }), {}),
    mcm('plugin', null, { vendor: 'OpenShift' }),
  ];
  const lookup: ImageStateLookup = (_, image) =>
    image.endsWith(K96)
      ? { state: 'Building' }
      : { state: 'Ready', digest: `sha256:${'a'.repeat(64)}` };

  it('plans the same for the clusters as served and for the clusters rebuilt from their inputs', () => {
    const current = plan(mcms, fleet).manifestWorks;
    expect(plan(mcms, fleet.map(rebuilt), lookup, current)).toEqual(
      plan(mcms, fleet, lookup, current),
    );
  });

  it.each(unread)('plans the same after a change to %s', (_, change) => {
    const changed = fleet.map((c) => {
      const x = cloneJson(c);
      change(x);
      return x;
    });
    for (const m of mcms)
      expect(planManagedClusterModule(m, changed, lookup)).toEqual(
        planManagedClusterModule(m, fleet, lookup),
      );
  });
});
