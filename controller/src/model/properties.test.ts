import fc from 'fast-check';
import {
  HUB_ONLY,
  leaks,
  propertyParameters,
  someCluster,
  someMcm,
  validMcm,
  withStatuses,
  workStatus,
} from '../__fakes__/arbitraries';
import {
  imageStatuses,
  invalidStatus,
  plan,
  planDocument,
  planManagedClusterModule,
  rolloutStatus,
  statusEvents,
  statusFacts,
  validateManagedClusterModule,
  workState,
  type ManagedClusterModule,
} from './index';

// Bad input thrown at the model (fast-check; fixed seed, KMM_PROPERTY_RUNS / KMM_PROPERTY_SEED for more): any
// MCM, any fleet, any ManifestWork status. The model never throws, reports every invalid MCM with field paths,
// and never puts a hub build, signature or hub-only Secret into what it sends to a spoke.

const NOW = '2026-01-01T00:00:00Z';
const fleet = fc.array(someCluster, { maxLength: 5 });
/** A field path: a top-level field, then `.name`, `[index]` or `[map key]` steps (keys are not escaped). */
const FIELD = /^(spec|metadata|apiVersion|kind)([.[]|$)/;
/** Up to three MCMs, renamed apart (plan refuses duplicate names before the model sees them). */
const mcmSet = fc.array(someMcm, { minLength: 1, maxLength: 3 }).map((mcms) =>
  mcms.map((m, i) => {
    const named = m as { metadata?: { name?: unknown } } | null;
    if (named?.metadata && typeof named.metadata === 'object') named.metadata.name = `mcm-${i}`;
    return m;
  }),
);

describe('model properties', () => {
  it('validation never throws, and names a field for every problem', () => {
    fc.assert(
      fc.property(someMcm, (mcm) => {
        const problems = validateManagedClusterModule(mcm);
        const isObject = mcm !== null && typeof mcm === 'object' && !Array.isArray(mcm);
        // Something that is not an object at all has no field to name: its one problem is about the root.
        if (!isObject) expect(problems).toEqual([{ field: '', message: expect.any(String) }]);
        else for (const p of problems) expect(p.field).toMatch(FIELD);
        for (const p of problems) expect(p.message.trim()).not.toBe('');
      }),
      propertyParameters(200),
    );
  });

  it('the valid MCM is valid, and the leak check finds what it looks for', () => {
    expect(validateManagedClusterModule(validMcm())).toEqual([]);
    const work = {
      spec: { workload: { manifests: [{ kind: 'Secret' }, { spec: { sign: {} } }] } },
    };
    expect(leaks(work)).toEqual([
      'spec.workload.manifests[0] is a Secret',
      'spec.workload.manifests[1].spec.sign',
    ]);
    expect(leaks({ spec: { x: [`a-${HUB_ONLY[0]}`] } })).toEqual([
      `spec.x[0] mentions ${HUB_ONLY[0]}`,
    ]);
  });

  let planned = 0;
  it('plans any MCMs against any fleet: invalid ones with field paths and no works, nothing hub-only sent', () => {
    fc.assert(
      fc.property(mcmSet, fleet, (mcms, clusters) => {
        const p = plan(mcms, clusters);
        planned += p.manifestWorks.length;
        const invalid = new Set(p.errors.map((e) => e.mcm));
        for (const e of p.errors)
          expect(e.field === '' || FIELD.test(e.field) ? '' : e.field).toBe('');
        for (const w of p.manifestWorks) {
          expect(leaks(w)).toEqual([]);
          expect(invalid.has(w.metadata.name ?? '')).toBe(false);
        }
        // What `plan` prints is plain data.
        expect(() => JSON.stringify(planDocument(p))).not.toThrow();
      }),
      propertyParameters(60),
    );
    // The inputs are not all rejected: the properties above held for ManifestWorks actually planned.
    expect(planned).toBeGreaterThan(0);
  });

  /** An MCM as the API server serves it: whatever its spec, it has metadata with a name. */
  const servedMcm = someMcm.filter(
    (m) =>
      m !== null &&
      typeof m === 'object' &&
      typeof (m as { metadata?: { name?: unknown } }).metadata?.name === 'string',
  );

  it('computes a status and Events from any ManifestWork statuses, without throwing', () => {
    fc.assert(
      fc.property(
        servedMcm,
        fleet,
        fc.array(workStatus, { maxLength: 4 }),
        (mcm: ManagedClusterModule, clusters, statuses) => {
          const p = planManagedClusterModule(mcm, clusters);
          const byName = new Map(clusters.map((c) => [c.metadata?.name, c]));
          const works = withStatuses(p.manifestWorks, statuses);
          for (const w of works) workState(w);
          const status =
            p.errors.length > 0
              ? invalidStatus(mcm, p.errors, NOW)
              : rolloutStatus(
                  mcm,
                  statusFacts(mcm, p, works, (n) => byName.get(n)),
                  imageStatuses(p, () => undefined, undefined, NOW),
                  NOW,
                );
          statusEvents(undefined, status);
          const text = JSON.stringify(status);
          for (const name of HUB_ONLY) expect(text).not.toContain(name);
        },
      ),
      propertyParameters(60),
    );
  });
});
