import { KERNEL_VERSIONS_CLAIM, MCM_NAME_LABEL } from './constants';
import type { ManagedCluster, ManagedClusterModule, ManifestWork } from './types';
import { clusterAvailability, isStatusReport, mcmOfWork, mcmsForClusterChange } from './triggers';

const mcm = (name: string, selector: Record<string, string>): ManagedClusterModule => ({
  apiVersion: 'hub.kmm.sigs.x-k8s.io/v1beta1',
  kind: 'ManagedClusterModule',
  metadata: { name },
  spec: { selector, spokeNamespace: 'kmm', moduleSpec: { selector: {} } },
});

const cluster = (
  labels: Record<string, string>,
  kernels?: string,
  available: 'True' | 'Unknown' = 'True',
): ManagedCluster => ({
  apiVersion: 'cluster.open-cluster-management.io/v1',
  kind: 'ManagedCluster',
  metadata: { name: 'c1', labels, resourceVersion: '1' },
  status: {
    conditions: [{ type: 'ManagedClusterConditionAvailable', status: available }],
    clusterClaims: kernels === undefined ? [] : [{ name: KERNEL_VERSIONS_CLAIM, value: kernels }],
  },
});

const mcms = [mcm('gpu', { gpu: 'true' }), mcm('all', {}), mcm('eu', { region: 'eu' })];

describe('mcmsForClusterChange', () => {
  it('a new or deleted cluster concerns the MCMs that select it', () => {
    expect(mcmsForClusterChange(mcms, undefined, cluster({ gpu: 'true' }))).toEqual(['gpu', 'all']);
    expect(mcmsForClusterChange(mcms, cluster({ region: 'eu' }), undefined)).toEqual(['all', 'eu']);
  });

  it('a relabelled cluster concerns the MCMs of both its old and its new labels', () => {
    expect(mcmsForClusterChange(mcms, cluster({ gpu: 'true' }), cluster({ region: 'eu' }))).toEqual(
      ['gpu', 'all', 'eu'],
    );
  });

  it('a kernel claim or availability change concerns the MCMs selecting it', () => {
    const before = cluster({ gpu: 'true' }, '5.14.0-427.13.1.el9_4.x86_64');
    expect(
      mcmsForClusterChange(mcms, before, cluster({ gpu: 'true' }, '5.14.0-570.12.1.el9_6.x86_64')),
    ).toEqual(['gpu', 'all']);
    expect(
      mcmsForClusterChange(mcms, cluster({ gpu: 'true' }), cluster({ gpu: 'true' }, '')),
    ).toEqual(['gpu', 'all']);
    expect(
      mcmsForClusterChange(mcms, before, {
        ...cluster({ gpu: 'true' }, '5.14.0-427.13.1.el9_4.x86_64', 'Unknown'),
      }),
    ).toEqual(['gpu', 'all']);
  });

  it('other changes (e.g. a heartbeat, claim order) concern nobody', () => {
    const a = cluster({ gpu: 'true' }, 'b\na');
    const b = {
      ...cluster({ gpu: 'true' }, 'a\nb'),
      metadata: { name: 'c1', labels: { gpu: 'true' }, resourceVersion: '2' },
    };
    expect(mcmsForClusterChange(mcms, a, b)).toEqual([]);
  });
});

describe('clusterAvailability', () => {
  it('is the status of ManagedClusterConditionAvailable, Unknown without it', () => {
    expect(clusterAvailability(cluster({}))).toBe('True');
    expect(clusterAvailability(cluster({}, undefined, 'Unknown'))).toBe('Unknown');
    expect(clusterAvailability({ ...cluster({}), status: {} })).toBe('Unknown');
  });
});

describe('mcmOfWork', () => {
  it('reads the MCM name label and ignores foreign ManifestWorks', () => {
    const work = (labels?: Record<string, string>): ManifestWork => ({
      apiVersion: 'work.open-cluster-management.io/v1',
      kind: 'ManifestWork',
      metadata: { name: 'x', namespace: 'c1', labels },
      spec: { workload: { manifests: [] } },
    });
    expect(mcmOfWork(work({ [MCM_NAME_LABEL]: 'gpu' }))).toBe('gpu');
    expect(mcmOfWork(work())).toBeUndefined();
  });
});

describe('isStatusReport', () => {
  const work = (
    generation: number,
    extra: Partial<ManifestWork['metadata']> = {},
  ): ManifestWork => ({
    apiVersion: 'work.open-cluster-management.io/v1',
    kind: 'ManifestWork',
    metadata: {
      name: 'gpu',
      namespace: 'c1',
      generation,
      labels: { [MCM_NAME_LABEL]: 'gpu' },
      ...extra,
    },
    spec: { workload: { manifests: [] } },
  });

  it('is a report when only status or the agent-kept metadata changed', () => {
    expect(isStatusReport(work(1), { ...work(1), status: { conditions: [] } })).toBe(true);
    expect(
      isStatusReport(
        work(1),
        work(1, { finalizers: ['cluster.open-cluster-management.io/manifest-work-cleanup'] }),
      ),
    ).toBe(true);
  });

  it('is not when the spec, the owning label, the owners or the deletion changed', () => {
    expect(isStatusReport(work(1), work(2))).toBe(false);
    const owner = { apiVersion: 'v1', kind: 'ManagedClusterModule', name: 'gpu', uid: 'u1' };
    expect(isStatusReport(work(1, { ownerReferences: [owner] }), work(1))).toBe(false);
    expect(isStatusReport(work(1), work(1, { labels: { [MCM_NAME_LABEL]: 'other' } }))).toBe(false);
    expect(isStatusReport(work(1), work(1, { deletionTimestamp: '2026-01-01T00:00:00Z' }))).toBe(
      false,
    );
  });
});
