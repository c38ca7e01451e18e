import { cluster, container, mappings, mcm } from './__fixtures__/objects';
import { moduleOf, workMappingsOf } from './manifestwork';
import { plan, planCoverage, planManagedClusterModule } from './plan';
import { planDocument } from './plan-document';
import type {
  ImageStateInfo,
  ImageStateLookup,
  ManagedCluster,
  ManagedClusterModule,
  ManifestWork,
} from './types';

const D = (n: number) => `sha256:${String(n).repeat(64)}`;
const mapped = (w: ManifestWork | undefined) =>
  w ? Object.fromEntries([...workMappingsOf(w)].map(([k, m]) => [k, m.containerImage])) : undefined;
const workIn = (works: ManifestWork[], ns: string) =>
  works.find((w) => w.metadata.namespace === ns);

/** el9_4 kernels share one image per minor release (KERNEL_XYZ); el9_6 kernels get one image each. */
function gpu(): ManagedClusterModule {
  return mcm(
    'gpu',
    container({
      build: { dockerfileConfigMap: { name: 'df' } },
      kernelMappings: [
        { regexp: 'el9_6', containerImage: 'q.io/gpu:${KERNEL_FULL_VERSION}' },
        {
          regexp: 'el9_4',
          containerImage: 'q.io/gpu:${KERNEL_XYZ}-el9_4',
          sign: {
            keySecret: { name: 'k' },
            certSecret: { name: 'c' },
            filesToSign: ['/opt/gpu.ko'],
          },
        },
      ],
    }),
  );
}
const K4a = '5.14.0-427.13.1.el9_4.x86_64';
const K4b = '5.14.0-427.50.1.el9_4.x86_64';
const K6 = '5.14.0-570.12.1.el9_6.x86_64';
const K8 = '4.18.0-553.el8_10.x86_64';

