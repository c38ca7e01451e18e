import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { clusters, gpuDriver, works } from '../../../../__fixtures__/fleet';
import { sdkMock } from '../../../../__mocks__/dynamic-plugin-sdk';
import { fakeCluster } from '../../../../test-utils/fake-cluster';
import { renderAt } from '../../../../test-utils/render';
import type { ManagedClusterModule, RolloutStatus } from '../../../../utils/model';
import ManagedClusterModuleDetailsPage from '../ManagedClusterModuleDetailsPage';
import { resumePatch, rolloutView } from './rollout-view';

const BASE = '/k8s/cluster/hub.kmm.sigs.x-k8s.io~v1beta1~ManagedClusterModule';
const open = () =>
  renderAt(<ManagedClusterModuleDetailsPage />, {
    url: `${BASE}/gpu-driver`,
    path: `${BASE}/:name/*`,
  });

const halted: RolloutStatus = {
  phase: 'Halted',
  startedAt: '2026-12-04T10:00:00Z',
  observedGeneration: 1,
  countFailuresSince: '2026-12-04T10:00:00Z',
  currentWave: 2,
  totalWaves: 4,
  clusters: 8,
  succeeded: 2,
  progressing: 0,
  failed: 2,
  pending: 4,
  groups: [
    { name: 'canary', waves: 1, clusters: 2, succeeded: 2, progressing: 0, failed: 0, pending: 0 },
    {
      name: 'remaining',
      waves: 3,
      clusters: 6,
      succeeded: 0,
      progressing: 0,
      failed: 2,
      pending: 4,
    },
  ],
  haltedReason: 'ProgressDeadlineExceeded',
  message: 'halted after 2 failures (maxFailures 1; none tolerated in a mandatory group)',
  failedClusters: [
    { cluster: 'spoke-a', reason: 'TimedOut', message: 'not healthy within progressDeadline 3s' },
    { cluster: 'spoke-b', reason: 'Failed', message: 'admission webhook denied the request' },
  ],
};

function progressive(rollout: RolloutStatus | undefined): ManagedClusterModule {
  const m: ManagedClusterModule = JSON.parse(JSON.stringify(gpuDriver));
  m.metadata.generation = 1;
  m.spec.rolloutStrategy = { type: 'Progressive', maxConcurrency: 2, maxFailures: 1 };
  m.status = { ...m.status, rollout };
  if (!rollout) delete m.status.rollout;
  return m;
}

const rowsOf = (name: string) =>
  within(screen.getByRole('grid', { name }))
    .getAllByRole('row')
    .slice(1)
    .map((r) =>
      within(r)
        .getAllByRole('cell')
        .map((c) => c.textContent),
    );

describe('the rollout on the details page', () => {
  it('is not shown for an MCM that moves every cluster at once', () => {
    fakeCluster.set([gpuDriver, ...clusters, ...works]);
    open();
    expect(screen.queryByRole('heading', { name: 'Rollout' })).not.toBeInTheDocument();
  });

  it('shows a halted rollout: its waves, groups, the reason and the failed clusters', () => {
    fakeCluster.set([progressive(halted), ...clusters, ...works]);
    open();
    expect(screen.getByRole('heading', { name: 'Rollout' })).toBeInTheDocument();
    expect(screen.getByText('Halted')).toBeInTheDocument();
    expect(screen.getByText('Progressive: wave 2 of 4')).toBeInTheDocument();
    expect(
      screen.getByText('2 succeeded, 2 failed, 0 moving, 4 waiting, of 8'),
    ).toBeInTheDocument();
    expect(rowsOf('Rollout groups')).toEqual([
      ['canary', '1', '2', '2', '0', '0', '0'],
      ['remaining', '3', '6', '0', '0', '2', '4'],
    ]);
    expect(rowsOf('Failed clusters')).toEqual([
      ['spoke-a', 'TimedOut', 'not healthy within progressDeadline 3s'],
      ['spoke-b', 'Failed', 'admission webhook denied the request'],
    ]);
    expect(screen.getByText('Rollout halted: ProgressDeadlineExceeded')).toBeInTheDocument();
    expect(screen.getByText(/halted after 2 failures/)).toBeInTheDocument();
    expect(
      screen.queryByText('The controller has not decided the rollout for the current spec yet.'),
    ).not.toBeInTheDocument();
  });

  it('resumes with a patch of the resume annotation', async () => {
    fakeCluster.set([progressive(halted), ...clusters, ...works]);
    open();
    await userEvent.click(screen.getByRole('button', { name: 'Resume rollout' }));
    await waitFor(() => expect(sdkMock.patches).toHaveLength(1));
    const [patch] = sdkMock.patches;
    expect(patch).toMatchObject({ kind: 'ManagedClusterModule', name: 'gpu-driver' });
    const token = (fakeCluster.snapshot().objects[0] as ManagedClusterModule).metadata
      .annotations?.['hub.kmm.sigs.x-k8s.io/resume-rollout'];
    expect(token).toMatch(/^console-\d{4}-\d\d-\d\dT/);
  });

  it('says why resuming failed', async () => {
    sdkMock.failPatch = 'the object has been modified';
    fakeCluster.set([progressive(halted), ...clusters, ...works]);
    open();
    await userEvent.click(screen.getByRole('button', { name: 'Resume rollout' }));
    expect(
      await screen.findByText('Resuming failed: the object has been modified'),
    ).toBeInTheDocument();
  });

  it('offers no resume to a user who may not patch the MCM', () => {
    sdkMock.denied.add('patch');
    fakeCluster.set([progressive(halted), ...clusters, ...works]);
    open();
    expect(screen.getByRole('button', { name: 'Resume rollout' })).toBeDisabled();
    expect(
      screen.getByText(
        'You are not allowed to resume it: resuming patches the ManagedClusterModule.',
      ),
    ).toBeInTheDocument();
  });

  it('shows a progressive MCM the controller has not reported on yet', () => {
    fakeCluster.set([progressive(undefined), ...clusters, ...works]);
    open();
    expect(
      screen.getByText('The controller has not reported the rollout yet.'),
    ).toBeInTheDocument();
  });
});

describe('rolloutView and resumePatch', () => {
  it('counts failed clusters as done and notices a status older than the spec', () => {
    const m = progressive(halted);
    m.metadata.generation = 2;
    expect(rolloutView(m)).toMatchObject({ percentDone: 50, stale: true, type: 'Progressive' });
    expect(rolloutView(gpuDriver)).toBeUndefined();
  });

  it('adds the annotation whether or not the MCM has annotations', () => {
    const bare = progressive(halted);
    delete bare.metadata.annotations;
    expect(resumePatch(bare, 't1')).toEqual([
      {
        op: 'add',
        path: '/metadata/annotations',
        value: { 'hub.kmm.sigs.x-k8s.io/resume-rollout': 't1' },
      },
    ]);
    bare.metadata.annotations = { a: 'b' };
    expect(resumePatch(bare, 't2')).toEqual([
      {
        op: 'add',
        path: '/metadata/annotations/hub.kmm.sigs.x-k8s.io~1resume-rollout',
        value: 't2',
      },
    ]);
  });
});
