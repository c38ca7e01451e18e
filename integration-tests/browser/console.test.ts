// The plugin's production build in the console shell, clicked through in Debian's Chromium against the
// sandbox hub, its simulated fleet and the controller: what a person does, and no page or console error.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { REPO_ROOT } from '../../scripts/tools';
import { managedClusterModuleTemplate } from '../../src/views/managedclustermodule/yaml-template';
import { waitFor } from '../helpers';
import { launchChromium } from './chromium';
import { collectErrors } from './page-errors';
import { screenshot } from './screenshots';
import { startStack, type Stack } from './stack';

jest.setTimeout(180_000);

const MCM = { group: 'hub.kmm.sigs.x-k8s.io', version: 'v1beta1', plural: 'managedclustermodules' };
const LIST = '/k8s/cluster/hub.kmm.sigs.x-k8s.io~v1beta1~ManagedClusterModule';
const UI_TIMEOUT = 30_000;

let stack: Stack;
let browser: { context: BrowserContext; close(): Promise<void> };
let page: Page;
let errors: string[];
/** Console errors a test causes on purpose (Chromium logs every failed request as one). */
let expectedErrors: RegExp[];

const getMcm = (name: string) =>
  stack.hub.api.getClusterCustomObject({ ...MCM, name }) as Promise<{
    metadata: { labels?: Record<string, string> };
    spec: Record<string, unknown>;
    status?: { numberDesired?: number; numberApplied?: number };
  }>;

/** Replaces the whole text of the page's YAML editor, as pasting would. */
async function replaceYaml(text: string): Promise<void> {
  const editor = page.locator('.cm-content');
  await editor.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(text);
}

