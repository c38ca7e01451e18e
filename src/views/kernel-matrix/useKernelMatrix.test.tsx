import { act, renderHook } from '@testing-library/react';
import { StrictMode } from 'react';
import { stamp } from '../../__fixtures__/builders';
import { clusters, devicePlugin, EL94, gpuDriver, works } from '../../__fixtures__/fleet';
import { fakeCluster } from '../../test-utils/fake-cluster';
import { summariesOf } from '../../test-utils/fake-controller';
import { FLEET_SUMMARY_GVK } from '../../utils/k8s';
import { buildKernelMatrix, type KernelMatrix, viewKernelMatrix } from './kernel-matrix';
import { useKernelMatrix } from './useKernelMatrix';

const mcms = [gpuDriver, devicePlugin].map(stamp);
const fleet = clusters.map(stamp);
const before = works.map(stamp);
// the gpu-driver work on cluster-e becomes applied and available, loaded on every node
const after = before.map((w) =>
  w.metadata.name === 'gpu-driver' && w.metadata.namespace === 'cluster-e'
    ? stamp({ ...w, status: works[0]?.status })
    : w,
);

const stateOf = (matrix: KernelMatrix | undefined, cluster: string, kernel: string) =>
  matrix &&
  viewKernelMatrix(matrix, { mcm: 'gpu-driver' })
    .rows.find((r) => r.cluster === cluster)
    ?.cells.get(kernel)?.state;

describe('useKernelMatrix', () => {
  it('under StrictMode, recomputes only the MCM whose summary changed, as a fresh build would', () => {
    fakeCluster.set([...mcms, ...fleet, ...before]);
    const { result, rerender } = renderHook(() => useKernelMatrix(), { wrapper: StrictMode });
    const first = result.current.matrix as KernelMatrix;
    expect(stateOf(first, 'cluster-e', EL94)).toBe('failed');

    // a render without a change of the watched objects keeps the matrix itself
    rerender();
    expect(result.current.matrix).toBe(first);

    act(() => fakeCluster.set([...mcms, ...fleet, ...after]));
    const second = result.current.matrix as KernelMatrix;
    expect(second).not.toBe(first);
    expect(second.parts.get('gpu-device-plugin')).toBe(first.parts.get('gpu-device-plugin'));
    expect(second.parts.get('gpu-driver')).not.toBe(first.parts.get('gpu-driver'));
    expect(stateOf(second, 'cluster-e', EL94)).toBe('loaded');
    expect(viewKernelMatrix(second, {})).toEqual(
      viewKernelMatrix(buildKernelMatrix(mcms, summariesOf(mcms, fleet, after)), {}),
    );

    // and back: the reused part of the device plugin still describes the fleet correctly
    act(() => fakeCluster.set([...mcms, ...fleet, ...before]));
    expect(stateOf(result.current.matrix, 'cluster-e', EL94)).toBe('failed');
    expect(result.current.matrix?.parts.get('gpu-device-plugin')).toBe(
      first.parts.get('gpu-device-plugin'),
    );
  });

  it('has no matrix until every watch has loaded', () => {
    fakeCluster.set([...mcms, ...fleet, ...before]);
    const { result } = renderHook(() => useKernelMatrix(), { wrapper: StrictMode });
    expect(result.current).toMatchObject({ loaded: true, matrix: expect.anything() });
    act(() => fakeCluster.holdWatch(FLEET_SUMMARY_GVK));
    expect(result.current).toMatchObject({ loaded: false, matrix: undefined });
  });
});
