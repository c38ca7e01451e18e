import { clusters, devicePlugin, EL94, gpuDriver, works } from '../../__fixtures__/fleet';
import { summariesOf } from '../../test-utils/fake-controller';
import type { ManagedClusterModule, PreflightStatus } from '../../utils/model';
import { buildKernelMatrix, viewKernelMatrix } from './kernel-matrix';
import { kernelsRun, upcomingCellOf, upcomingColumns, upcomingStateOf } from './upcoming-kernels';

const EL97 = '5.14.0-611.5.1.el9_7.x86_64';
const EL10 = '6.12.0-55.1.1.el10_0.x86_64';

const withPreflight = (m: ManagedClusterModule, preflight: PreflightStatus[]) => ({
  ...m,
  status: { ...m.status, preflight },
});

const gpu = withPreflight(gpuDriver, [
  {
    kernelVersion: EL97,
    release: 'OpenShift 4.20.0',
    image: `quay.io/acme/gpu:${EL97}`,
    state: 'Ready',
  },
  { kernelVersion: EL10, state: 'NoMapping', message: 'no mapping matches' },
  { kernelVersion: EL94, image: `quay.io/acme/gpu:${EL94}`, state: 'Ready' },
]);
const other = withPreflight({ ...gpuDriver, metadata: { ...gpuDriver.metadata, name: 'nic' } }, [
  { kernelVersion: EL97, image: `quay.io/acme/nic:${EL97}`, state: 'Building' },
]);

describe('upcomingColumns', () => {
  it('makes a column per upcoming kernel, worst state first, leaving out kernels clusters run', () => {
    const columns = upcomingColumns([other, gpu, devicePlugin], undefined, [EL94]);
    expect(
      columns.map((c) => [c.kernel, c.release, c.state, c.ready, c.details.map((d) => d.mcm)]),
    ).toEqual([
      [EL97, 'OpenShift 4.20.0', 'preparing', 1, ['gpu-driver', 'nic']],
      [EL10, undefined, 'noMapping', 0, ['gpu-driver']],
    ]);
    expect(columns.find((c) => c.kernel === EL10)?.details[0]).toEqual({
      mcm: 'gpu-driver',
      state: 'noMapping',
      preflightState: 'NoMapping',
      message: 'no mapping matches',
    });
  });

  it('shows only the chosen MCM', () => {
    expect(upcomingColumns([other, gpu], 'nic', []).map((c) => [c.kernel, c.state])).toEqual([
      [EL97, 'preparing'],
    ]);
    expect(upcomingColumns([gpu], 'nic', [])).toEqual([]);
  });

  it('maps every controller state to what the matrix shows', () => {
    expect(
      (
        [
          'Ready',
          'Waiting',
          'Building',
          'Signing',
          'Unknown',
          'Missing',
          'Failed',
          'NoMapping',
          'MappingError',
        ] as const
      ).map(upcomingStateOf),
    ).toEqual([
      'ready',
      'preparing',
      'preparing',
      'preparing',
      'preparing',
      'failed',
      'failed',
      'noMapping',
      'noMapping',
    ]);
  });
});

describe('kernelsRun', () => {
  it('lists the kernels of the whole fleet, not only of the rows a filter keeps', () => {
    const matrix = buildKernelMatrix([gpu], summariesOf([gpu], clusters, works));
    const filtered = viewKernelMatrix(matrix, { label: 'no-such-label' });
    expect(filtered.rows).toEqual([]);
    const all = kernelsRun(matrix);
    expect(all).toContain(EL94);
    // so an upcoming kernel that a filtered-out cluster runs is not shown as upcoming
    expect(upcomingColumns([gpu], undefined, all).map((c) => c.kernel)).not.toContain(EL94);
    expect(kernelsRun(undefined)).toEqual([]);
  });
});

describe('upcomingCellOf', () => {
  it('gives each row the state of the MCMs that select its cluster', () => {
    const matrix = buildKernelMatrix([gpu, other], summariesOf([gpu, other], clusters, works));
    const view = viewKernelMatrix(matrix, {});
    const [el97] = upcomingColumns([gpu, other], undefined, view.kernels).filter(
      (c) => c.kernel === EL97,
    );
    const byCluster = new Map(view.rows.map((r) => [r.cluster, upcomingCellOf(r, el97!)]));
    // cluster-a is selected by both GPU-labelled MCMs: the worse state shows
    expect(byCluster.get('cluster-a')).toMatchObject({ state: 'preparing' });
    expect(byCluster.get('cluster-a')?.details.map((d) => d.mcm)).toEqual(['gpu-driver', 'nic']);
    // a cluster without a kernel claim has no cell
    expect(byCluster.get('cluster-c')).toBeUndefined();
    // nor has a row whose selecting MCMs say nothing about the kernel
    const silent = buildKernelMatrix([devicePlugin], summariesOf([devicePlugin], clusters, works));
    const row = viewKernelMatrix(silent, {}).rows.find((r) => r.cells.size > 0);
    expect(row).toBeDefined();
    expect(upcomingCellOf(row!, el97!)).toBeUndefined();
  });
});
