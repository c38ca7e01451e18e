import { K94, K96, K_OLD, cluster, mcm, reported } from './__fixtures__/rollout';
import {
  decodeFleetSummary,
  fleetSummaryObject,
  fleetSummaryOf,
  sameFleetSummary,
  type FleetSummaryInputs,
} from './fleet-summary';
import { planManagedClusterModule } from './plan';
import { selectClusters } from './selection';
import type { ManagedCluster, ManifestWork } from './types';
import { workState } from './workstatus';

const inputs = (
  clusters: ManagedCluster[],
  works: ManifestWork[],
  m = mcm(),
): FleetSummaryInputs => {
  const plan = planManagedClusterModule(m, clusters);
  return {
    mcm: m,
    plan,
    clusterByName: (n) => clusters.find((c) => c.metadata.name === n),
    workOf: (n) => works.find((w) => w.metadata.namespace === n),
  };
};

describe('fleetSummaryOf and decodeFleetSummary', () => {
  const clusters = [
    cluster('c1', [K94], { gpu: 'true', region: 'eu' }),
    cluster('c2', [K94, K96]),
    cluster('c3', undefined),
    cluster('c4', [K_OLD], { gpu: 'true' }, 'Unknown'),
    cluster('other', [K94], { gpu: 'false' }),
  ];

  it('decodes to the facts the ManagedClusters, ManifestWorks and plan hold, selected clusters only', () => {
    const plan = planManagedClusterModule(mcm(), clusters);
    const works = plan.manifestWorks.map((w) =>
      w.metadata.namespace === 'c1'
        ? reported(w, { applied: 'True', available: 'True', desired: 3, availableNodes: 2 })
        : reported(w, { applied: 'False' }),
    );
    const facts = decodeFleetSummary(fleetSummaryOf(inputs(clusters, works)));
    expect(facts.map((f) => f.cluster)).toEqual(['c1', 'c2', 'c3', 'c4']);
    const [c1, c2, c3, c4] = facts;
    expect(c1).toMatchObject({
      labels: { gpu: 'true', region: 'eu' },
      kernels: [K94],
      available: 'True',
      skips: [],
    });
    const c1Work = works.find((w) => w.metadata.namespace === 'c1')!;
    const { sent, updated, ...state } = c1!.work!;
    expect(state).toEqual(workState(c1Work));
    expect([...sent]).toEqual([K94]);
    expect(updated).toBeUndefined(); // the fixture's conditions carry no transition time
    expect(c2!.work).toMatchObject({ applied: 'False', degraded: true, appliedCurrent: false });
    expect(c2!.work!.degradedReasons).toEqual(
      workState(works.find((w) => w.metadata.namespace === 'c2')!).degradedReasons,
    );
    expect(c3!.kernels).toBeUndefined();
    expect(c3!.work).toBeUndefined();
    expect(c3!.skips).toEqual([expect.objectContaining({ code: 'NoKernelClaim' })]);
    expect(facts.map((f) => f.eligible)).toEqual([true, true, false, false]);
    expect(c4).toMatchObject({ available: 'Unknown', kernels: [K_OLD] });
    expect(c4!.skips).toEqual([
      expect.objectContaining({ code: 'NoKernelMapping', kernelVersion: K_OLD }),
    ]);
  });

  it('stores each repeated kernel, label and message once', () => {
    const many = Array.from({ length: 50 }, (_, i) => cluster(`c${i}`, [K94, K96]));
    const data = fleetSummaryOf(inputs(many, []));
    expect(data.kernels.sort()).toEqual([K94, K96].sort());
    expect(data.labels).toEqual(['gpu=true']);
    expect(data.clusters).toHaveLength(50);
  });

  it('lists the selector’s clusters of an invalid MCM and marks it invalid', () => {
    const bad = mcm({ spokeNamespace: 'Not_A_Namespace' });
    const data = fleetSummaryOf({
      mcm: bad,
      plan: undefined,
      selected: selectClusters(bad, clusters).map((c) => c.metadata.name ?? ''),
      clusterByName: (n) => clusters.find((c) => c.metadata.name === n),
      workOf: () => undefined,
    });
    expect(data.invalid).toBe(true);
    expect(data.clusters.map((c) => c.n)).toEqual(['c1', 'c2', 'c3', 'c4']);
  });

  it('compares by content, whatever the key order', () => {
    const a = fleetSummaryOf(inputs(clusters, []));
    const { clusters: rows, ...rest } = a;
    const reordered = JSON.parse(JSON.stringify({ clusters: rows, ...rest }));
    expect(Object.keys(reordered)[0]).toBe('clusters');
    expect(sameFleetSummary(a, reordered)).toBe(true);
    const changed = fleetSummaryOf(inputs([...clusters, cluster('c9', [K96])], []));
    expect(sameFleetSummary(a, changed)).toBe(false);
  });

  it('names the object after its MCM and has the MCM own it', () => {
    const m = mcm();
    const object = fleetSummaryObject(m, fleetSummaryOf(inputs(clusters, [])), '42');
    expect(object.metadata).toEqual({
      name: 'drv',
      resourceVersion: '42',
      ownerReferences: [
        expect.objectContaining({ kind: 'ManagedClusterModule', name: 'drv', uid: 'uid-drv' }),
      ],
    });
  });

  it('stays well under etcd’s 1.5 MiB object limit at 3,500 clusters, 30 kernels, all reporting', () => {
    // Realistic labels (OCM's and ACM's, a unique id each), two kernels on a tenth (mid-upgrade), a written
    // ManifestWork with feedback and transition times everywhere, and a degraded tenth with its own reason.
    const kernels = Array.from({ length: 30 }, (_, i) => `5.14.0-${427 + i}.13.1.el9_4.x86_64`);
    const fleet = Array.from({ length: 3500 }, (_, i) => {
      const name = `cluster-${String(i + 1).padStart(4, '0')}`;
      const own = [kernels[i % 30]!, ...(i % 10 === 0 ? [kernels[(i + 1) % 30]!] : [])];
      return cluster(name, own, {
        gpu: 'true',
        name,
        cloud: ['Amazon', 'Azure', 'Google'][i % 3]!,
        region: `region-${i % 12}`,
        vendor: 'OpenShift',
        openshiftVersion: `4.${14 + (i % 6)}.${i % 40}`,
        'cluster.open-cluster-management.io/clusterset': ['prod', 'dev', 'edge'][i % 3]!,
        clusterID: `${String(i).padStart(8, '0')}-1111-4222-8333-444455556666`,
      });
    });
    const m = mcm();
    const plan = planManagedClusterModule(m, fleet);
    const works = new Map(
      plan.manifestWorks.map((w, i) => {
        const r = reported(w, {
          applied: 'True',
          available: 'True',
          desired: 9,
          availableNodes: i % 10 === 0 ? 4 + (i % 5) : 9,
        });
        for (const c of r.status!.conditions!) c.lastTransitionTime = '2026-12-04T22:00:00Z';
        return [w.metadata.namespace!, r];
      }),
    );
    const object = fleetSummaryObject(
      m,
      fleetSummaryOf({
        mcm: m,
        plan,
        clusterByName: (n) => fleet.find((c) => c.metadata.name === n),
        workOf: (n) => works.get(n),
      }),
    );
    expect(object.fleet.clusters).toHaveLength(3500);
    expect(object.fleet.kernels).toHaveLength(30);
    const bytes = Buffer.byteLength(JSON.stringify(object));
    // etcd's default request limit is 1.5 MiB; leave room for the API server's own metadata and growth
    expect(bytes).toBeLessThan(0.75 * 1.5 * 1024 * 1024);
  });
});
