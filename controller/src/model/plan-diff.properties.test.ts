import fc from 'fast-check';
import { propertyParameters, someCluster, someMcm, workStatus } from '../__fakes__/arbitraries';
import { planManagedClusterModule } from './plan';
import { previewMcm } from './plan-diff';
import type { ManifestWork } from './types';

// previewMcm over any MCMs, fleets and served works (fast-check; fixed seed, KMM_PROPERTY_RUNS for more): it
// never throws, its lists are consistent, and an MCM compared with its own rollout changes nothing.

const fleet = fc.array(someCluster, { maxLength: 5 });
const sorted = (l: string[]) => [...l].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

/** The works the controller would have written for `live`, as the API server serves them (with a status). */
function rolledOut(live: unknown, clusters: Parameters<typeof planManagedClusterModule>[1]) {
  const p = planManagedClusterModule(live as never, clusters);
  return p.manifestWorks;
}

describe('previewMcm properties', () => {
  it('never throws; gained, lost and changed clusters are consistent', () => {
    fc.assert(
      fc.property(
        someMcm,
        someMcm,
        fleet,
        fc.array(workStatus, { maxLength: 3 }),
        (edited, live, clusters, statuses) => {
          const works: ManifestWork[] = rolledOut(live, clusters).map((w, i) => ({
            ...w,
            status: statuses[i % Math.max(statuses.length, 1)] as ManifestWork['status'],
          }));
          const r = previewMcm({ edited, live, clusters, currentWorks: works });
          if (!('diff' in r)) {
            expect(r.errors.length).toBeGreaterThan(0);
            return;
          }
          const d = r.diff;
          expect(d.clustersGained.filter((c) => d.clustersLost.includes(c))).toEqual([]);
          for (const list of [d.changedClusters, d.clustersGained, d.clustersLost])
            expect(list).toEqual(sorted([...new Set(list)]));
          const named = new Set([
            ...d.clustersGained,
            ...d.clustersLost,
            ...d.imageChanges.flatMap((c) => c.clusters),
            ...d.otherChanges.flatMap((c) => c.clusters),
          ]);
          expect(d.changedClusters).toEqual(sorted([...named]));
          expect(d.changed).toBe(d.changedClusters.length > 0);
          for (const i of d.images) expect(i.clusters.every((c) => named.has(c))).toBe(true);
        },
      ),
      propertyParameters(60),
    );
  });

  it('an MCM compared with its own rollout changes nothing', () => {
    let compared = 0;
    fc.assert(
      fc.property(someMcm, fleet, (m, clusters) => {
        const works = rolledOut(m, clusters);
        const r = previewMcm({ edited: m, live: m, clusters, currentWorks: works });
        if ('diff' in r) expect(r.diff.changedClusters).toEqual([]);
        if (works.length > 0) compared++;
      }),
      propertyParameters(60),
    );
    // some runs had works to compare, so the check above was not vacuous
    expect(compared).toBeGreaterThan(0);
  });
});