beforeAll(async () => {
  stack = await startStack(24);
  const demo = readFileSync(join(REPO_ROOT, 'sandbox/demo/managedclustermodules.yaml'), 'utf8');
  for (const doc of parseAllDocuments(demo)) {
    const body = doc.toJS() as object | null;
    if (body) await stack.hub.api.createClusterCustomObject({ ...MCM, body });
  }
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

beforeEach(async () => {
  page = await browser.context.newPage();
  page.setDefaultTimeout(UI_TIMEOUT);
  errors = collectErrors(page);
  expectedErrors = [];
});

afterEach(async () => {
  await page.close();
  expect(errors.filter((e) => !expectedErrors.some((x) => x.test(e)))).toEqual([]);
});

it('lists the MCMs from the Operators navigation, under the sandbox banner', async () => {
  await page.goto(stack.shellUrl);
  await page.getByText('kmm-hub sandbox: simulated fleet').waitFor();
  await page.getByRole('button', { name: 'Operators' }).waitFor();
  await page.getByRole('link', { name: 'ManagedClusterModules' }).click();
  await page.getByRole('link', { name: 'demo-nic-driver' }).waitFor();
  await page.getByRole('link', { name: 'demo-gpu-driver' }).waitFor();
  expect(new URL(page.url()).pathname).toBe(LIST);
  // The controller's counters reach the list through the websocket watch.
  await page
    .getByRole('row', { name: /demo-nic-driver/ })
    .getByText('Ready')
    .first()
    .waitFor();
  await screenshot(page, 'mcm-list');
});

it('creates an MCM from the YAML template, lists it and sees it rolled out', async () => {
  await page.goto(`${stack.shellUrl}${LIST}`);
  await page.getByRole('link', { name: 'Create ManagedClusterModule' }).click();
  // The editor starts from the plugin's console.yaml-template.
  await page.locator('.cm-content').getByText('example-driver').first().waitFor();
  const mcm = parse(managedClusterModuleTemplate) as {
    metadata: { name: string };
    spec: {
      selector: object;
      moduleSpec: { moduleLoader: { container: { kernelMappings: object[] } } };
    };
  };
  mcm.metadata.name = 'browser-driver';
  mcm.spec.selector = {};
  // Prebuilt images: no hub build or signature, so it rolls out now.
  mcm.spec.moduleSpec.moduleLoader.container.kernelMappings = [
    { regexp: '^.+$', containerImage: 'quay.io/example/browser-driver:${KERNEL_FULL_VERSION}' },
  ];
  await replaceYaml(stringify(mcm));
  await page.getByRole('button', { name: 'Create' }).click();
  await page.waitForURL(`**${LIST}/browser-driver`);
  await page.getByRole('heading', { name: /browser-driver/ }).waitFor();
  const created = await waitFor(
    'the controller to roll it out',
    async () => {
      const m = await getMcm('browser-driver');
      const s = m.status;
      return s?.numberDesired && s.numberApplied === s.numberDesired ? s : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 250 },
  );
  await page.getByRole('link', { name: 'ManagedClusterModules' }).first().click();
  const row = page.getByRole('row', { name: /browser-driver/ });
  await row.getByText(String(created.numberApplied)).first().waitFor();
  await row.getByText('Ready').first().waitFor();
});

it('fills in the fleet status tab as the controller and the agents act', async () => {
  await page.goto(`${stack.shellUrl}${LIST}/demo-nic-driver`);
  await page.getByRole('tab', { name: 'Fleet status' }).click();
  await page.waitForURL('**/demo-nic-driver/fleet-status');
  const selected = (await getMcm('demo-nic-driver')).status?.numberDesired ?? 0;
  expect(selected).toBeGreaterThan(0);
  // Every selected cluster gets a row, and the agents' feedback ("N of N nodes") arrives.
  await waitFor(
    'a row per selected cluster',
    async () =>
      (await page
        .getByRole('row')
        .filter({ hasText: /cluster-\d+/ })
        .count()) >= Math.min(selected, 10),
  );
  await page
    .getByText(/\d+ of \d+ nodes/)
    .first()
    .waitFor();
  await screenshot(page, 'fleet-status');
  for (const tab of ['YAML', 'Events', 'Details']) {
    await page.getByRole('tab', { name: tab }).click();
  }
  await page.getByRole('heading', { name: /demo-nic-driver/ }).waitFor();
});

it('changes the kernel matrix when a cluster upgrades its kernel', async () => {
  await page.goto(stack.shellUrl);
  await page.getByRole('link', { name: 'Kernel matrix' }).click();
  await page
    .getByRole('grid', { name: 'Kernel matrix' })
    .or(page.getByRole('table', { name: 'Kernel matrix' }))
    .waitFor();
  const fleet = stack.hub.sandbox.fleet;
  const cluster = fleet.clusterNames().find((c) => fleet.kernels(c).length > 0) as string;
  const from = fleet.kernels(cluster)[0] as string;
  const to = '5.14.0-427.999.1.el9_4.x86_64';
  expect(await page.getByText(to).count()).toBe(0);
  await fleet.upgradeKernel(cluster, from, to);
  await page.getByText(to).first().waitFor();
  await screenshot(page, 'kernel-matrix');
});

it('shows a kernel declared in a KernelPreflight as an upcoming column of the kernel matrix', async () => {
  const upcoming = '5.14.0-611.77.1.el9_7.x86_64';
  await stack.hub.api.createClusterCustomObject({
    group: 'hub.kmm.sigs.x-k8s.io',
    version: 'v1alpha1',
    plural: 'kernelpreflights',
    body: {
      apiVersion: 'hub.kmm.sigs.x-k8s.io/v1alpha1',
      kind: 'KernelPreflight',
      metadata: { name: 'browser-next' },
      spec: { kernels: [{ version: upcoming, release: 'OpenShift 4.99.0' }] },
    },
  });
  await page.goto(stack.shellUrl);
  await page.getByRole('link', { name: 'Kernel matrix' }).click();
  const header = page.getByRole('columnheader', {
    name: new RegExp(`^${upcoming.replace(/\./g, '\\.')} Upcoming`),
  });
  await header.waitFor();
  expect(await header.textContent()).toBe(`${upcoming} UpcomingOpenShift 4.99.0`);
  // the summary cell names the kernel as upcoming with how many modules have their image ready
  await page
    .getByRole('img', {
      name: new RegExp(`^${upcoming.replace(/\./g, '\\.')} \\(upcoming\\): .*modules ready$`),
    })
    .waitFor();
  expect(
    stack.hub.sandbox.fleet
      .clusterNames()
      .some((c) => stack.hub.sandbox.fleet.kernels(c).includes(upcoming)),
  ).toBe(false);
});

it('shows the API server\u2019s field errors for an invalid MCM, and the model\u2019s problems', async () => {
  await page.goto(`${stack.shellUrl}${LIST}/demo-gpu-driver/yaml`);
  await page.locator('.cm-content').getByText('demo-gpu-driver').first().waitFor();
  const mcm = await getMcm('demo-gpu-driver');
  // The CRD's schema rejects it: the editor shows the server's message with the field.
  expectedErrors.push(/Failed to load resource: .* 422/);
  await replaceYaml(stringify({ ...mcm, spec: { ...mcm.spec, spokeNamespace: 12 } }));
  await page.getByRole('button', { name: 'Save' }).click();
  await page
    .getByText(/spec\.spokeNamespace/)
    .first()
    .waitFor();
  // The schema accepts this one; kmm-hub's validation does not, and the Details tab says where.
  const container = (
    mcm.spec.moduleSpec as { moduleLoader: { container: Record<string, unknown> } }
  ).moduleLoader.container;
  const invalid = {
    ...mcm,
    spec: {
      ...mcm.spec,
      moduleSpec: {
        ...(mcm.spec.moduleSpec as object),
        moduleLoader: {
          container: {
            ...container,
            kernelMappings: [{ regexp: '^(5.14', containerImage: 'quay.io/x/y:1' }],
          },
        },
      },
    },
  };
  await replaceYaml(stringify(invalid));
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText(/has been updated to version/).waitFor();
  await page.getByRole('tab', { name: 'Details' }).click();
  await page
    .getByRole('list', { name: 'Validation problems' })
    .getByText(/kernelMappings\[0\]\.regexp/)
    .first()
    .waitFor();
});

it('edits the labels of an MCM', async () => {
  await page.goto(`${stack.shellUrl}${LIST}/demo-nic-driver`);
  await page.getByRole('button', { name: 'Actions' }).click();
  await page.getByRole('menuitem', { name: 'Edit labels' }).click();
  const input = page.getByRole('textbox', { name: 'Labels' });
  await input.fill('team=kernel, tier=gold');
  await page.getByRole('button', { name: 'Save' }).click();
  await waitFor('the labels on the server', async () => {
    const labels = (await getMcm('demo-nic-driver')).metadata.labels;
    return labels?.team === 'kernel' && labels.tier === 'gold';
  });
  await page.getByText('team=kernel').first().waitFor();
});

it('deletes an MCM and returns to the list', async () => {
  await page.goto(`${stack.shellUrl}${LIST}/browser-driver`);
  await page.getByRole('button', { name: 'Actions' }).click();
  await page.getByRole('menuitem', { name: 'Delete ManagedClusterModule' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
  await page.waitForURL(`**${LIST}`);
  await page.getByRole('link', { name: 'demo-nic-driver' }).waitFor();
  await waitFor(
    'browser-driver gone from the list',
    async () => (await page.getByRole('link', { name: 'browser-driver' }).count()) === 0,
  );
  await expect(getMcm('browser-driver')).rejects.toThrow();
});

it('opens every page of both perspectives without an error', async () => {
  for (const perspective of ['Administrator', 'Fleet Management']) {
    await page.goto(stack.shellUrl);
    await page.getByRole('combobox', { name: 'Perspective' }).selectOption({ label: perspective });
    const links = page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link');
    await page.getByRole('link', { name: 'Kernel matrix' }).waitFor();
    const names = await links.allInnerTexts();
    expect(names).toEqual(expect.arrayContaining(['ManagedClusterModules', 'Kernel matrix']));
    for (const name of names) {
      await links.getByText(name, { exact: true }).click();
      await page.getByText('kmm-hub sandbox: simulated fleet').waitFor();
      await page.waitForLoadState('networkidle');
    }
  }
  // Every tab of a details page, and a generic page the plugin links to (a ManagedCluster).
  for (const tab of ['', '/yaml', '/fleet-status', '/events']) {
    await page.goto(`${stack.shellUrl}${LIST}/demo-gpu-driver${tab}`);
    await page.getByRole('heading', { name: /demo-gpu-driver/ }).waitFor();
  }
  await page.getByRole('tab', { name: 'Fleet status' }).click();
  await page
    .getByRole('link', { name: /^cluster-\d+$/ })
    .first()
    .click();
  await page.getByRole('heading', { name: /ManagedCluster cluster-\d+/ }).waitFor();
});
