import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { cluster, manifestWork } from '../../../__fixtures__/builders';
import { clusters, EL94, EL96, gpuDriver, works } from '../../../__fixtures__/fleet';
import { fleetManagementPerspective } from '../../../__fixtures__/perspectives';
import { sdkMock } from '../../../__mocks__/dynamic-plugin-sdk';
import { fakeCluster } from '../../../test-utils/fake-cluster';
import { renderAt } from '../../../test-utils/render';
import type { ManagedClusterModule } from '../../../utils/model';
import ManagedClusterModuleDetailsPage from './ManagedClusterModuleDetailsPage';

const BASE = '/k8s/cluster/hub.kmm.sigs.x-k8s.io~v1beta1~ManagedClusterModule';
const open = (tab = '', name = 'gpu-driver') =>
  renderAt(<ManagedClusterModuleDetailsPage />, {
    url: `${BASE}/${name}${tab ? `/${tab}` : ''}`,
    path: `${BASE}/:name/*`,
  });

const fleetRows = () =>
  within(screen.getByRole('grid', { name: 'Fleet status' }))
    .getAllByRole('row')
    .slice(1);

describe('ManagedClusterModule details page', () => {
  beforeEach(() => fakeCluster.set([gpuDriver, ...clusters, ...works]));

  it('shows a header with the name, the status and the actions, and the four tabs', () => {
    open();
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('gpu-driver');
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Degraded');
    expect(screen.getByRole('button', { name: 'Actions' })).toBeInTheDocument();
    const tabs = within(screen.getByRole('navigation', { name: 'Tabs' }));
    expect(tabs.getAllByRole('link').map((l) => l.textContent)).toEqual([
      'Details',
      'YAML',
      'Fleet status',
      'Events',
    ]);
  });

  it('summarizes the spec, the mappings with their images, the images and the conditions', () => {
    open();
    expect(screen.getByText('gpu_driver')).toBeInTheDocument();
    const mappings = within(screen.getByRole('grid', { name: 'Kernel mappings' })).getAllByRole(
      'row',
    );
    expect(
      mappings.slice(1).map((r) =>
        within(r)
          .getAllByRole('cell')
          .map((c) => c.textContent),
      ),
    ).toEqual([
      [
        '1',
        'matches ^.+\\.el9_4\\.x86_64$',
        'quay.io/acme/gpu-driver:$KERNEL_FULL_VERSION (default image)',
        'No',
        'No',
      ],
      [
        '2',
        'matches ^.+\\.el9_6\\.x86_64$',
        'quay.io/acme/gpu-driver-signed:$KERNEL_FULL_VERSION',
        'Yes',
        'Yes',
      ],
    ]);
    const images = within(screen.getByRole('grid', { name: 'Images' }));
    expect(
      images.getByText('BuildRunning: build job gpu-driver-build-7f3a is running'),
    ).toBeInTheDocument();
    expect(images.getByText(EL96)).toBeInTheDocument();
    const conditions = within(screen.getByRole('grid', { name: 'Conditions' }));
    expect(conditions.getByText('waiting for 1 image build')).toBeInTheDocument();
    expect(screen.queryByRole('list', { name: 'Validation problems' })).not.toBeInTheDocument();
  });

  it("shows the model's validation problems with their field paths", () => {
    const invalid: ManagedClusterModule = {
      ...gpuDriver,
      metadata: { ...gpuDriver.metadata, name: 'a-very-long-module-name-for-a-driver' },
      spec: {
        ...gpuDriver.spec,
        moduleSpec: {
          selector: {},
          moduleLoader: {
            container: {
              modprobe: { moduleName: 'x' },
              kernelMappings: [{ regexp: '(', containerImage: 'quay.io/acme/x' }],
            },
          },
        },
      },
    };
    fakeCluster.set([invalid]);
    open('', invalid.metadata.name);
    const list = within(screen.getByRole('list', { name: 'Validation problems' }));
    const fields = list.getAllByRole('listitem').map((li) => li.querySelector('code')?.textContent);
    expect(fields).toEqual(
      expect.arrayContaining([
        'spec.spokeNamespace',
        'spec.moduleSpec.moduleLoader.container.kernelMappings[0].regexp',
        'spec.moduleSpec.moduleLoader.container.kernelMappings[0].containerImage',
      ]),
    );
  });

  it('edits the resource in the YAML tab and shows its events in the Events tab', () => {
    const { unmount } = open('yaml');
    expect(screen.getByLabelText('YAML editor')).toHaveTextContent(
      '"spokeNamespace": "openshift-kmm"',
    );
    unmount();
    open('events');
    expect(screen.getByLabelText('Events')).toHaveTextContent('Events of gpu-driver');
  });

  it('shows the fleet status: summary, one row per selected cluster, filters', async () => {
    open('fleet-status');
    const summary = within(screen.getByRole('region', { name: 'Fleet summary' }));
    expect(summary.getByText('Selected').previousSibling).toHaveTextContent('5');
    expect(summary.getByText('Problems').previousSibling).toHaveTextContent('3');
    expect(fleetRows().map((r) => within(r).getAllByRole('cell')[0]?.textContent)).toEqual([
      'cluster-a',
      'cluster-b',
      'cluster-c',
      'cluster-d',
      'cluster-e',
    ]);
    const [a, b, c, d, e] = fleetRows().map((r) =>
      within(r)
        .getAllByRole('cell')
        .map((x) => x.textContent),
    );
    expect(a).toEqual([
      'cluster-a',
      'Available',
      ` ${EL94} Ready mapping sent`,
      'Applied: Yes, Available: Yes',
      '3 of 3 nodes',
      '2026-05-02T09:00:00Z',
    ]);
    expect(b?.[2]).toBe(` ${EL94} Ready mapping sent ${EL96} Building mapping not sent`);
    expect(b?.[4]).toBe('-');
    expect(c?.[2]).toBe(
      'Skipped: the cluster reports no kernel versions. (it has no kernel-versions.kmm.node.kubernetes.io claim: KMM is not running in managed mode (KMM_MANAGED=1) on it, or has not reported yet)',
    );
    expect(d?.[2]).toMatch(
      /^Skipped: no kernel mapping matches its kernels\. \(no kernel mapping matches this kernel/,
    );
    expect(e?.[1]).toBe('Unknown');
    const [rowA, rowB] = fleetRows();
    expect(within(rowA as HTMLElement).getByRole('img', { name: 'Loaded' })).toBeInTheDocument();
    expect(
      within(rowB as HTMLElement).getByRole('img', { name: 'Waiting for build or sign' }),
    ).toBeInTheDocument();
    // The spoke's own reason, not OCM's "Failed to apply manifest work".
    expect(e?.[3]).toBe(
      "Applied: No, Available: Not reportedProblem: the spoke's KMM webhook refuses the Module: failed to validate kernel mappings",
    );

    const user = userEvent.setup();
    await user.click(screen.getByRole('switch', { name: 'Problem clusters only' }));
    expect(fleetRows()).toHaveLength(3);
    await user.click(screen.getByRole('switch', { name: 'Problem clusters only' }));
    await user.selectOptions(screen.getByRole('combobox', { name: 'Filter by kernel' }), EL96);
    expect(fleetRows().map((r) => within(r).getAllByRole('cell')[0]?.textContent)).toEqual([
      'cluster-b',
    ]);
  });

  it("names the browser tab after the MCM, also while loading and when it can't be loaded", () => {
    const { unmount } = open('fleet-status');
    expect(document.title).toBe('gpu-driver · ManagedClusterModule details');
    unmount();
    expect(document.title).toBe('');
    open('', 'missing');
    expect(document.title).toBe('missing · ManagedClusterModule details');
  });

  it("links the fleet's clusters to ACM's cluster page when ACM's console plugin is there", () => {
    const { unmount } = open('fleet-status');
    const linkOf = (name: string) =>
      within(screen.getByRole('grid', { name: 'Fleet status' })).getByRole('link', { name });
    expect(linkOf('cluster-b')).toHaveAttribute(
      'href',
      '/k8s/cluster/cluster.open-cluster-management.io~v1~ManagedCluster/cluster-b',
    );
    unmount();
    sdkMock.extensions = [fleetManagementPerspective];
    open('fleet-status');
    expect(linkOf('cluster-b')).toHaveAttribute(
      'href',
      '/multicloud/infrastructure/clusters/details/cluster-b/cluster-b/overview',
    );
  });

  it('offers to clear the fleet filters when they match no cluster', async () => {
    open('fleet-status');
    const user = userEvent.setup();
    await user.click(screen.getByRole('switch', { name: 'Problem clusters only' }));
    // the only cluster on EL96 is not a problem cluster
    await user.selectOptions(screen.getByRole('combobox', { name: 'Filter by kernel' }), EL96);
    expect(screen.getByRole('heading', { name: 'No results found' })).toBeInTheDocument();
    expect(screen.getByText('No cluster matches the filters.')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Clear all filters' }));
    expect(fleetRows()).toHaveLength(5);
    expect(screen.getByRole('switch', { name: 'Problem clusters only' })).not.toBeChecked();
    expect(screen.getByRole('combobox', { name: 'Filter by kernel' })).toHaveValue('');
  });

  it('groups the failed clusters by root cause, one line per cause', () => {
    const mcm: ManagedClusterModule = {
      ...gpuDriver,
      spec: { ...gpuDriver.spec, selector: {}, spokeNamespace: 'kmm-e2e' },
    };
    const names = Array.from({ length: 7 }, (_, i) => `spoke-${i + 1}`);
    const mapping = [{ literal: EL94, containerImage: `quay.io/acme/gpu-driver:${EL94}` }];
    fakeCluster.set([
      mcm,
      ...names.map((n) => cluster(n, { kernels: [EL94] })),
      ...names.map((n, i) =>
        manifestWork(mcm, n, {
          mappings: mapping,
          applied: 'False',
          available: 'Unknown',
          applyError:
            i < 6
              ? 'namespaces "kmm-e2e" not found'
              : `the server doesn't have a resource type "Module"`,
        }),
      ),
    ]);
    open('fleet-status');
    const causes = within(screen.getByLabelText('Failure causes'));
    expect(causes.getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      '6 clusters: namespace kmm-e2e does not exist on the spoke; create it, or use openshift-kmm ' +
        '(spoke-1, spoke-2, spoke-3, spoke-4, spoke-5 and 1 more)',
      '1 cluster: KMM is not installed on the spoke (it has no Module kind): install KMM there in ' +
        'managed mode (KMM_MANAGED=1) (spoke-7)',
    ]);
  });

  it('shows no failure causes for a fleet without failures', () => {
    fakeCluster.set([
      gpuDriver,
      ...clusters,
      ...works.filter((w) => w.metadata.namespace !== 'cluster-e'),
    ]);
    open('fleet-status');
    expect(screen.getByRole('grid', { name: 'Fleet status' })).toBeInTheDocument();
    expect(screen.queryByLabelText('Failure causes')).not.toBeInTheDocument();
  });

  it('says so while the controller has not published the fleet summary yet', () => {
    fakeCluster.set([gpuDriver, ...clusters, ...works], { controller: false });
    open('fleet-status');
    expect(
      screen.getByText('The controller has not reported on the fleet for this module yet.'),
    ).toBeInTheDocument();
    expect(screen.queryByRole('grid', { name: 'Fleet status' })).not.toBeInTheDocument();
  });

  it('says so when the MCM does not exist', () => {
    open('', 'missing');
    expect(screen.getByText('Could not load ManagedClusterModule missing')).toBeInTheDocument();
  });

  it('edits from the actions menu', async () => {
    open();
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Actions' }));
    await user.click(screen.getByRole('menuitem', { name: 'Edit ManagedClusterModule' }));
    expect(screen.getByLabelText('YAML editor')).toBeInTheDocument();
  });
});
