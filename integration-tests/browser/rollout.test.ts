// A halted progressive rollout as the console shows it, against the sandbox hub with the controller running:
// the details page names the failed clusters and why; the administrator's Resume rollout sets the resume
// annotation through the real API server and the rollout completes; a read-only user's button is disabled
// by the access review and a click does nothing.
import { RbacAuthorizationV1Api } from '@kubernetes/client-node';
import type { BrowserContext, Page } from 'playwright-core';
import {
  RESUME_ROLLOUT_ANNOTATION,
  kernelVersionsOf,
  type ManagedClusterModule,
} from 'kmm-hub-controller/model';
import {
  clusters,
  createMcm,
  driverMcm,
  getMcm,
  updateMcm,
  waitForStatus,
} from '../controller/harness';
import { launchChromium } from './chromium';
import { pagePerTest } from './page-errors';
import { screenshot } from './screenshots';
import { startStack, type Stack } from './stack';

jest.setTimeout(180_000);

const LIST = '/k8s/cluster/hub.kmm.sigs.x-k8s.io~v1beta1~ManagedClusterModule';
const UI_TIMEOUT = 30_000;
const READER = 'rollout-reader@example.com';
const MCM = 'browser-waves';

let stack: Stack;
let readerUrl: string;
let browser: { context: BrowserContext; close(): Promise<void> };
let page: Page;
let firstCluster: string;

const phase = (m: ManagedClusterModule) => m.status?.rollout?.phase;

beforeAll(async () => {
  stack = await startStack(8);
  const hub = stack.hub;
  const withKmm = (await clusters(hub))
    .filter((c) => (kernelVersionsOf(c) ?? []).length > 0)
    .map((c) => c.metadata.name!)
    .sort()
    .slice(0, 3);
  firstCluster = withKmm[0]!;
  for (const c of withKmm) await hub.sandbox.fleet.relabel(c, { 'rollout-ui': 'yes' });
  const mcm = driverMcm(MCM, { 'rollout-ui': 'yes' }, 'v1');
  mcm.spec.rolloutStrategy = { type: 'Progressive', maxConcurrency: 1, progressDeadline: '2s' };
  await createMcm(hub, mcm);
  await waitForStatus(hub, MCM, 'v1 rolled out', (m) => phase(m) === 'Complete', 60_000);
  // v2 cannot be pulled anywhere: the first cluster times out and the rollout halts.
  hub.sandbox.fleet.setImagePullable('quay.io/acme/drv-v2:*', false);
  await updateMcm(hub, MCM, (m) => {
    m.spec.moduleSpec.moduleLoader!.container.kernelMappings[0]!.containerImage =
      'quay.io/acme/drv-v2:${KERNEL_FULL_VERSION}';
  });
  await waitForStatus(hub, MCM, 'halted', (m) => phase(m) === 'Halted', 60_000);

  const rbac = hub.kubeConfig.makeApiClient(RbacAuthorizationV1Api);
  await rbac.createClusterRole({
    body: {
      metadata: { name: 'rollout-viewer' },
      rules: [
        {
          apiGroups: ['hub.kmm.sigs.x-k8s.io'],
          resources: ['managedclustermodules'],
          verbs: ['get', 'list', 'watch'],
        },
      ],
    },
  });
  await rbac.createClusterRoleBinding({
    body: {
      metadata: { name: 'rollout-viewer' },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: 'rollout-viewer',
      },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: READER }],
    },
  });
  readerUrl = await stack.shellAs(hub.sandbox.server.userToken(READER).token);
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const pages = pagePerTest(() => browser.context, UI_TIMEOUT);
beforeEach(() => {
  page = pages.page();
});

it('shows a read-only user the halted rollout with Resume disabled; a click changes nothing', async () => {
  await page.goto(`${readerUrl}${LIST}/${MCM}`);
  await page.getByText('Rollout halted: ProgressDeadlineExceeded').waitFor();
  await page.waitForLoadState('networkidle');
  const resume = page.getByRole('button', { name: 'Resume rollout' });
  expect(await resume.isDisabled()).toBe(true);
  await page
    .getByText('You are not allowed to resume it: resuming patches the ManagedClusterModule.')
    .waitFor();
  await resume.click({ force: true });
  await page.waitForLoadState('networkidle');
  expect((await getMcm(stack.hub, MCM)).metadata.annotations?.[RESUME_ROLLOUT_ANNOTATION]).toBe(
    undefined,
  );
});

it('shows the administrator the failed cluster and why, and resumes the rollout to completion', async () => {
  await page.goto(`${stack.shellUrl}${LIST}/${MCM}`);
  await page.getByText('Rollout halted: ProgressDeadlineExceeded').waitFor();
  const failed = page.getByRole('grid', { name: 'Failed clusters' });
  await failed.waitFor();
  const text = await failed.innerText();
  expect(text).toContain(firstCluster);
  expect(text).toMatch(/TimedOut\s+not healthy within progressDeadline 2s/);
  await screenshot(page, 'rollout-halted');

  stack.hub.sandbox.fleet.setImagePullable('quay.io/acme/drv-v2:*', true);
  await page.getByRole('button', { name: 'Resume rollout' }).click();
  const done = await waitForStatus(
    stack.hub,
    MCM,
    'v2 complete',
    (m) => phase(m) === 'Complete',
    60_000,
  );
  expect(done.metadata.annotations?.[RESUME_ROLLOUT_ANNOTATION]).toMatch(/^console-/);
  expect(done.status?.rollout?.resumeToken).toBe(
    done.metadata.annotations?.[RESUME_ROLLOUT_ANNOTATION],
  );
  // The page follows the watch: the halt is gone, the rollout shows complete.
  await page.getByText('Complete', { exact: true }).waitFor();
  expect(await page.getByText('Rollout halted: ProgressDeadlineExceeded').count()).toBe(0);
  await screenshot(page, 'rollout-complete');
});
