import { renderHook } from '@testing-library/react';
import { sdkMock } from '../../../__mocks__/dynamic-plugin-sdk';
import { gpuDriver } from '../../../__fixtures__/fleet';
import { useManagedClusterModuleActions } from './useManagedClusterModuleActions';

describe('the console.action/resource-provider hook', () => {
  it('returns edit, edit labels and delete with their access reviews', () => {
    const { result } = renderHook(() => useManagedClusterModuleActions(gpuDriver));
    const [actions, loaded] = result.current;
    expect(loaded).toBe(true);
    expect(actions.map((a) => [a.id, a.disabled, a.accessReview?.verb])).toEqual([
      ['kmm-hub-edit-mcm', false, 'update'],
      ['kmm-hub-edit-labels', false, 'patch'],
      ['kmm-hub-delete-mcm', false, 'delete'],
    ]);
    expect(actions[0]?.cta).toEqual({
      href: '/k8s/cluster/hub.kmm.sigs.x-k8s.io~v1beta1~ManagedClusterModule/gpu-driver/yaml',
    });
    expect(actions[2]?.accessReview).toEqual({
      group: 'hub.kmm.sigs.x-k8s.io',
      resource: 'managedclustermodules',
      verb: 'delete',
      name: 'gpu-driver',
    });
    const del = actions[2]?.cta;
    if (typeof del === 'function') del();
    expect(sdkMock.launchedDeleteModal).toEqual(['gpu-driver']);
  });

  it('disables what the user may not do', () => {
    sdkMock.denied.add('update');
    sdkMock.denied.add('patch');
    const { result } = renderHook(() => useManagedClusterModuleActions(gpuDriver));
    expect(result.current[0].map((a) => a.disabled)).toEqual([true, true, false]);
    expect(result.current[0][0]?.disabledTooltip).toBe('You are not allowed to do this.');
  });
});
