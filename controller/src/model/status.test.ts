import { K94, K96, K_OLD, cluster, mcm, reported } from './__fixtures__/rollout';
import { planManagedClusterModule } from './plan';
import {
  imageStatuses,
  invalidStatus,
  rolloutStatus,
  statusFacts,
  statusUnchanged,
} from './status';
import type { ImageStateInfo, ManagedCluster, ManifestWork } from './types';
import { mcmCounters, workState, type WorkState } from './workstatus';

const byName = (clusters: ManagedCluster[]) => (n: string) =>
  clusters.find((c) => c.metadata.name === n);

describe('statusFacts and rolloutStatus', () => {
  const clusters = [
    cluster('c1', [K94]),
    cluster('c2', [K96]),
    cluster('c3', [K94, K96]),
    cluster('c4', undefined),
    cluster('c5', [K_OLD]),
    cluster('c6', [K94], { gpu: 'true' }, 'Unknown'),
    cluster('other', [K94], { gpu: 'false' }),
  ];
  const m = mcm();
  const plan = planManagedClusterModule(m, clusters);

  it('counts eligible, applied, degraded and pending clusters and explains the skipped ones', () => {
    const works = plan.manifestWorks.map((w) => {
      const ns = w.metadata.namespace;
      if (ns === 'c1') return reported(w, { applied: 'True', available: 'True', desired: 3 });
      if (ns === 'c2')
        return reported(w, { applied: 'True', available: 'True', desired: 3, availableNodes: 1 });
      if (ns === 'c3') return reported(w, { applied: 'False' });
      return reported(w, { applied: 'True' }); // c6: applied, availability not reported yet
    });
    const facts = statusFacts(m, plan, works, byName(clusters));
    expect(facts).toMatchObject({
      selected: 6,
      desired: 4,
      applied: 3,
      pending: ['c6'],
      noKernelClaim: ['c4'],
      noMapping: [{ cluster: 'c5', detail: K_OLD }],
      offline: ['c6'],
      waitingForImages: [],
    });
    expect(facts.degraded.map((d) => d.cluster)).toEqual(['c2', 'c3']);
    expect(facts.degraded[0]!.detail).toBe('moduleLoader: 1 of 3 nodes available');
    const status = rolloutStatus(m, facts, [], '2026-01-01T00:00:00Z');
    expect(status).toMatchObject({
      numberDesired: 4,
      numberApplied: 3,
      numberDegraded: 2,
      observedGeneration: 1,
    });
    expect(status).toMatchObject(mcmCounters(plan, works));
    expect(status.conditions?.find((c) => c.type === 'Degraded')).toMatchObject({
      status: 'True',
      reason: 'ManifestWorksDegraded',
    });
  });

  it('reads every work state through stateOf, the counters included (the controller passes its cache)', () => {
    const works = plan.manifestWorks.map((w) => reported(w)); // nothing reported: nothing applied
    const read: string[] = [];
    const appliedEverywhere = (w: ManifestWork): WorkState => {
      read.push(w.metadata.namespace ?? '');
      return { ...workState(w), applied: 'True', available: 'True', appliedCurrent: true };
    };
    const facts = statusFacts(m, plan, works, byName(clusters), appliedEverywhere);
    expect(facts).toMatchObject({ desired: 4, applied: 4, pending: [] });
    expect(new Set(read)).toEqual(new Set(['c1', 'c2', 'c3', 'c6']));
  });

  it('reports clusters waiting for an image that needs a build, with the image and its state', () => {
    const withBuild = mcm();
    withBuild.spec.moduleSpec.moduleLoader!.container.kernelMappings = [
      {
        literal: K96,
        containerImage: 'quay.io/acme/drv:el96',
        build: { dockerfileConfigMap: { name: 'df' } },
      },
      { regexp: '^5\\.14', containerImage: 'quay.io/acme/drv:el94' },
    ];
    // as the controller's interim image states answer: an image to build on the hub waits
    const answers: Record<string, ImageStateInfo> = {
      'quay.io/acme/drv:el94': { state: 'Ready' },
      'quay.io/acme/drv:el96': {
        state: 'Waiting',
        reason: 'BuildNotSupportedYet',
        message: 'needs a build on the hub',
      },
    };
    const lookup = (mcmName: string, image: string) =>
      mcmName === 'drv' ? answers[image] : undefined;
    const p = planManagedClusterModule(withBuild, clusters, lookup);
    const facts = statusFacts(withBuild, p, [], byName(clusters));
    expect(facts.waitingForImages).toEqual([
      { cluster: 'c2', detail: 'quay.io/acme/drv:el96 (Waiting)' },
      { cluster: 'c3', detail: 'quay.io/acme/drv:el96 (Waiting)' },
    ]);
    const images = imageStatuses(p, (i) => lookup('drv', i), undefined, 'T');
    expect(images).toEqual([
      {
        image: 'quay.io/acme/drv:el94',
        kernelVersions: [K94],
        clusters: 3,
        state: 'Ready',
        build: false,
        sign: false,
        lastTransitionTime: 'T',
      },
      expect.objectContaining({
        image: 'quay.io/acme/drv:el96',
        state: 'Waiting',
        build: true,
        reason: 'BuildNotSupportedYet',
        clusters: 2,
      }),
    ]);
    expect(imageStatuses(p, (i) => lookup('drv', i), images, 'T2')[0]!.lastTransitionTime).toBe(
      'T',
    );
  });
});

describe('invalidStatus and statusUnchanged', () => {
  it('keeps the last counters and images, and sets the InvalidSpec conditions', () => {
    const m = mcm({}, 2);
    m.status = {
      numberDesired: 5,
      numberApplied: 5,
      numberDegraded: 0,
      observedGeneration: 1,
      images: [],
    };
    const s = invalidStatus(
      m,
      [{ field: 'spec.spokeNamespace', message: 'must be a DNS label' }],
      'T',
    );
    expect(s).toMatchObject({ numberDesired: 5, numberApplied: 5, observedGeneration: 2 });
    expect(s.conditions?.map((c) => `${c.type}=${c.status}/${c.reason}`)).toEqual([
      'Ready=False/InvalidSpec',
      'Progressing=False/InvalidSpec',
      'Degraded=True/InvalidSpec',
    ]);
    m.status = s;
    expect(
      statusUnchanged(
        m.status,
        invalidStatus(m, [{ field: 'spec.spokeNamespace', message: 'must be a DNS label' }], 'T9'),
      ),
    ).toBe(true);
    expect(
      statusUnchanged(m.status, invalidStatus(m, [{ field: 'spec.selector', message: 'x' }], 'T9')),
    ).toBe(false);
  });

  it('treats absent and undefined fields alike', () => {
    expect(statusUnchanged({ numberDesired: 1 }, { numberDesired: 1, images: undefined })).toBe(
      true,
    );
    expect(statusUnchanged(undefined, {})).toBe(true);
    expect(statusUnchanged({ numberDesired: 1 }, { numberDesired: 2 })).toBe(false);
  });
});
