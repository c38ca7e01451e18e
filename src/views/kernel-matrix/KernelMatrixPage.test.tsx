import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { StrictMode } from 'react';
import { stamp } from '../../__fixtures__/builders';
import {
  clusters,
  devicePlugin,
  EL8,
  EL94,
  EL96,
  gpuDriver,
  works,
} from '../../__fixtures__/fleet';
import { largeFleet } from '../../__fixtures__/large-fleet';
import { developerPerspective, fleetManagementPerspective } from '../../__fixtures__/perspectives';
import { sdkMock } from '../../__mocks__/dynamic-plugin-sdk';
import { fakeCluster } from '../../test-utils/fake-cluster';
import { renderAt } from '../../test-utils/render';
import { FLEET_SUMMARY_GVK } from '../../utils/k8s';
import KernelMatrixPage from './KernelMatrixPage';

/** the fixture clusters gpu-driver selects (all but cluster-f) */
const selectedByGpuDriver = clusters.map((c) => c.metadata.name).filter((n) => n !== 'cluster-f');
const grid = () => within(screen.getByRole('grid', { name: 'Kernel matrix' }));
const bodyRows = () => grid().getAllByRole('row').slice(2);
const clusterNames = () =>
  bodyRows().map((r) => within(r).getAllByRole('rowheader')[0]?.textContent);

