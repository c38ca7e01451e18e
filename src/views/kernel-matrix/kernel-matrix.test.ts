import {
  clusters,
  devicePlugin,
  EL8,
  EL94,
  EL96,
  gpuDriver,
  works,
} from '../../__fixtures__/fleet';
import { KERNEL_POOL, kernelsOfCluster, largeFleet } from '../../__fixtures__/large-fleet';
import { summariesOf } from '../../test-utils/fake-controller';
import type { ManagedCluster, ManagedClusterModule, ManifestWork } from '../../utils/model';
import {
  buildKernelMatrix,
  type KernelMatrix,
  nextKernelMatrix,
  viewKernelMatrix,
} from './kernel-matrix';

// From the fleet summaries the controller publishes for these MCMs over these objects.
const build = (
  mcms: ManagedClusterModule[],
  cs: readonly ManagedCluster[],
  ws: readonly ManifestWork[],
  previous?: KernelMatrix,
) => buildKernelMatrix(mcms, summariesOf(mcms, cs, ws), previous);

const matrix = build([gpuDriver, devicePlugin], clusters, works);

const cell = (view: ReturnType<typeof viewKernelMatrix>, cluster: string, kernel: string) =>
  view.rows.find((r) => r.cluster === cluster)?.cells.get(kernel);

