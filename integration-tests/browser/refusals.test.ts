// What the hub refuses, as the console shows it: kmm-hub's validating webhook denying an MCM saved in the
// YAML editor (the API server calls the controller's webhook, registered with the chart's configuration),
// and a user bound only to a read-only ClusterRole, whose shell offers no Create, Edit or Delete and whose
// direct attempt gets the API server's 403.
import { RbacAuthorizationV1Api } from '@kubernetes/client-node';
import type { BrowserContext, Page } from 'playwright-core';
import { stringify } from 'yaml';
import type { ManagedClusterModule } from 'kmm-hub-controller/model';
import { CHARTS, helmTemplate } from '../charts/render';
import { createMcm, driverMcm, getMcm } from '../controller/harness';
import { launchChromium } from './chromium';
import { pagePerTest } from './page-errors';
import { screenshot } from './screenshots';
import { startStack, type Stack, WEBHOOK_NAME } from './stack';

jest.setTimeout(180_000);

const LIST = '/k8s/cluster/hub.kmm.sigs.x-k8s.io~v1beta1~ManagedClusterModule';
const UI_TIMEOUT = 30_000;
const READER = 'reader@example.com';

let stack: Stack;
let readerUrl: string;
let browser: { context: BrowserContext; close(): Promise<void> };
let page: Page;

beforeAll(async () => {
  stack = await startStack(8, { webhook: true });
  await createMcm(stack.hub, driverMcm('browser-valid', {}));
  // A user who may read MCMs and, with the chart's role for the console's users, their fleet summaries:
  // nothing else, no ManagedCluster nor ManifestWork.
  const rbac = stack.hub.kubeConfig.makeApiClient(RbacAuthorizationV1Api);
  await rbac.createClusterRole({
    body: {
      metadata: { name: 'kmm-hub-viewer' },
      rules: [
        {
          apiGroups: ['hub.kmm.sigs.x-k8s.io'],
          resources: ['managedclustermodules'],
          verbs: ['get', 'list', 'watch'],
        },
      ],
    },
  });
  const { objects } = await helmTemplate(CHARTS.hub);
  const summaryReader = objects.find(
    (o) => o.kind === 'ClusterRole' && o.metadata.name === 'kmm-hub-fleet-summary-reader',
  );
  if (!summaryReader) throw new Error('the chart renders no kmm-hub-fleet-summary-reader');
  await rbac.createClusterRole({ body: summaryReader as never });
  for (const role of ['kmm-hub-viewer', 'kmm-hub-fleet-summary-reader']) {
    await rbac.createClusterRoleBinding({
      body: {
        metadata: { name: role },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: READER }],
      },
    });
  }
  readerUrl = await stack.shellAs(stack.hub.sandbox.server.userToken(READER).token);
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

