import { cluster } from '../../../../__fixtures__/builders';
import {
  clusters,
  devicePlugin,
  EL8,
  EL94,
  EL96,
  gpuDriver,
  works,
} from '../../../../__fixtures__/fleet';
import type { ManagedClusterModule } from '../../../../utils/model';
import { summaryOf } from '../../../../test-utils/fake-controller';
import {
  decodeFleetSummary,
  type ManagedCluster,
  type ManifestWork,
} from '../../../../utils/model';
import {
  buildFleetRows as buildFromFacts,
  filterFleetRows,
  fleetKernels,
  summarizeFleet,
} from './fleet-rows';

// From the fleet summary the controller publishes for the MCM over these objects.
const buildFleetRows = (
  mcm: ManagedClusterModule,
  cs: readonly ManagedCluster[],
  ws: readonly ManifestWork[],
) => buildFromFacts(mcm, decodeFleetSummary(summaryOf(mcm, cs, ws).fleet));

const rows = buildFleetRows(gpuDriver, clusters, works);
const row = (name: string) => {
  const r = rows.find((x) => x.cluster === name);
  if (!r) throw new Error(`no row for ${name}`);
  return r;
};

describe('fleet status rows', () => {
  it('has one row per selected cluster, sorted, and none for unselected clusters', () => {
    expect(rows.map((r) => r.cluster)).toEqual([
      'cluster-a',
      'cluster-b',
      'cluster-c',
      'cluster-d',
      'cluster-e',
    ]);
  });

  it('shows a cluster whose module is loaded on every node', () => {
    const a = row('cluster-a');
    expect(a.state).toBe('loaded');
    expect(a.available).toBe('True');
    expect(a.work?.applied).toBe('True');
    expect(a.work?.feedback.moduleLoader).toEqual({
      desiredNumber: 3,
      availableNumber: 3,
      nodesMatchingSelectorNumber: 3,
    });
    expect(a.workUpdated).toBe('2026-05-02T09:00:00Z');
    expect(a.kernels).toEqual([
      expect.objectContaining({ kernel: EL94, sent: true, imageState: 'Ready', state: 'loaded' }),
    ]);
    expect(a.problem).toBe(false);
  });

  it('tells per kernel whether its mapping was sent and where its image stands', () => {
    const b = row('cluster-b');
    // the claim's trailing "+" is trimmed by the model
    expect(b.kernels?.map((k) => [k.kernel, k.sent, k.imageState, k.state])).toEqual([
      [EL94, true, 'Ready', 'applied'],
      [EL96, false, 'Building', 'waiting'],
    ]);
    const el96 = b.kernels?.[1]?.resolution;
    expect(el96?.kind === 'mapped' && el96.mapping.image).toBe(
      `quay.io/acme/gpu-driver-signed:${EL96}`,
    );
    expect(b.state).toBe('waiting');
    expect(b.problem).toBe(false);
  });

  it('shows selected clusters that were skipped, with the reason', () => {
    expect(row('cluster-c')).toMatchObject({
      skipped: { code: 'NoKernelClaim', reason: expect.stringMatching(/no kernel-versions/) },
      kernels: undefined,
      state: 'noClaim',
      problem: true,
    });
    expect(row('cluster-d')).toMatchObject({
      skipped: { code: 'NoKernelMapping' },
      state: 'noMapping',
    });
    expect(row('cluster-d').kernels?.[0]).toMatchObject({
      kernel: EL8,
      sent: false,
      skip: { code: 'NoKernelMapping', kernelVersion: EL8 },
    });
  });

  it("follows the model's plan: an empty claim is no claim; a kernel waiting for its image is not a skip", () => {
    const empty = cluster('cluster-z', { labels: { gpu: 'true' }, kernels: [] });
    const z = buildFleetRows(gpuDriver, [empty], []).at(0);
    expect(z).toMatchObject({ skipped: { code: 'NoKernelClaim' }, kernels: [], state: 'noClaim' });
    const b = row('cluster-b');
    expect(b.skipped).toBeUndefined();
    expect(b.kernels?.[1]?.skip).toMatchObject({ code: 'ImageNotReady', kernelVersion: EL96 });
  });

  it('marks an unavailable cluster with a degraded ManifestWork as a problem', () => {
    const e = row('cluster-e');
    expect(e.available).toBe('Unknown');
    expect(e.work?.degraded).toBe(true);
    expect(e.state).toBe('failed');
    expect(e.problem).toBe(true);
  });

  it('counts the summary from the rows', () => {
    expect(summarizeFleet(rows)).toEqual({
      selected: 5,
      withManifestWork: 3,
      applied: 2,
      loaded: 1,
      degraded: 1,
      skipped: 2,
      problems: 3,
    });
  });

  it('filters by problem and by kernel', () => {
    expect(
      filterFleetRows(rows, { problemsOnly: true, kernel: undefined }).map((r) => r.cluster),
    ).toEqual(['cluster-c', 'cluster-d', 'cluster-e']);
    expect(
      filterFleetRows(rows, { problemsOnly: false, kernel: EL96 }).map((r) => r.cluster),
    ).toEqual(['cluster-b']);
    expect(fleetKernels(rows)).toEqual([EL8, EL94, EL96]);
  });

  it('gives a device-plugin-only MCM a row per selected cluster without kernel data', () => {
    const dp = buildFleetRows(devicePlugin, clusters, works);
    expect(dp).toHaveLength(clusters.length);
    expect(dp.find((r) => r.cluster === 'cluster-a')).toMatchObject({
      kernels: [],
      state: 'applied',
    });
    // No kernel claim, so no KMM: the device plugin is not sent there (it used to be, and fail).
    const c = dp.find((r) => r.cluster === 'cluster-c');
    expect(c).toMatchObject({
      state: 'noClaim',
      problem: true,
      skipped: { code: 'NoKernelClaim', reason: expect.stringMatching(/device plugin needs KMM/) },
    });
  });

  it('resolves no kernel of an invalid MCM and says why', () => {
    const invalid: ManagedClusterModule = {
      ...gpuDriver,
      spec: {
        ...gpuDriver.spec,
        moduleSpec: {
          ...gpuDriver.spec.moduleSpec,
          moduleLoader: {
            container: { modprobe: { moduleName: 'x' }, kernelMappings: [{ regexp: '(' }] },
          },
        },
      },
    };
    const a = buildFleetRows(invalid, clusters, []).find((r) => r.cluster === 'cluster-a');
    expect(a?.state).toBe('failed');
    expect(a?.kernels?.[0]?.resolution).toEqual({
      kind: 'invalid',
      problem: expect.objectContaining({
        field: expect.stringMatching(/^spec\.moduleSpec\.moduleLoader\.container\./),
        message: expect.any(String),
      }),
    });
  });
});