describe('kernel matrix', () => {
  const gpu = viewKernelMatrix(matrix, { mcm: 'gpu-driver' });

  it('lists the MCMs and, for one MCM, the clusters it selects and the kernels they run', () => {
    expect(matrix.mcms).toEqual(['gpu-device-plugin', 'gpu-driver']);
    expect(gpu.rows.map((r) => r.cluster)).toEqual([
      'cluster-a',
      'cluster-b',
      'cluster-c',
      'cluster-d',
      'cluster-e',
    ]);
    expect(gpu.kernels).toEqual([EL8, EL94, EL96]);
  });

  it('shows every cell state', () => {
    expect(cell(gpu, 'cluster-a', EL94)?.state).toBe('loaded');
    expect(cell(gpu, 'cluster-b', EL94)?.state).toBe('applied');
    expect(cell(gpu, 'cluster-b', EL96)?.state).toBe('waiting');
    expect(cell(gpu, 'cluster-d', EL8)?.state).toBe('noMapping');
    expect(cell(gpu, 'cluster-e', EL94)?.state).toBe('failed');
    const c = gpu.rows.find((r) => r.cluster === 'cluster-c');
    expect(c).toMatchObject({ noClaim: true, selectedBy: 1 });
    expect(c?.cells.size).toBe(0);

    // the rows are the clusters some MCM selects: the summaries describe no other
    const gpuOnly = viewKernelMatrix(build([gpuDriver], clusters, works), {});
    expect(gpuOnly.rows.map((r) => r.cluster)).not.toContain('cluster-f');
    const f = viewKernelMatrix(matrix, {}).rows.find((r) => r.cluster === 'cluster-f');
    expect(f).toMatchObject({ selectedBy: 1, noClaim: false, kernels: [EL94] });

    const pending = build([gpuDriver], clusters, []);
    expect(cell(viewKernelMatrix(pending, {}), 'cluster-a', EL94)?.state).toBe('pending');
  });

  it('keeps per-MCM details in each cell and shows the most urgent state with all MCMs', () => {
    const all = viewKernelMatrix(matrix, {});
    expect(all.rows).toHaveLength(clusters.length);
    const a = cell(all, 'cluster-a', EL94);
    expect(a?.details.map((d) => [d.mcm, d.state])).toEqual([
      // applied and available, but the work agent has not fed back the device plugin's counters yet
      ['gpu-device-plugin', 'applied'],
      ['gpu-driver', 'loaded'],
    ]);
    expect(a?.state).toBe('applied');
    const b = cell(all, 'cluster-b', EL94);
    // the device plugin has no ManifestWork on cluster-b yet: pending; gpu-driver is applied
    expect(b?.details.map((d) => d.state)).toEqual(['pending', 'applied']);
    expect(b?.state).toBe('pending');
    const image = a?.details[1]?.kernel?.resolution;
    expect(image?.kind === 'mapped' && image.mapping.image).toBe(`quay.io/acme/gpu-driver:${EL94}`);
  });

  it('summarizes each kernel: clusters on it, covered by a mapping, loaded', () => {
    expect(gpu.summary).toEqual([
      { kernel: EL8, clusters: 1, covered: 0, loaded: 0 },
      { kernel: EL94, clusters: 3, covered: 3, loaded: 1 },
      { kernel: EL96, clusters: 1, covered: 1, loaded: 0 },
    ]);
  });

  it('filters by cluster label and by state', () => {
    expect(
      viewKernelMatrix(matrix, { mcm: 'gpu-driver', label: 'region=eu' }).rows.map(
        (r) => r.cluster,
      ),
    ).toEqual(['cluster-a', 'cluster-c', 'cluster-e']);
    expect(viewKernelMatrix(matrix, { label: 'gpu' }).rows).toHaveLength(5);
    expect(
      viewKernelMatrix(matrix, { mcm: 'gpu-driver', state: 'failed' }).rows.map((r) => r.cluster),
    ).toEqual(['cluster-e']);
    expect(
      viewKernelMatrix(matrix, { mcm: 'gpu-driver', state: 'noClaim' }).rows.map((r) => r.cluster),
    ).toEqual(['cluster-c']);
  });

  it('recomputes only the MCM whose summary changed, with the same result as a fresh build', () => {
    let rv = 0;
    const stamp = <T extends { metadata: { resourceVersion?: string } }>(o: T): T => ({
      ...o,
      metadata: { ...o.metadata, resourceVersion: String(++rv) },
    });
    const [m1, m2] = [gpuDriver, devicePlugin].map(stamp);
    const cs = clusters.map(stamp);
    const ws = works.map(stamp);
    const first = build([m1!, m2!], cs, ws);
    // the gpu-driver work on cluster-e becomes applied and available
    const changed = ws.map((w) =>
      w.metadata.name === 'gpu-driver' && w.metadata.namespace === 'cluster-e'
        ? stamp({ ...w, status: works[0]?.status })
        : w,
    );
    const second = build([m1!, m2!], cs, changed, first);
    expect(second.parts.get('gpu-device-plugin')).toBe(first.parts.get('gpu-device-plugin'));
    expect(second.parts.get('gpu-driver')).not.toBe(first.parts.get('gpu-driver'));
    const fresh = build([m1!, m2!], cs, changed);
    expect(viewKernelMatrix(second, {})).toEqual(viewKernelMatrix(fresh, {}));
    expect(cell(viewKernelMatrix(second, { mcm: 'gpu-driver' }), 'cluster-e', EL94)?.state).toBe(
      'loaded',
    );
    // without resourceVersions nothing is reused
    expect(build([gpuDriver], clusters, works, matrix).parts.get('gpu-driver')).not.toBe(
      matrix.parts.get('gpu-driver'),
    );
  });

  it('rebuilds only when a watched list is another one, reusing the last build', () => {
    const summaries = summariesOf([gpuDriver, devicePlugin], clusters, works);
    const built = nextKernelMatrix(undefined, { mcms: [gpuDriver], summaries });
    expect(built.matrix.mcms).toEqual(['gpu-driver']);
    // the same lists, or other empty lists where empty ones were: the same build
    expect(nextKernelMatrix(built, { ...built.inputs })).toBe(built);
    const none = nextKernelMatrix(undefined, { mcms: [], summaries: [] });
    expect(nextKernelMatrix(none, { mcms: [], summaries: [] })).toBe(none);
    // a new list is a change even with the same content: the watch hooks keep a list until it changes
    expect(nextKernelMatrix(built, { ...built.inputs, summaries: [...summaries] })).not.toBe(built);
    // another list: a new build, with the previous matrix to reuse from
    const next = nextKernelMatrix(built, { mcms: [gpuDriver, devicePlugin], summaries });
    expect(next).not.toBe(built);
    expect(next.matrix.mcms).toEqual(['gpu-device-plugin', 'gpu-driver']);
    expect(viewKernelMatrix(next.matrix, {})).toEqual(
      viewKernelMatrix(build([gpuDriver, devicePlugin], clusters, works), {}),
    );
  });

  it('builds the matrix of 3,500 clusters x 30 kernels with the right content', () => {
    const fleet = largeFleet(3500);
    const mcms: ManagedClusterModule[] = [gpuDriver, devicePlugin];
    const big = build(mcms, fleet.clusters, fleet.works);
    const view = viewKernelMatrix(big, { mcm: 'gpu-driver' });
    expect(view.rows).toHaveLength(3500);
    expect(view.kernels).toEqual([...KERNEL_POOL].sort());
    expect(view.kernels).toHaveLength(30);

    // Expected per-kernel counts, from the generator's rules.
    const expected = new Map(KERNEL_POOL.map((k) => [k, { clusters: 0, covered: 0 }]));
    for (let i = 0; i < 3500; i++) {
      if (i % 50 === 49) continue;
      for (const k of kernelsOfCluster(i)) {
        const e = expected.get(k) as { clusters: number; covered: number };
        e.clusters++;
        if (!k.includes('el9_2')) e.covered++;
      }
    }
    for (const s of view.summary) {
      const e = expected.get(s.kernel);
      expect({ kernel: s.kernel, clusters: s.clusters, covered: s.covered }).toEqual({
        kernel: s.kernel,
        ...e,
      });
      // every covered cell has its ManifestWork applied, available and 3 of 3 nodes loaded
      expect(s.loaded).toBe(s.covered);
    }
    expect(cell(view, 'cluster-0049', KERNEL_POOL[19] as string)).toBeUndefined();
    expect(view.rows.find((r) => r.cluster === 'cluster-0049')?.noClaim).toBe(true);
    const el92 = KERNEL_POOL[0] as string;
    expect(cell(view, 'cluster-0000', el92)?.state).toBe('noMapping');
    expect(cell(view, 'cluster-0004', KERNEL_POOL[4] as string)?.state).toBe('noMapping');
    expect(cell(view, 'cluster-0004', KERNEL_POOL[11] as string)?.state).toBe('loaded');
    expect(viewKernelMatrix(big, { mcm: 'gpu-driver', state: 'noClaim' }).rows).toHaveLength(70);
  });
});
