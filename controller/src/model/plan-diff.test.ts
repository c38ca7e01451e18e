import { K94, K96, cluster, mcm, reported } from './__fixtures__/rollout';
import { planManagedClusterModule } from './plan';
import {
  exceedsLimit,
  parseChangeLimit,
  planDiff,
  previewMcm,
  type McmDiff,
  type PreviewInput,
} from './plan-diff';
import type { ManagedClusterModule, ManifestWork } from './types';

const fleet = [
  cluster('c1', [K94]),
  cluster('c2', [K96]),
  cluster('c3', [K94, K96]),
  cluster('c4', [K94], { gpu: 'false', canary: 'true' }),
  cluster('c5', undefined),
];

/** The hub after the controller rolled `live` out: its works as the API server returns them. */
function hubWith(live: ManagedClusterModule): Pick<PreviewInput, 'live' | 'currentWorks'> {
  const works = planManagedClusterModule(live, fleet).manifestWorks.map((w) => reported(w));
  return { live, currentWorks: works };
}

function diffOf(input: PreviewInput): McmDiff {
  const r = previewMcm(input);
  if (!('diff' in r)) throw new Error(`unexpected errors: ${JSON.stringify(r.errors)}`);
  return r.diff;
}

const withImage = (image: string, over: Partial<ManagedClusterModule['spec']> = {}) => {
  const m = mcm(over);
  m.spec.moduleSpec.moduleLoader!.container.kernelMappings = [
    { regexp: '^5\\.14\\.0-', containerImage: image },
  ];
  return m;
};

/** The edit as a file holds it: no uid, no status. */
const asFile = (m: ManagedClusterModule): ManagedClusterModule => ({
  ...m,
  metadata: { name: m.metadata.name },
});