/** Replaces the whole text of the page's YAML editor, as pasting would. */
async function replaceYaml(text: string): Promise<void> {
  await page.locator('.cm-content').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(text);
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** An MCM the CRD's schema accepts and kmm-hub's validation refuses: a regexp that does not compile. */
function withBadRegexp(mcm: ManagedClusterModule, image = 'quay.io/acme/drv:v1'): object {
  const container = mcm.spec.moduleSpec.moduleLoader!.container;
  return {
    ...mcm,
    spec: {
      ...mcm.spec,
      moduleSpec: {
        ...mcm.spec.moduleSpec,
        moduleLoader: {
          container: {
            ...container,
            kernelMappings: [{ regexp: '^(5.14', containerImage: image }],
          },
        },
      },
    },
  };
}

describe('the admission webhook', () => {
  it('refuses an update saved in the YAML editor with its field paths; nothing is stored', async () => {
    const before = await getMcm(stack.hub, 'browser-valid');
    await page.goto(`${stack.shellUrl}${LIST}/browser-valid/yaml`);
    await page.locator('.cm-content').getByText('browser-valid').first().waitFor();
    pages.expectError(/Failed to load resource: .* 422/);
    await replaceYaml(stringify(withBadRegexp(before)));
    await page.getByRole('button', { name: 'Save' }).click();
    const alert = page.locator('[data-test="yaml-error"]');
    await alert.waitFor();
    expect(await alert.innerText()).toMatch(
      new RegExp(
        `admission webhook "${escape(WEBHOOK_NAME)}" denied the request: ` +
          `ManagedClusterModule\\.hub\\.kmm\\.sigs\\.x-k8s\\.io "browser-valid" is invalid: ` +
          `\\[?spec\\.moduleSpec\\.moduleLoader\\.container\\.kernelMappings\\[0\\]\\.regexp: `,
      ),
    );
    await alert.scrollIntoViewIfNeeded();
    await screenshot(page, 'webhook-denied-update');
    const after = await getMcm(stack.hub, 'browser-valid');
    expect(after.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
    expect(after.spec).toEqual(before.spec);
  });

  it('refuses a create with every field path; nothing is created', async () => {
    await page.goto(`${stack.shellUrl}${LIST}/~new`);
    await page.locator('.cm-content').getByText('example-driver').first().waitFor();
    pages.expectError(/Failed to load resource: .* 422/);
    const mcm = driverMcm('browser-invalid', {});
    await replaceYaml(stringify(withBadRegexp(mcm, 'quay.io/acme/drv')));
    await page.getByRole('button', { name: 'Create' }).click();
    const alert = page.locator('[data-test="yaml-error"]');
    await alert.waitFor();
    const text = await alert.innerText();
    expect(text).toContain(`admission webhook "${WEBHOOK_NAME}" denied the request:`);
    expect(text).toContain('spec.moduleSpec.moduleLoader.container.kernelMappings[0].regexp');
    expect(text).toContain(
      'spec.moduleSpec.moduleLoader.container.kernelMappings[0].containerImage',
    );
    // still on the create page, and the API server has no such MCM
    expect(new URL(page.url()).pathname).toBe(`${LIST}/~new`);
    await expect(getMcm(stack.hub, 'browser-invalid')).rejects.toThrow(/404|not found/i);
  });
});

describe('a read-only user', () => {
  it('sees the list without a Create button', async () => {
    // The same page as the administrator has the button: the locator finds it when it is there.
    await page.goto(`${stack.shellUrl}${LIST}`);
    await page.getByRole('link', { name: 'Create ManagedClusterModule' }).waitFor();

    const reviewed = page.waitForResponse((r) => r.url().includes('/selfsubjectaccessreviews'));
    await page.goto(`${readerUrl}${LIST}`);
    await page.getByRole('link', { name: 'browser-valid' }).waitFor();
    await reviewed;
    await page.waitForLoadState('networkidle');
    expect(await page.getByRole('link', { name: 'Create ManagedClusterModule' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Create ManagedClusterModule' }).count()).toBe(0);
    // the row's kebab offers nothing either
    await page.getByRole('button', { name: 'Actions for browser-valid' }).click();
    for (const name of ['Edit labels', 'Delete ManagedClusterModule']) {
      expect(await page.getByRole('menuitem', { name }).getAttribute('aria-disabled')).toBe('true');
    }
    await screenshot(page, 'read-only-list');
  });

  it('sees the details with every action disabled, and the YAML view only', async () => {
    const ACTIONS = ['Edit ManagedClusterModule', 'Edit labels', 'Delete ManagedClusterModule'];
    // The administrator's menu has them enabled: what the reader sees is the access reviews' answer.
    await page.goto(`${stack.shellUrl}${LIST}/browser-valid`);
    await page.getByRole('heading', { name: /browser-valid/ }).waitFor();
    await page.waitForLoadState('networkidle');
    await page.getByRole('button', { name: 'Actions' }).click();
    for (const name of ACTIONS) {
      expect(await page.getByRole('menuitem', { name }).getAttribute('aria-disabled')).not.toBe(
        'true',
      );
    }
    await page.keyboard.press('Escape');

    await page.goto(`${readerUrl}${LIST}/browser-valid`);
    await page.getByRole('heading', { name: /browser-valid/ }).waitFor();
    await page.waitForLoadState('networkidle');
    await page.getByRole('button', { name: 'Actions' }).click();
    for (const name of ACTIONS) {
      const item = page.getByRole('menuitem', { name });
      expect(await item.getAttribute('aria-disabled')).toBe('true');
    }
    await page
      .getByRole('menuitem', { name: 'Delete ManagedClusterModule' })
      .click({ force: true });
    await page.getByRole('menuitem', { name: 'Edit labels' }).click({ force: true });
    expect(await page.getByRole('dialog').count()).toBe(0);
    await page.keyboard.press('Escape');
    await screenshot(page, 'read-only-details');

    await page.getByRole('tab', { name: 'YAML' }).click();
    await page.locator('.cm-content').getByText('browser-valid').first().waitFor();
    await page.getByText('View only').waitFor();
    expect(await page.getByRole('button', { name: 'Save' }).count()).toBe(0);
    expect(await page.locator('.cm-content').getAttribute('contenteditable')).toBe('false');

    // The fleet status tab reads only what the role grants: no request is refused.
    const denied = stack.hub.sandbox.server.denials().length;
    await page.getByRole('tab', { name: 'Fleet status' }).click();
    await page
      .getByRole('row')
      .filter({ hasText: /cluster-\d+/ })
      .first()
      .waitFor();
    await page.waitForLoadState('networkidle');
    expect(stack.hub.sandbox.server.denials().slice(denied)).toEqual([]);
    // Events are not granted: the tab says so with the API server's message, as the console's stream does.
    pages.expectError(/Failed to load resource: .* 403/);
    await page.getByRole('tab', { name: 'Events' }).click();
    await page.getByText(`User "${READER}" cannot list resource "events"`).waitFor();
    expect(
      stack.hub.sandbox.server
        .denials()
        .slice(denied)
        .map((d) => d.attributes),
    ).toEqual([expect.objectContaining({ verb: 'list', resource: 'events' })]);
  });

  it('gets the API server\u2019s 403 when creating from the create URL', async () => {
    await page.goto(`${readerUrl}${LIST}/~new`);
    await page.locator('.cm-content').getByText('example-driver').first().waitFor();
    pages.expectError(/Failed to load resource: .* 403/);
    await replaceYaml(stringify(driverMcm('by-reader', {})));
    await page.getByRole('button', { name: 'Create' }).click();
    const alert = page.locator('[data-test="yaml-error"]');
    await alert.waitFor();
    expect(await alert.innerText()).toContain(
      `managedclustermodules.hub.kmm.sigs.x-k8s.io is forbidden: User "${READER}" cannot create resource "managedclustermodules" in API group "hub.kmm.sigs.x-k8s.io" at the cluster scope`,
    );
    await expect(getMcm(stack.hub, 'by-reader')).rejects.toThrow(/404|not found/i);
    expect(stack.hub.sandbox.server.denials()).toContainEqual({
      user: READER,
      attributes: expect.objectContaining({ verb: 'create', resource: 'managedclustermodules' }),
    });
  });
});
