import { K94, K96, cluster, mcm, reported } from './__fixtures__/rollout';
import { MCM_NAME_LABEL } from './constants';
import { planManagedClusterModule } from './plan';
import { workChanges } from './work-changes';

describe('workChanges', () => {
  const m = mcm();
  const clusters = [cluster('c1', [K94]), cluster('c2', [K96]), cluster('c3', [K94, K96])];
  const desired = planManagedClusterModule(m, clusters).manifestWorks;

  it('creates every desired work when none exists', () => {
    const changes = workChanges(desired, []);
    expect(changes.create.map((w) => w.metadata.namespace)).toEqual(['c1', 'c2', 'c3']);
    expect(changes.update).toEqual([]);
    expect(changes.delete).toEqual([]);
  });

  it('writes nothing when the works as the API server returns them (defaults, status) match', () => {
    const current = desired.map((w) =>
      reported(w, { applied: 'True', available: 'True', desired: 3 }),
    );
    expect(workChanges(desired, current)).toEqual({ create: [], update: [], delete: [] });
  });

  it('updates only a work whose kernel mappings changed, keeping what others own', () => {
    const current = desired.map((w) => reported(w));
    current[0]!.metadata.labels = { ...current[0]!.metadata.labels, team: 'gpu' };
    current[0]!.metadata.annotations = { note: 'kept' };
    current[0]!.spec.deleteOption = { propagationPolicy: 'Orphan' };
    const next = planManagedClusterModule(m, [
      cluster('c1', [K94, K96]),
      clusters[1]!,
      clusters[2]!,
    ]).manifestWorks;
    const changes = workChanges(next, current);
    expect(changes.update).toHaveLength(1);
    const u = changes.update[0]!;
    expect(u.parts).toEqual(['spec.workload']);
    expect(u.body.metadata).toMatchObject({
      resourceVersion: '100',
      labels: { team: 'gpu', [MCM_NAME_LABEL]: 'drv' },
      annotations: { note: 'kept' },
    });
    expect(u.body.spec.deleteOption).toEqual({ propagationPolicy: 'Orphan' });
    expect(u.body.spec.workload).toEqual(next[0]!.spec.workload);
  });

  it('deletes the works of clusters no longer selected and leaves works being deleted alone', () => {
    const current = desired.map((w) => reported(w));
    const next = planManagedClusterModule(m, [
      clusters[0]!,
      cluster('c2', [K96], { gpu: 'false' }),
    ]).manifestWorks;
    current[2]!.metadata.deletionTimestamp = '2026-01-01T00:00:00Z';
    const changes = workChanges(next, current);
    expect(changes.delete.map((w) => w.metadata.namespace)).toEqual(['c2']);
    expect(changes.create).toEqual([]);
  });
});
