import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { sdkMock } from '../../../__mocks__/dynamic-plugin-sdk';
import { devicePlugin, gpuDriver } from '../../../__fixtures__/fleet';
import { fakeCluster } from '../../../test-utils/fake-cluster';
import { renderAt } from '../../../test-utils/render';
import { MCM_GVK } from '../../../utils/k8s';
import ManagedClusterModuleListPage from './ManagedClusterModuleListPage';

const rowNames = () =>
  screen
    .getAllByRole('row')
    .slice(1)
    .map((r) => within(r).getAllByRole('cell')[0]?.textContent);

const rowOf = (name: string) => {
  const row = screen
    .getAllByRole('row')
    .find((r) => within(r).queryAllByRole('cell')[0]?.textContent === name);
  if (!row) throw new Error(`no row for ${name}`);
  return row;
};

describe('ManagedClusterModule list page', () => {
  it('shows each MCM with selector, spoke namespace, counters, image states, Ready and age', () => {
    fakeCluster.set([gpuDriver, devicePlugin]);
    renderAt(<ManagedClusterModuleListPage />);
    expect(screen.getByRole('heading', { name: 'ManagedClusterModules' })).toBeInTheDocument();
    expect(document.title).toBe('ManagedClusterModules');
    const row = rowOf('gpu-driver');
    const cells = within(row).getAllByRole('cell');
    expect(cells.map((c) => c.textContent)).toEqual([
      'gpu-driver',
      'gpu=true',
      'openshift-kmm',
      '5',
      '3',
      '1',
      '1 Building1 Ready',
      'Degradedcluster-e: not available',
      '2026-04-01T08:00:00Z',
      '',
    ]);
    const dp = rowOf('gpu-device-plugin');
    expect(within(dp).getByText('All')).toBeInTheDocument();
    expect(within(dp).getByText('Not reported yet')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Create ManagedClusterModule' })).toHaveAttribute(
      'href',
      '/k8s/cluster/hub.kmm.sigs.x-k8s.io~v1beta1~ManagedClusterModule/~new',
    );
  });

  it('filters by name and by label', async () => {
    fakeCluster.set([gpuDriver, devicePlugin]);
    renderAt(<ManagedClusterModuleListPage />);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Filter by name'), 'device');
    expect(rowNames()).toEqual(['gpu-device-plugin']);
    await user.clear(screen.getByLabelText('Filter by name'));
    await user.type(screen.getByLabelText('Filter by label'), 'team=accelerators');
    expect(rowNames()).toEqual(['gpu-driver']);
    await user.clear(screen.getByLabelText('Filter by label'));
    await user.type(screen.getByLabelText('Filter by label'), 'team=nobody');
    expect(screen.getByText('No ManagedClusterModule matches the filter.')).toBeInTheDocument();
  });

  it('starts from the filters in the URL and clears them all from the no-results state', async () => {
    fakeCluster.set([gpuDriver, devicePlugin]);
    renderAt(<ManagedClusterModuleListPage />, { url: '/list?name=gpu', path: '/list' });
    expect(screen.getByLabelText('Filter by name')).toHaveValue('gpu');
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Filter by label'), 'team=nobody');
    expect(screen.getByRole('heading', { name: 'No results found' })).toBeInTheDocument();
    expect(screen.queryByRole('grid')).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Clear all filters' }));
    expect(rowNames()).toEqual(['gpu-device-plugin', 'gpu-driver']);
    // the filter bar starts again from a URL without the cleared filters
    expect(screen.getByLabelText('Filter by name')).toHaveValue('');
    expect(screen.getByLabelText('Filter by label')).toHaveValue('');
  });

  it('sorts by a column, both ways', async () => {
    fakeCluster.set([gpuDriver, devicePlugin]);
    renderAt(<ManagedClusterModuleListPage />);
    const user = userEvent.setup();
    expect(rowNames()).toEqual(['gpu-device-plugin', 'gpu-driver']);
    await user.click(screen.getByRole('button', { name: 'Selected' }));
    expect(rowNames()).toEqual(['gpu-device-plugin', 'gpu-driver']);
    await user.click(screen.getByRole('button', { name: 'Selected' }));
    expect(rowNames()).toEqual(['gpu-driver', 'gpu-device-plugin']);
    // oldest first: gpu-driver was created a day before gpu-device-plugin
    await user.click(screen.getByRole('button', { name: 'Created' }));
    expect(rowNames()).toEqual(['gpu-driver', 'gpu-device-plugin']);
    await user.click(screen.getByRole('button', { name: 'Created' }));
    expect(rowNames()).toEqual(['gpu-device-plugin', 'gpu-driver']);
  });

  it('explains what an MCM is when there is none, with a create button', async () => {
    renderAt(<ManagedClusterModuleListPage />, { url: '/list', path: '/list' });
    expect(
      screen.getByRole('heading', { name: 'No ManagedClusterModules yet' }),
    ).toBeInTheDocument();
    expect(screen.getByText(/describes an out-of-tree kernel module/)).toBeInTheDocument();
    // what the hub does with images, now that it checks, pins, builds and signs them
    expect(
      screen.getByText(/built and signed on the hub, once for the whole fleet/),
    ).toHaveTextContent('sent pinned to their digests');
    expect(screen.queryByText(/not implemented yet/)).not.toBeInTheDocument();
    await userEvent
      .setup()
      .click(screen.getByRole('button', { name: 'Create ManagedClusterModule' }));
    expect(screen.getByText('left the page')).toBeInTheDocument();
  });

  it('offers create only to users allowed to create', () => {
    sdkMock.denied.add('create');
    fakeCluster.set([gpuDriver]);
    const { unmount } = renderAt(<ManagedClusterModuleListPage />);
    expect(screen.queryByRole('link', { name: 'Create ManagedClusterModule' })).toBeNull();
    unmount();
    // the empty state keeps its button, disabled, so that the page still says how MCMs come to be
    fakeCluster.reset();
    renderAt(<ManagedClusterModuleListPage />);
    expect(screen.getByRole('button', { name: 'Create ManagedClusterModule' })).toHaveAttribute(
      'aria-disabled',
      'true',
    );
  });

  it('shows a load error and a loading state', () => {
    fakeCluster.failWatch(MCM_GVK, new Error('managedclustermodules is forbidden'));
    const { unmount } = renderAt(<ManagedClusterModuleListPage />);
    expect(screen.getByText('Could not load ManagedClusterModules')).toBeInTheDocument();
    expect(screen.getByText('managedclustermodules is forbidden')).toBeInTheDocument();
    unmount();
    fakeCluster.reset();
    fakeCluster.holdWatch(MCM_GVK);
    renderAt(<ManagedClusterModuleListPage />);
    expect(
      screen.getByRole('progressbar', { name: 'Loading ManagedClusterModules' }),
    ).toBeInTheDocument();
  });

  it('offers row actions gated by access reviews', async () => {
    fakeCluster.set([gpuDriver]);
    sdkMock.denied.add('delete');
    renderAt(<ManagedClusterModuleListPage />);
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Actions for gpu-driver' }));
    await user.click(screen.getByRole('menuitem', { name: 'Edit labels' }));
    expect(sdkMock.launchedLabelsModal).toEqual(['gpu-driver']);
    await user.click(screen.getByRole('button', { name: 'Actions for gpu-driver' }));
    const del = screen.getByRole('menuitem', { name: /Delete ManagedClusterModule/ });
    expect(del).toHaveAttribute('aria-disabled', 'true');
    await user.click(del);
    expect(sdkMock.launchedDeleteModal).toEqual([]);
  });
});