describe('previewMcm', () => {
  it('reports no change for an edit that changes nothing, with or without the uid', () => {
    const hub = hubWith(mcm());
    for (const edited of [mcm(), asFile(mcm())]) {
      const d = diffOf({ edited, clusters: fleet, ...hub });
      expect(d).toEqual({
        mcm: 'drv',
        onHub: true,
        changed: false,
        changedClusters: [],
        clustersGained: [],
        clustersLost: [],
        imageChanges: [],
        otherChanges: [],
        images: [],
      });
    }
  });

  it("applies the CRD's defaults to the edit first, as the API server would", () => {
    const schema = {
      properties: {
        spec: {
          properties: {
            moduleSpec: {
              properties: {
                moduleLoader: {
                  properties: {
                    container: {
                      properties: {
                        modprobe: { properties: { dirName: { default: '/opt' } } },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    };
    const live = mcm();
    live.spec.moduleSpec.moduleLoader!.container.modprobe.dirName = '/opt';
    const hub = hubWith(live);
    const edited = asFile(mcm());
    expect(diffOf({ edited, clusters: fleet, ...hub }).otherChanges).toEqual([
      {
        fields: ['spec.moduleSpec.moduleLoader.container.modprobe.dirName'],
        clusters: ['c1', 'c2', 'c3'],
      },
    ]);
    expect(diffOf({ edited, clusters: fleet, schema, ...hub }).changed).toBe(false);
  });

  it('names exactly the clusters a selector change gains and loses', () => {
    const hub = hubWith(mcm());
    const d = diffOf({
      edited: asFile(mcm({ selector: { canary: 'true' } })),
      clusters: fleet,
      ...hub,
    });
    expect(d.clustersGained).toEqual(['c4']);
    expect(d.clustersLost).toEqual(['c1', 'c2', 'c3']);
    expect(d.changedClusters).toEqual(['c1', 'c2', 'c3', 'c4']);
    expect(d.imageChanges).toEqual([]);
    expect(d.images).toEqual([
      expect.objectContaining({
        image: `quay.io/acme/drv:${K94}`,
        clusters: ['c4'],
        kernelVersions: [K94],
      }),
    ]);
  });

  it('names the kernels whose image changes, old and new, with their clusters', () => {
    const hub = hubWith(mcm());
    const d = diffOf({
      edited: asFile(withImage('quay.io/acme/drv2:${KERNEL_FULL_VERSION}')),
      clusters: fleet,
      ...hub,
    });
    expect(d.clustersGained).toEqual([]);
    expect(d.clustersLost).toEqual([]);
    expect(d.imageChanges).toEqual([
      {
        kernelVersion: K94,
        from: `quay.io/acme/drv:${K94}`,
        to: `quay.io/acme/drv2:${K94}`,
        clusters: ['c1', 'c3'],
      },
      {
        kernelVersion: K96,
        from: `quay.io/acme/drv:${K96}`,
        to: `quay.io/acme/drv2:${K96}`,
        clusters: ['c2', 'c3'],
      },
    ]);
    expect(d.otherChanges).toEqual([]);
    expect(d.images.map((i) => [i.image, i.source, i.state, i.clusters])).toEqual([
      [`quay.io/acme/drv2:${K94}`, 'none', 'NotChecked', ['c1', 'c3']],
      [`quay.io/acme/drv2:${K96}`, 'none', 'NotChecked', ['c2', 'c3']],
    ]);
    expect(d.images[0]!.note).toMatch(/registry not consulted: it must already be in its registry/);
  });

  it('keeps the digest the hub pinned for an unchanged image, so only the changed kernel shows', () => {
    const live = mcm();
    live.status = {
      images: [K94, K96].map((k) => ({
        image: `quay.io/acme/drv:${k}`,
        kernelVersions: [k],
        clusters: 2,
        state: 'Ready' as const,
        digest: `sha256:${k === K94 ? 'a' : 'b'}`.padEnd(71, '0'),
        build: false,
        sign: false,
      })),
    };
    const works = planManagedClusterModule(live, fleet, (_m, image) =>
      live.status!.images!.find((i) => i.image === image),
    ).manifestWorks.map((w) => reported(w));
    const edited = asFile(mcm());
    edited.spec.moduleSpec.moduleLoader!.container.kernelMappings = [
      { literal: K96, containerImage: 'quay.io/acme/drv:fixed' },
      { regexp: '^5\\.14\\.0-', containerImage: 'quay.io/acme/drv:${KERNEL_FULL_VERSION}' },
    ];
    const d = diffOf({ edited, live, currentWorks: works, clusters: fleet });
    expect(d.imageChanges).toEqual([
      {
        kernelVersion: K96,
        from: `quay.io/acme/drv@sha256:b${'0'.repeat(63)}`,
        to: 'quay.io/acme/drv:fixed',
        clusters: ['c2', 'c3'],
      },
    ]);
  });

  it('says which incoming images a hub build would produce, from the hub, the registry or neither', () => {
    const live = mcm();
    const built = 'quay.io/acme/drv-built:';
    const edited = asFile(withImage(`${built}\${KERNEL_FULL_VERSION}`));
    edited.spec.moduleSpec.moduleLoader!.container.build = {
      dockerfileConfigMap: { name: 'dockerfile' },
    };
    live.status = {
      images: [
        {
          image: `${built}${K94}`,
          kernelVersions: [K94],
          clusters: 2,
          state: 'Building',
          build: true,
          sign: false,
        },
      ],
    };
    const hub = hubWith(live);
    const none = diffOf({ edited, clusters: fleet, ...hub });
    expect(none.images.map((i) => [i.source, i.state])).toEqual([
      ['hub', 'Building'],
      ['none', 'NotChecked'],
    ]);
    expect(none.images[1]!.note).toMatch(/a hub build starts unless it is already in its registry/);
    // what a registry check would ask: only the image the hub does not know
    expect(previewMcm({ edited, clusters: fleet, ...hub })).toMatchObject({
      unchecked: [{ image: `${built}${K96}` }],
    });
    const missing = diffOf({
      edited,
      clusters: fleet,
      ...hub,
      registry: new Map([[`${built}${K96}`, { kind: 'missing' as const }]]),
    });
    expect(missing.images[1]).toMatchObject({
      source: 'registry',
      state: 'Waiting',
      note: 'not in its registry: a hub build would start',
    });
    const failed = previewMcm({
      edited,
      clusters: fleet,
      ...hub,
      registry: new Map([[`${built}${K96}`, { kind: 'error' as const, message: 'unauthorized' }]]),
    });
    expect(failed).toMatchObject({ unchecked: [] });
    expect('diff' in failed && failed.diff.images[1]).toMatchObject({
      source: 'none',
      state: 'NotChecked',
      note: expect.stringContaining('the registry could not be checked (unauthorized)'),
    });
  });

  it('shows everything as gained for an MCM the hub does not have', () => {
    const d = diffOf({ edited: asFile(mcm()), clusters: fleet, currentWorks: [] });
    expect(d.onHub).toBe(false);
    expect(d.clustersGained).toEqual(['c1', 'c2', 'c3']);
    expect(d.changed).toBe(true);
  });

  it('names the MCM fields behind other changes: spokeNamespace, moduleSpec', () => {
    const hub = hubWith(mcm());
    const edited = asFile(mcm({ spokeNamespace: 'elsewhere' }));
    edited.spec.moduleSpec.moduleLoader!.container.modprobe.moduleName = 'drv2';
    const d = diffOf({ edited, clusters: fleet, ...hub });
    expect(d.otherChanges).toEqual([
      {
        fields: [
          'spec.moduleSpec.moduleLoader.container.modprobe.moduleName',
          'spec.spokeNamespace',
        ],
        clusters: ['c1', 'c2', 'c3'],
      },
    ]);
    expect(d.imageChanges).toEqual([]);
  });

  it('reports anything that is not an MCM as invalid, without throwing', () => {
    for (const edited of [null, 'text', [], { metadata: null }, { metadata: { name: 7 } }]) {
      const r = previewMcm({
        edited: edited as unknown as ManagedClusterModule,
        clusters: fleet,
        ...hubWith(mcm()),
      });
      expect(r.errors.length).toBeGreaterThan(0);
    }
  });

  it('returns only the validation errors of an invalid edit', () => {
    const r = previewMcm({
      edited: withImage('quay.io/acme/drv'),
      clusters: fleet,
      ...hubWith(mcm()),
    });
    expect(r).toEqual({
      errors: [
        expect.objectContaining({
          mcm: 'drv',
          field: 'spec.moduleSpec.moduleLoader.container.kernelMappings[0].containerImage',
        }),
      ],
    });
  });
});

describe('planDiff', () => {
  const works = planManagedClusterModule(mcm(), fleet).manifestWorks;

  it('treats works being deleted as gone and ignores works of other names', () => {
    const current: ManifestWork[] = works.map((w) => reported(w));
    current[0]!.metadata.deletionTimestamp = '2026-01-01T00:00:00Z';
    const stray = reported(works[1]!);
    stray.metadata.name = 'other';
    const d = planDiff('drv', [...current, stray], works);
    expect(d.clustersGained).toEqual(['c1']);
    expect(d.changedClusters).toEqual(['c1']);
  });

  it('reports a kernel gained or dropped on a kept cluster with a null side', () => {
    const next = planManagedClusterModule(mcm(), [
      cluster('c1', [K94, K96]),
      cluster('c2', [K96]),
      cluster('c3', [K94]),
    ]).manifestWorks;
    const d = planDiff('drv', works, next);
    expect(d.imageChanges).toEqual([
      { kernelVersion: K96, from: null, to: `quay.io/acme/drv:${K96}`, clusters: ['c1'] },
      { kernelVersion: K96, from: `quay.io/acme/drv:${K96}`, to: null, clusters: ['c3'] },
    ]);
  });
});

describe('change limits', () => {
  it('parses a count or a percentage and nothing else', () => {
    expect(parseChangeLimit('10')).toEqual({ clusters: 10 });
    expect(parseChangeLimit('25%')).toEqual({ percent: 25 });
    for (const bad of ['', '-1', '1.5', '101%', 'ten', '%'])
      expect(parseChangeLimit(bad)).toBe(undefined);
  });

  it('is exceeded only past the limit', () => {
    expect(exceedsLimit(10, 100, { clusters: 10 })).toBe(false);
    expect(exceedsLimit(11, 100, { clusters: 10 })).toBe(true);
    expect(exceedsLimit(25, 100, { percent: 25 })).toBe(false);
    expect(exceedsLimit(26, 100, { percent: 25 })).toBe(true);
    expect(exceedsLimit(1, 3, { percent: 33 })).toBe(true);
  });
});