describe('kernel matrix page', () => {
  it('shows clusters x kernels with a state per cell, a summary row and a legend', () => {
    fakeCluster.set([gpuDriver, devicePlugin, ...clusters, ...works]);
    renderAt(<KernelMatrixPage />);
    const headers = grid().getAllByRole('row')[0] as HTMLElement;
    expect(
      within(headers)
        .getAllByRole('columnheader')
        .map((h) => h.textContent),
    ).toEqual(['Cluster', EL8, EL94, EL96]);
    expect(clusterNames()).toEqual(clusters.map((c) => c.metadata.name));
    // every state the page can show is named in the legend
    const legend = within(screen.getByRole('region', { name: 'Legend' }));
    for (const text of [
      'Loaded',
      'Applied, not loaded on every node yet',
      'Image ready, rollout pending',
      'Waiting for build or sign',
      'No kernel mapping',
      'Cluster has no kernel claim',
      'Failed',
    ]) {
      expect(legend.getByText(text)).toBeInTheDocument();
    }
    expect(screen.getByLabelText(`cluster-e on ${EL94}: Failed`)).toBeInTheDocument();
    expect(screen.getByLabelText(`cluster-d on ${EL8}: No kernel mapping`)).toBeInTheDocument();
  });

  it('shows one MCM: its clusters, every cell state, and per-kernel coverage', async () => {
    fakeCluster.set([gpuDriver, devicePlugin, ...clusters, ...works]);
    renderAt(<KernelMatrixPage />);
    const user = userEvent.setup();
    await user.selectOptions(
      screen.getByRole('combobox', { name: 'ManagedClusterModule' }),
      'gpu-driver',
    );
    expect(clusterNames()).toEqual([
      'cluster-a',
      'cluster-b',
      'cluster-c',
      'cluster-d',
      'cluster-e',
    ]);
    expect(screen.getByLabelText(`cluster-a on ${EL94}: Loaded`)).toBeInTheDocument();
    expect(
      screen.getByLabelText(`cluster-b on ${EL94}: Applied, not loaded on every node yet`),
    ).toBeInTheDocument();
    expect(
      screen.getByLabelText(`cluster-b on ${EL96}: Waiting for build or sign`),
    ).toBeInTheDocument();
    expect(screen.getByLabelText(`cluster-d on ${EL8}: No kernel mapping`)).toBeInTheDocument();
    expect(screen.getByLabelText(`cluster-e on ${EL94}: Failed`)).toBeInTheDocument();
    const noClaim = bodyRows().find((r) => r.textContent?.startsWith('cluster-c'));
    expect(noClaim).toHaveTextContent('Cluster has no kernel claim');
    expect(screen.getByLabelText(`${EL94}: clusters 3, covered 3, loaded 1`)).toBeInTheDocument();
    expect(screen.getByLabelText(`${EL8}: clusters 1, covered 0, loaded 0`)).toBeInTheDocument();
  });

  it('shows a pending rollout and the per-MCM details in the tooltip', async () => {
    fakeCluster.set([gpuDriver, ...clusters]);
    renderAt(<KernelMatrixPage />);
    const cell = screen.getByLabelText(`cluster-a on ${EL94}: Image ready, rollout pending`);
    const user = userEvent.setup();
    expect(screen.queryByRole('tooltip')).not.toBeInTheDocument();
    await user.hover(cell);
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      `gpu-driver: Image ready, rollout pending · quay.io/acme/gpu-driver:${EL94} · Ready`,
    );
    await user.unhover(cell);
    await waitFor(() => expect(screen.queryByRole('tooltip')).not.toBeInTheDocument());
  });

  it('shows the tooltip to keyboard users on focus and hides it on Escape', async () => {
    fakeCluster.set([gpuDriver, ...clusters, ...works]);
    renderAt(<KernelMatrixPage />);
    const cell = screen.getByLabelText(`cluster-b on ${EL96}: Waiting for build or sign`);
    const user = userEvent.setup();
    act(() => cell.focus());
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      'gpu-driver: Waiting for build or sign · quay.io/acme/gpu-driver-signed:' +
        `${EL96} · Building · build job gpu-driver-build-7f3a is running`,
    );
    expect(cell).toHaveAttribute('aria-describedby', screen.getByRole('tooltip').id);
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('tooltip')).not.toBeInTheDocument());
  });

  it('lists the clusters some MCM selects, as their fleet summaries describe them', () => {
    fakeCluster.set([gpuDriver, ...clusters, ...works]);
    const { unmount } = renderAt(<KernelMatrixPage />);
    // gpu-driver does not select cluster-f, and no other MCM is there
    expect(clusterNames()).toEqual(selectedByGpuDriver);
    unmount();
    fakeCluster.set([gpuDriver, devicePlugin, ...clusters, ...works]);
    renderAt(<KernelMatrixPage />);
    expect(clusterNames()).toEqual(clusters.map((c) => c.metadata.name));
  });

  it('filters by cluster label and by state', async () => {
    fakeCluster.set([gpuDriver, ...clusters, ...works]);
    renderAt(<KernelMatrixPage />);
    const user = userEvent.setup();
    await user.type(screen.getByRole('textbox', { name: 'Filter by cluster label' }), 'region=us');
    // the label filter applies through a deferred value: wait for the view to follow it
    await waitFor(() => expect(clusterNames()).toEqual(['cluster-b', 'cluster-d']));
    await user.clear(screen.getByRole('textbox', { name: 'Filter by cluster label' }));
    await user.selectOptions(screen.getByRole('combobox', { name: 'Filter by state' }), 'failed');
    expect(clusterNames()).toEqual(['cluster-e']);
  });

  it('offers to clear every filter when they match no cluster', async () => {
    fakeCluster.set([gpuDriver, ...clusters, ...works]);
    renderAt(<KernelMatrixPage />);
    const user = userEvent.setup();
    const mcm = screen.getByRole('combobox', { name: 'ManagedClusterModule' });
    const state = screen.getByRole('combobox', { name: 'Filter by state' });
    const label = screen.getByRole('textbox', { name: 'Filter by cluster label' });
    await user.selectOptions(mcm, 'gpu-driver');
    await user.selectOptions(state, 'failed');
    await user.type(label, 'region=us');
    // the only failed cluster is in the EU
    expect(await screen.findByRole('heading', { name: 'No results found' })).toBeInTheDocument();
    expect(screen.getByText('No cluster matches the filters.')).toBeInTheDocument();
    expect(screen.queryByRole('grid', { name: 'Kernel matrix' })).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Clear all filters' }));
    await waitFor(() => expect(clusterNames()).toEqual(selectedByGpuDriver));
    expect(mcm).toHaveValue('');
    expect(state).toHaveValue('');
    expect(label).toHaveValue('');
  });

  it('renders one page of a 3,500-cluster fleet and pages through it', async () => {
    const fleet = largeFleet(3500);
    fakeCluster.set([gpuDriver, ...fleet.clusters, ...fleet.works]);
    renderAt(<KernelMatrixPage />);
    expect(bodyRows()).toHaveLength(50);
    expect(grid().getAllByRole('row')[0]?.querySelectorAll('th')).toHaveLength(31);
    expect(clusterNames()[0]).toBe('cluster-0000');
    await userEvent
      .setup()
      .click(screen.getAllByRole('button', { name: 'Go to next page' })[0] as HTMLElement);
    expect(clusterNames()[0]).toBe('cluster-0050');
    // the fleet shrinks under the open page 2: the last page that exists is shown, not an empty one
    act(() => fakeCluster.set([gpuDriver, ...clusters, ...works]));
    expect(clusterNames()).toEqual(selectedByGpuDriver);
  });

  it('follows a ManifestWork change under StrictMode', () => {
    const objects = [gpuDriver, ...clusters, ...works].map(stamp);
    fakeCluster.set(objects);
    renderAt(
      <StrictMode>
        <KernelMatrixPage />
      </StrictMode>,
    );
    expect(screen.getByLabelText(`cluster-e on ${EL94}: Failed`)).toBeInTheDocument();
    // the gpu-driver work on cluster-e becomes applied and available, loaded on every node
    act(() =>
      fakeCluster.set(
        objects.map((o) =>
          o.kind === 'ManifestWork' && o.metadata.namespace === 'cluster-e'
            ? stamp({ ...o, status: works[0]?.status })
            : o,
        ),
      ),
    );
    expect(screen.getByLabelText(`cluster-e on ${EL94}: Loaded`)).toBeInTheDocument();
    expect(screen.getByLabelText(`cluster-a on ${EL94}: Loaded`)).toBeInTheDocument();
  });

  it("links clusters to ACM's cluster page when ACM's console plugin is there", () => {
    fakeCluster.set([gpuDriver, ...clusters, ...works]);
    sdkMock.extensions = [developerPerspective];
    const { unmount } = renderAt(<KernelMatrixPage />);
    expect(grid().getByRole('link', { name: 'cluster-a' })).toHaveAttribute(
      'href',
      '/k8s/cluster/cluster.open-cluster-management.io~v1~ManagedCluster/cluster-a',
    );
    unmount();
    sdkMock.extensions = [developerPerspective, fleetManagementPerspective];
    renderAt(<KernelMatrixPage />);
    expect(grid().getByRole('link', { name: 'cluster-a' })).toHaveAttribute(
      'href',
      '/multicloud/infrastructure/clusters/details/cluster-a/cluster-a/overview',
    );
  });

  it('shows upcoming kernels as marked columns with each module state, following MCM status', async () => {
    const EL97 = '5.14.0-611.5.1.el9_7.x86_64';
    const preparing = stamp({
      ...gpuDriver,
      status: {
        ...gpuDriver.status,
        preflight: [
          {
            kernelVersion: EL97,
            release: 'OpenShift 4.20.0',
            image: `quay.io/acme/gpu-driver:${EL97}`,
            state: 'Building' as const,
            message: 'build Job gpu-build-x is running',
          },
        ],
      },
    });
    const objects = [devicePlugin, ...clusters, ...works].map(stamp);
    fakeCluster.set([preparing, ...objects]);
    renderAt(<KernelMatrixPage />);
    const headers = within(grid().getAllByRole('row')[0] as HTMLElement).getAllByRole(
      'columnheader',
    );
    expect(headers.map((h) => h.textContent)).toEqual([
      'Cluster',
      EL8,
      EL94,
      EL96,
      `${EL97} UpcomingOpenShift 4.20.0`,
    ]);
    const summary = screen.getByLabelText(
      `${EL97} (upcoming): Image being checked, built or signed, 0 of 1 modules ready`,
    );
    expect(summary).toHaveTextContent('0 / 1 ready');
    // the clusters gpu-driver selects show what they would get after upgrading; the others nothing
    expect(
      screen.getByLabelText(
        `cluster-a on ${EL97} (upcoming): Image being checked, built or signed`,
      ),
    ).toHaveTextContent('Preparing');
    expect(screen.queryByLabelText(`cluster-c on ${EL97} (upcoming)`, { exact: false })).toBeNull();
    const user = userEvent.setup();
    await user.hover(summary);
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      `gpu-driver: Building · quay.io/acme/gpu-driver:${EL97} · build Job gpu-build-x is running`,
    );

    // the controller reports the image built: the column follows the MCM status
    act(() =>
      fakeCluster.set([
        stamp({
          ...preparing,
          status: {
            ...preparing.status,
            preflight: [{ kernelVersion: EL97, image: 'i', state: 'Ready' as const }],
          },
        }),
        ...objects,
      ]),
    );
    expect(
      screen.getByLabelText(
        `${EL97} (upcoming): Image ready ahead of the upgrade, 1 of 1 modules ready`,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByLabelText(`cluster-a on ${EL97} (upcoming): Image ready ahead of the upgrade`),
    ).toHaveTextContent('Ready');
  });

  it('names the browser tab', () => {
    fakeCluster.holdWatch(FLEET_SUMMARY_GVK);
    renderAt(<KernelMatrixPage />);
    expect(document.title).toBe('Kernel matrix');
  });

  it('shows a load error', () => {
    fakeCluster.failWatch(
      FLEET_SUMMARY_GVK,
      new Error('managedclustermodulefleetsummaries is forbidden'),
    );
    renderAt(<KernelMatrixPage />);
    expect(screen.getByText('Could not load the kernel matrix')).toBeInTheDocument();
    expect(screen.getByText('managedclustermodulefleetsummaries is forbidden')).toBeInTheDocument();
  });
});