describe('planning one MCM offline (every image Ready, no digest)', () => {
  const fleet = [
    cluster('c1', [K6]),
    cluster('c2', [K4a, K6]),
    cluster('c3', [K4b]),
    cluster('c4', [K8]),
    cluster('c5', undefined),
    cluster('c6', [K6], { gpu: 'none' }),
  ];
  const p = planManagedClusterModule(gpu(), fleet);

  it('writes one ManifestWork per selected cluster with a mapped kernel, sorted by namespace', () => {
    expect(p.errors).toEqual([]);
    expect(p.selectedClusters).toEqual(['c1', 'c2', 'c3', 'c4', 'c5']);
    expect(p.manifestWorks.map((w) => w.metadata.namespace)).toEqual(['c1', 'c2', 'c3']);
    expect(mapped(workIn(p.manifestWorks, 'c2'))).toEqual({
      [K4a]: 'q.io/gpu:5.14.0-el9_4',
      [K6]: `q.io/gpu:${K6}`,
    });
  });

  it('lists each distinct image once, however many clusters and kernels need it', () => {
    expect(p.images.map(({ resolved: _, ...i }) => i)).toEqual([
      {
        mcm: 'gpu',
        image: `q.io/gpu:${K6}`,
        kernelVersions: [K6],
        clusters: ['c1', 'c2'],
        build: true,
        sign: false,
        state: 'Ready',
      },
      {
        mcm: 'gpu',
        image: 'q.io/gpu:5.14.0-el9_4',
        kernelVersions: [K4a, K4b],
        clusters: ['c2', 'c3'],
        build: true,
        sign: true,
        state: 'Ready',
      },
    ]);
  });

  it('keeps the recipe of the first kernel (in sort order) needing an image', () => {
    expect(p.images[1]?.resolved.kernelVersion).toBe(K4a);
    expect(p.images[1]?.resolved.build?.buildArgs).toContainEqual({
      name: 'KERNEL_FULL_VERSION',
      value: K4a,
    });
  });

  it('skips a cluster without a claim and a kernel without a mapping, saying why', () => {
    expect(p.skipped).toEqual([
      {
        mcm: 'gpu',
        cluster: 'c4',
        kernelVersion: K8,
        code: 'NoKernelMapping',
        reason: expect.stringMatching(/no kernel mapping matches this kernel/),
      },
      {
        mcm: 'gpu',
        cluster: 'c5',
        code: 'NoKernelClaim',
        reason: expect.stringMatching(/no kernel-versions.kmm.node.kubernetes.io claim/),
      },
    ]);
    expect(p.eligibleClusters).toEqual(['c1', 'c2', 'c3']);
    expect(p.retained).toEqual([]);
  });

  it('skips a kernel with too few components for its template', () => {
    const q = planManagedClusterModule(
      mcm('m', mappings({ regexp: '.', containerImage: 'q.io/m:${KERNEL_X}.${KERNEL_Y}' })),
      [cluster('a', ['6.1', '6.1.0'])],
    );
    expect(mapped(q.manifestWorks[0])).toEqual({ '6.1.0': 'q.io/m:6.1' });
    expect(q.skipped).toEqual([
      expect.objectContaining({
        kernelVersion: '6.1',
        code: 'KernelNotMappable',
        reason: expect.stringMatching(
          /^kernelMappings\[0\]: kernel version "6.1" has fewer than three/,
        ),
      }),
    ]);
  });

  it('sends a device-plugin-only MCM to every selected cluster with KMM, whatever its kernels', () => {
    const plugin = mcm('plugin', null);
    plugin.spec.moduleSpec.devicePlugin = { container: { image: 'q.io/plugin:v1' } };
    const q = planManagedClusterModule(plugin, fleet);
    // Not to c5, which has no kernel claim: no KMM there, where the Module could only fail (it used to go).
    expect(q.manifestWorks.map((w) => w.metadata.namespace)).toEqual(['c1', 'c2', 'c3', 'c4']);
    expect(q.images).toEqual([]);
    expect(q.skipped).toEqual([
      {
        mcm: 'plugin',
        cluster: 'c5',
        code: 'NoKernelClaim',
        reason: expect.stringMatching(
          /no kernel-versions.* claim.*; a device plugin needs KMM there$/,
        ),
      },
    ]);
    expect(q.eligibleClusters).toEqual(['c1', 'c2', 'c3', 'c4']);
    // A work already written stays while the claim is missing (the spoke's KMM may be restarting).
    const claimGone = [cluster('c1', undefined)];
    const written = q.manifestWorks.slice(0, 1);
    const again = planManagedClusterModule(plugin, claimGone, undefined, written);
    expect(again.manifestWorks.map((w) => w.metadata.namespace)).toEqual(['c1']);
    expect(again.skipped).toEqual([]);
  });

  it("skips ACM's local-cluster, the hub itself, unless KMM there reports its kernels", () => {
    const hub = cluster('local-cluster', undefined, { gpu: 'acme', 'local-cluster': 'true' });
    const renamedHub = cluster('hub', undefined, { gpu: 'acme', 'local-cluster': 'true' });
    const q = planManagedClusterModule(gpu(), [hub, renamedHub]);
    expect(q.manifestWorks).toEqual([]);
    expect(q.skipped.map((s) => [s.cluster, s.code, s.reason])).toEqual([
      [
        'hub',
        'NoKernelClaim',
        expect.stringMatching(/^it is the hub itself \(ACM's local-cluster\)/),
      ],
      ['local-cluster', 'NoKernelClaim', expect.stringMatching(/^it is the hub itself/)],
    ]);
    const plugin = mcm('plugin', null);
    plugin.spec.moduleSpec.devicePlugin = { container: { image: 'q.io/plugin:v1' } };
    expect(planManagedClusterModule(plugin, [hub]).skipped[0]?.reason).toMatch(
      /^it is the hub itself.*; a device plugin needs KMM there$/,
    );
    // With KMM in managed mode on the hub, its kernels are planned like any spoke's.
    const withKmm = cluster('local-cluster', [K6], { gpu: 'acme', 'local-cluster': 'true' });
    expect(planManagedClusterModule(gpu(), [withKmm]).manifestWorks).toHaveLength(1);
  });

  it('plans nothing for an invalid MCM, and reports its problems', () => {
    const bad = gpu();
    bad.spec.moduleSpec.moduleLoader!.container.kernelMappings[0]!.regexp = '(';
    const q = planManagedClusterModule(bad, fleet);
    expect(q.manifestWorks).toEqual([]);
    expect(q.errors).toEqual([
      {
        mcm: 'gpu',
        field: 'spec.moduleSpec.moduleLoader.container.kernelMappings[0].regexp',
        message: expect.stringMatching(/missing closing \)/),
      },
    ]);
  });

  it('does not change its inputs', () => {
    const m = gpu();
    const before = JSON.stringify([m, fleet]);
    planManagedClusterModule(m, fleet);
    expect(JSON.stringify([m, fleet])).toBe(before);
  });
});

describe('planning with image states (the controller)', () => {
  const fleet = [cluster('c1', [K6]), cluster('c2', [K4a, K6])];
  const states = (table: Record<string, ImageStateInfo | undefined>) => {
    const calls: string[] = [];
    const lookup = (mcmName: string, image: string) => {
      calls.push(`${mcmName} ${image}`);
      return table[image];
    };
    return { lookup, calls };
  };
  const I4 = 'q.io/gpu:5.14.0-el9_4';
  const I6 = `q.io/gpu:${K6}`;

  it('pins Ready images to repository@digest and asks once per distinct image', () => {
    const { lookup, calls } = states({
      [I4]: { state: 'Ready', digest: D(4) },
      [I6]: { state: 'Ready', digest: D(6) },
    });
    const p = planManagedClusterModule(gpu(), fleet, lookup);
    expect(mapped(workIn(p.manifestWorks, 'c2'))).toEqual({
      [K4a]: `q.io/gpu@${D(4)}`,
      [K6]: `q.io/gpu@${D(6)}`,
    });
    expect(calls.sort()).toEqual([`gpu ${I6}`, `gpu ${I4}`]);
    expect(p.images.map((i) => [i.image, i.state, i.digest])).toEqual([
      [I6, 'Ready', D(6)],
      [I4, 'Ready', D(4)],
    ]);
  });

  it('adds a kernel as soon as its image is Ready; the others follow', () => {
    const { lookup } = states({
      [I4]: { state: 'Ready', digest: D(4) },
      [I6]: { state: 'Building' },
    });
    const p = planManagedClusterModule(gpu(), fleet, lookup);
    expect(p.manifestWorks.map((w) => w.metadata.namespace)).toEqual(['c2']);
    expect(mapped(p.manifestWorks[0])).toEqual({ [K4a]: `q.io/gpu@${D(4)}` });
    expect(p.skipped).toEqual([
      {
        mcm: 'gpu',
        cluster: 'c1',
        kernelVersion: K6,
        code: 'ImageNotReady',
        reason: `waiting for image ${I6} (Building)`,
      },
      {
        mcm: 'gpu',
        cluster: 'c2',
        kernelVersion: K6,
        code: 'ImageNotReady',
        reason: `waiting for image ${I6} (Building)`,
      },
    ]);
    expect(p.eligibleClusters).toEqual(['c1', 'c2']);
  });

  it('treats no answer as Unknown', () => {
    const p = planManagedClusterModule(gpu(), fleet, () => undefined);
    expect(p.manifestWorks).toEqual([]);
    expect(p.images.map((i) => i.state)).toEqual(['Unknown', 'Unknown']);
  });

  describe('never withdraws a rolled-out mapping because of image trouble', () => {
    const ready = planManagedClusterModule(gpu(), fleet, () => ({ state: 'Ready', digest: D(1) }));
    const written = ready.manifestWorks;

    it.each(['Unknown', 'Waiting', 'Building', 'Signing', 'Missing', 'Failed'] as const)(
      'keeps the written mapping when the image is %s',
      (state) => {
        const p = planManagedClusterModule(gpu(), fleet, () => ({ state }), written);
        expect(p.manifestWorks).toEqual(written);
        expect(p.retained).toContainEqual({
          mcm: 'gpu',
          cluster: 'c2',
          kernelVersion: K6,
          containerImage: `q.io/gpu@${D(1)}`,
          reason: `image ${I6} is ${state}; the written mapping stays until it is Ready`,
        });
        expect(p.skipped).toEqual([]);
      },
    );

    it('keeps the old image of a changed mapping until the new image is Ready, then switches', () => {
      const upgraded = gpu();
      upgraded.spec.moduleSpec.moduleLoader!.container.kernelMappings[0]!.containerImage =
        'q.io/gpu2:${KERNEL_FULL_VERSION}';
      const building = planManagedClusterModule(
        upgraded,
        fleet,
        (_, i) => ({ state: i.startsWith('q.io/gpu2') ? 'Building' : 'Ready', digest: D(1) }),
        written,
      );
      expect(mapped(workIn(building.manifestWorks, 'c1'))).toEqual({ [K6]: `q.io/gpu@${D(1)}` });
      const done = planManagedClusterModule(
        upgraded,
        fleet,
        () => ({ state: 'Ready', digest: D(2) }),
        written,
      );
      expect(mapped(workIn(done.manifestWorks, 'c1'))).toEqual({ [K6]: `q.io/gpu2@${D(2)}` });
    });

    it('rolls out a new digest of a Ready image', () => {
      const p = planManagedClusterModule(
        gpu(),
        fleet,
        () => ({ state: 'Ready', digest: D(9) }),
        written,
      );
      expect(mapped(workIn(p.manifestWorks, 'c1'))).toEqual({ [K6]: `q.io/gpu@${D(9)}` });
      expect(p.retained).toEqual([]);
    });

    it('keeps all mappings of a selected cluster whose claim disappeared', () => {
      const p = planManagedClusterModule(
        gpu(),
        [cluster('c1', [K6]), cluster('c2', undefined)],
        () => ({ state: 'Unknown' }),
        written,
      );
      expect(mapped(workIn(p.manifestWorks, 'c2'))).toEqual(mapped(workIn(written, 'c2')));
      expect(p.skipped).toEqual([
        expect.objectContaining({
          cluster: 'c2',
          code: 'NoKernelClaim',
          reason: expect.stringMatching(/current ManifestWork is kept/),
        }),
      ]);
      expect(p.retained.filter((r) => r.cluster === 'c2').map((r) => r.kernelVersion)).toEqual([
        K4a,
        K6,
      ]);
      expect(p.eligibleClusters).toEqual(['c1', 'c2']);
    });

    it('drops the mapping of a kernel that left the cluster, and of a kernel no mapping matches any more', () => {
      const p = planManagedClusterModule(
        gpu(),
        [cluster('c1', [K6]), cluster('c2', [K6])],
        () => ({ state: 'Unknown' }),
        written,
      );
      expect(mapped(workIn(p.manifestWorks, 'c2'))).toEqual({ [K6]: `q.io/gpu@${D(1)}` });
      const only6 = gpu();
      only6.spec.moduleSpec.moduleLoader!.container.kernelMappings.pop();
      const q = planManagedClusterModule(only6, fleet, () => ({ state: 'Unknown' }), written);
      expect(mapped(workIn(q.manifestWorks, 'c2'))).toEqual({ [K6]: `q.io/gpu@${D(1)}` });
    });

    it('re-renders a kept work from the current MCM spec (a new toleration still rolls out)', () => {
      const changed = gpu();
      changed.spec.moduleSpec.tolerations = [{ operator: 'Exists' }];
      const p = planManagedClusterModule(changed, fleet, () => ({ state: 'Unknown' }), written);
      expect(moduleOf(workIn(p.manifestWorks, 'c1') as ManifestWork)?.spec.tolerations).toEqual([
        { operator: 'Exists' },
      ]);
    });

    it('ignores ManifestWorks of other MCMs', () => {
      const other = written.map((w) => ({ ...w, metadata: { ...w.metadata, name: 'other' } }));
      expect(
        planManagedClusterModule(gpu(), fleet, () => ({ state: 'Unknown' }), other).manifestWorks,
      ).toEqual([]);
    });
  });
});

describe('coverage: the plan without rendering its ManifestWorks', () => {
  const fleet = [cluster('c1', [K6]), cluster('c2', [K4a, K6]), cluster('c3', undefined)];
  const claimGone = [cluster('c1', [K6]), cluster('c2', undefined)];
  const D1 = () => ({ state: 'Ready' as const, digest: D(1) });
  const written = planManagedClusterModule(gpu(), fleet, D1).manifestWorks;
  const plugin = () => {
    const m = mcm('plugin', null);
    m.spec.moduleSpec.devicePlugin = { container: { image: 'q.io/plugin:v1' } };
    return m;
  };
  const building: ImageStateLookup = (_, i) =>
    i === `q.io/gpu:${K6}` ? { state: 'Building' } : D1();
  // every row has all five values: jest passes a done callback to a test with more parameters than values
  const cases: [
    string,
    ManagedClusterModule,
    ManagedCluster[],
    ImageStateLookup | undefined,
    ManifestWork[] | undefined,
  ][] = [
    ['offline', gpu(), fleet, undefined, undefined],
    ['with digests', gpu(), fleet, D1, undefined],
    ['one image building, works written', gpu(), fleet, building, written],
    ['a claim gone, works written', gpu(), claimGone, () => ({ state: 'Unknown' }), written],
    ['device plugin only', plugin(), fleet, undefined, undefined],
    [
      'invalid',
      mcm('bad', mappings({ regexp: '(', containerImage: 'q.io/m:v1' })),
      fleet,
      undefined,
      undefined,
    ],
  ];

  it.each(cases)(
    '%s: the same decisions as the full plan, whose works render them',
    (what, m, clusters, states, current) => {
      const full = planManagedClusterModule(m, clusters, states, current);
      const covered = planCoverage(m, clusters, states, current);
      const { manifestWorks, ...decisions } = full;
      expect(covered).toEqual(decisions);
      expect(covered.works.length > 0).toBe(what !== 'invalid');
      expect(manifestWorks.map((w) => w.metadata.namespace)).toEqual(
        covered.works.map((w) => w.cluster),
      );
      manifestWorks.forEach((w, i) =>
        expect([...workMappingsOf(w).values()]).toEqual(covered.works[i]?.mappings),
      );
    },
  );

  it('lists the mappings of each work sorted by kernel, none for a device-plugin-only MCM', () => {
    expect(planCoverage(gpu(), fleet).works).toEqual([
      { cluster: 'c1', mappings: [{ literal: K6, containerImage: `q.io/gpu:${K6}` }] },
      {
        cluster: 'c2',
        mappings: [
          { literal: K4a, containerImage: 'q.io/gpu:5.14.0-el9_4' },
          { literal: K6, containerImage: `q.io/gpu:${K6}` },
        ],
      },
    ]);
    // c3 has no kernel claim: no KMM, so no device plugin either.
    expect(planCoverage(plugin(), fleet).works).toEqual([
      { cluster: 'c1', mappings: [] },
      { cluster: 'c2', mappings: [] },
    ]);
  });
});

describe('planning a fleet', () => {
  const a = mcm(
    'a-mod',
    mappings({ regexp: '.', containerImage: 'q.io/a:${KERNEL_FULL_VERSION}' }),
    {},
  );
  const b = mcm('b-mod', mappings({ literal: '6.1.0', containerImage: 'q.io/b:v1' }), {});
  const bad = mcm('bad', mappings({ literal: '6.1.0', containerImage: 'q.io/bad' }), {});
  const fleet = [cluster('z', ['6.1.0']), cluster('y', ['6.2.0']), cluster('x', undefined)];
  const p = plan([bad, b, a], fleet);

  it('sorts ManifestWorks by namespace then name', () => {
    expect(p.manifestWorks.map((w) => `${w.metadata.namespace}/${w.metadata.name}`)).toEqual([
      'y/a-mod',
      'z/a-mod',
      'z/b-mod',
    ]);
  });

  it('sorts images, skipped and errors by MCM', () => {
    expect(p.images.map((i) => `${i.mcm} ${i.image}`)).toEqual([
      'a-mod q.io/a:6.1.0',
      'a-mod q.io/a:6.2.0',
      'b-mod q.io/b:v1',
    ]);
    expect(p.skipped.map((s) => `${s.mcm} ${s.cluster} ${s.kernelVersion ?? '-'}`)).toEqual([
      'a-mod x -',
      'b-mod x -',
      'b-mod y 6.2.0',
    ]);
    expect(p.errors).toEqual([
      {
        mcm: 'bad',
        field: 'spec.moduleSpec.moduleLoader.container.kernelMappings[0].containerImage',
        message: expect.any(String),
      },
    ]);
  });

  it('prints exactly the four documented keys and entry fields', () => {
    const doc = planDocument(p);
    expect(Object.keys(doc)).toEqual(['manifestWorks', 'images', 'skipped', 'errors']);
    expect(Object.keys(doc.images[0] ?? {})).toEqual([
      'mcm',
      'image',
      'kernelVersions',
      'clusters',
      'build',
      'sign',
    ]);
    expect(doc.skipped[0]).toEqual({ mcm: 'a-mod', cluster: 'x', reason: expect.any(String) });
    expect(Object.keys(doc.skipped[2] ?? {})).toEqual([
      'mcm',
      'cluster',
      'kernelVersion',
      'reason',
    ]);
    expect(Object.keys(doc.errors[0] ?? {})).toEqual(['mcm', 'field', 'message']);
  });
});
