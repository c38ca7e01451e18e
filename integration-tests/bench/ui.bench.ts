/**
 * The plugin in Chromium at fleet scale: the sandbox hub with a simulated fleet, the controller in-process,
 * MCMs that select every cluster, and the console shell serving the production build. Prints, for the kernel
 * matrix and an MCM's fleet status tab: bytes transferred (HTTP and websocket) and the time from navigation
 * to the first rendered rows; the time a filter change and a page change take; the JS heap after load; and
 * the time from one ManifestWork status change on the API server to the change on screen. Both pages read the
 * controller's ManagedClusterModuleFleetSummaries; side by side, in the same browser, the bench measures what
 * the previous design loaded instead (every ManagedCluster, and every ManifestWork of the MCMs): bytes, time
 * until fetched and parsed, and the JS heap that holds them.
 *
 *   npm run bench:ui -- [--clusters 3500] [--mcms 3] [--kernels 30] [--seed 1]
 */
import { CustomObjectsApi } from '@kubernetes/client-node';
import type { Page } from 'playwright-core';
import { startSandbox } from 'kmm-hub-sandbox';
import {
  buildPluginIfStale,
  buildShellIfStale,
  PLUGIN_DIST,
  startShellServer,
} from 'kmm-hub-sandbox/shell';
import { Controller, createMetrics } from 'kmm-hub-controller';
import { PooledKubeConfig } from 'kmm-hub-controller/runtime';
import { kubeConfigFrom, testLogger, waitFor } from '../helpers';
import { testConfig } from '../controller/harness';
import { launchChromium } from '../browser/chromium';

const MCM = { group: 'hub.kmm.sigs.x-k8s.io', version: 'v1beta1', plural: 'managedclustermodules' };
const MCM_PAGE = '/k8s/cluster/hub.kmm.sigs.x-k8s.io~v1beta1~ManagedClusterModule';

function arg(name: string, fallback: number): number;
function arg(name: string, fallback: undefined): number | undefined;
function arg(name: string, fallback: number | undefined): number | undefined {
  const at = process.argv.indexOf(`--${name}`);
  if (at < 0) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value <= 0) {
    throw new Error(`--${name} must be a positive whole number, got ${process.argv[at + 1]}`);
  }
  return value;
}

const mcm = (i: number) => ({
  apiVersion: 'hub.kmm.sigs.x-k8s.io/v1beta1',
  kind: 'ManagedClusterModule',
  metadata: { name: `bench-ui-${i}` },
  spec: {
    spokeNamespace: 'openshift-kmm',
    selector: {},
    moduleSpec: {
      selector: { 'node-role.kubernetes.io/worker': '' },
      moduleLoader: {
        container: {
          modprobe: { moduleName: `bench_ui_${i}` },
          kernelMappings: [
            { regexp: '^.+$', containerImage: `quay.io/acme/ui-${i}:\${KERNEL_FULL_VERSION}` },
          ],
        },
      },
    },
  },
});

const SUMMARY_INTERVAL_MS = 2000;
const SUMMARY = {
  group: 'hub.kmm.sigs.x-k8s.io',
  version: 'v1beta1',
  plural: 'managedclustermodulefleetsummaries',
};

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const largest = (b: Bytes) =>
  [...b.lists]
    .sort((x, y) => y.bytes - x.bytes)
    .slice(0, 2)
    .map((l) => `\n    ${l.what}: ${mb(l.bytes)} in ${ms(l.ms)}`)
    .join('');
const ms = (t: number) => `${Math.round(t)} ms`;

/** Counts every byte a page receives: HTTP bodies and headers, and websocket frames. */
interface Bytes {
  api: number;
  assets: number;
  ws: number;
  /** the largest API responses: what, how big, how long from request to last byte */
  lists: { what: string; bytes: number; ms: number }[];
}

function countBytes(page: Page): Bytes {
  const bytes: Bytes = { api: 0, assets: 0, ws: 0, lists: [] };
  page.on('requestfinished', (req) => {
    const url = new URL(req.url());
    const api = url.pathname.startsWith('/api/kubernetes/');
    void req.sizes().then(
      (s) => {
        const size = s.responseBodySize + s.responseHeadersSize;
        if (!api) return void (bytes.assets += size);
        bytes.api += size;
        const what = `${url.pathname.split('/').pop() ?? ''}${url.search ? ` ${decodeURIComponent(url.search)}` : ''}`;
        bytes.lists.push({ what, bytes: size, ms: req.timing().responseEnd });
      },
      () => undefined,
    );
  });
  page.on('websocket', (ws) =>
    ws.on('framereceived', (f) => (bytes.ws += Buffer.byteLength(f.payload))),
  );
  return bytes;
}

/** The JS heap in use after a full garbage collection. */
async function heapMB(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  await cdp.detach();
  return usedSize / 1e6;
}

/**
 * Runs `act` in the page and times it until `changed` (a predicate factory) holds, checked each frame. Both are
 * source text: tsx would wrap a function passed to page.evaluate in helpers the page does not have.
 */
function timeInPage(page: Page, act: string, changed: string): Promise<number> {
  return page.evaluate(`new Promise((resolve, reject) => {
    const changed = ${changed};
    changed(true);
    const t0 = performance.now();
    ${act};
    const check = () => {
      if (changed(false)) resolve(performance.now() - t0);
      else if (performance.now() - t0 > 30000) reject(new Error('nothing changed on screen'));
      else requestAnimationFrame(check);
    };
    check();
  })`);
}

/**
 * What the previous design's watches loaded before the first render: the lists, fetched through the shell's
 * API proxy as its SDK does, parsed, and kept (in the page) to measure the heap that holds them.
 */
async function previousDesign(page: Page, lists: string[]): Promise<string> {
  const before = await heapMB(page);
  const result = (await page.evaluate(`(async () => {
    const t0 = performance.now();
    const texts = await Promise.all(${JSON.stringify(lists)}.map((u) => fetch(u).then((r) => r.text())));
    window.__previousDesign = texts.map((t) => JSON.parse(t));
    return {
      ms: performance.now() - t0,
      bytes: texts.reduce((n, t) => n + t.length, 0),
      objects: window.__previousDesign.reduce((n, l) => n + l.items.length, 0),
    };
  })()`)) as { ms: number; bytes: number; objects: number };
  const after = await heapMB(page);
  await page.evaluate('delete window.__previousDesign');
  return (
    `previous design (every ManagedCluster + the MCMs' ManifestWorks): ${result.objects} objects, ` +
    `${mb(result.bytes)} listed and parsed in ${ms(result.ms)} (before any rendering), ` +
    `+${(after - before).toFixed(0)} MB JS heap to hold them`
  );
}

const API = '/api/kubernetes/apis';
const CLUSTERS_LIST = `${API}/cluster.open-cluster-management.io/v1/managedclusters`;
const worksList = (selector: string) =>
  `${API}/work.open-cluster-management.io/v1/manifestworks?labelSelector=${encodeURIComponent(selector)}`;
const MCM_LABEL = 'kmm.node.kubernetes.io/managedclustermodule.name';

const FIRST_ROW = `(() => { let was; return (first) => { const r = document.querySelector('tbody tr')?.textContent ?? ''; if (first) { was = r; return false; } return r !== was; }; })()`;

async function main(): Promise<void> {
  const clusters = arg('clusters', 3500);
  const mcms = arg('mcms', 3);
  const seed = arg('seed', 1);
  const kernelCount = arg('kernels', undefined);
  process.stderr.write(`bench:ui: building (when stale) and starting ${clusters} clusters...\n`);
  await Promise.all([buildPluginIfStale(), buildShellIfStale()]);
  const sandbox = await startSandbox({
    clusters,
    seed,
    statusSyncIntervalMs: 10_000,
    ...(kernelCount !== undefined ? { kernels: kernelCount } : {}),
  });
  const kc = new PooledKubeConfig();
  kc.loadFromString(sandbox.kubeconfig);
  const api = kubeConfigFrom(sandbox.kubeconfig).makeApiClient(CustomObjectsApi);
  await kc
    .makeApiClient((await import('@kubernetes/client-node')).CoreV1Api)
    .createNamespace({ body: { metadata: { name: 'kmm-hub' } } });
  const controller = await Controller.start({
    // the production default summary interval; the test harness's short status batch (20 ms)
    config: testConfig({
      concurrency: 4,
      writeConcurrency: 16,
      fleetSummaryIntervalMs: SUMMARY_INTERVAL_MS,
    }),
    kubeConfig: kc,
    logger: testLogger(),
    metrics: createMetrics({ processMetrics: false }),
  });
  const shell = await startShellServer({
    upstream: { server: sandbox.httpUrl, token: sandbox.token },
    plugins: [{ name: 'kmm-hub-console-plugin', dist: PLUGIN_DIST }],
  });
  const browser = await launchChromium();
  try {
    for (let i = 0; i < mcms; i++) await api.createClusterCustomObject({ ...MCM, body: mcm(i) });
    const started = performance.now();
    await waitFor(
      'every MCM rolled out',
      async () => {
        for (let i = 0; i < mcms; i++) {
          const m = (await api.getClusterCustomObject({ ...MCM, name: `bench-ui-${i}` })) as {
            status?: { numberDesired?: number; numberApplied?: number };
          };
          if (!m.status?.numberDesired || m.status.numberApplied !== m.status.numberDesired) {
            return false;
          }
        }
        return true;
      },
      { timeoutMs: 600_000, intervalMs: 1000 },
    );
    const kernels = new Set(sandbox.fleet.clusterNames().flatMap((c) => sandbox.fleet.kernels(c)));
    process.stderr.write(
      `bench:ui: ${clusters} clusters, ${kernels.size} kernels, ${mcms} MCMs rolled out in ${ms(performance.now() - started)}\n`,
    );

    // Every summary written and complete (one row per cluster) before the pages open.
    const summaryBytes: number[] = [];
    await waitFor(
      'every fleet summary published',
      async () => {
        summaryBytes.length = 0;
        for (let i = 0; i < mcms; i++) {
          const s = (await api
            .getClusterCustomObject({ ...SUMMARY, name: `bench-ui-${i}` })
            .catch(() => undefined)) as { fleet?: { clusters?: unknown[] } } | undefined;
          if (s?.fleet?.clusters?.length !== clusters) return false;
          summaryBytes.push(Buffer.byteLength(JSON.stringify(s)));
        }
        return true;
      },
      { timeoutMs: 120_000, intervalMs: 500 },
    );

    const lines: string[] = [
      `bench:ui — ${clusters} clusters, ${kernels.size} kernels, ${mcms} MCMs (each selects every cluster); ` +
        `fleet summaries ${summaryBytes.map(mb).join(', ')} (etcd limit 1.5 MiB), written at most every ${ms(SUMMARY_INTERVAL_MS)}`,
    ];

    // The kernel matrix.
    {
      const page = await browser.context.newPage();
      const bytes = countBytes(page);
      const t0 = Date.now();
      await page.goto(`${shell.url}/kmm-hub/kernel-matrix`);
      await page.locator('tbody tr').first().waitFor({ timeout: 120_000 });
      const firstRender = Date.now() - t0;
      await page.waitForTimeout(1000);
      const heap = await heapMB(page);
      const filter = await timeInPage(
        page,
        `(() => { const s = document.querySelector('select[aria-label="Filter by state"]'); const v = [...s.options].map(o => o.value).find(v => v && v !== s.value); s.value = v; s.dispatchEvent(new Event('change', { bubbles: true })); })()`,
        FIRST_ROW,
      ).catch((e: Error) => `failed (${e.message})`);
      await page.selectOption('select[aria-label="Filter by state"]', '');
      await page.waitForTimeout(500);
      const paging = await timeInPage(
        page,
        `document.querySelector('button[aria-label="Go to next page"]').click()`,
        FIRST_ROW,
      );
      lines.push(
        `kernel matrix: first rows ${ms(firstRender)} after navigation; ${mb(bytes.api)} API + ${mb(bytes.ws)} websocket + ${mb(bytes.assets)} page assets (uncompressed); ` +
          `JS heap ${heap.toFixed(0)} MB; state filter ${typeof filter === 'number' ? ms(filter) : filter}; next page ${ms(paging)}` +
          largest(bytes),
      );
      lines.push(`  ${await previousDesign(page, [CLUSTERS_LIST, worksList(MCM_LABEL)])}`);
      await page.close();
    }

    // The fleet status tab of one MCM, and one ManifestWork status change.
    {
      const page = await browser.context.newPage();
      const bytes = countBytes(page);
      const t0 = Date.now();
      await page.goto(`${shell.url}${MCM_PAGE}/bench-ui-0/fleet-status`);
      await page
        .locator('table[aria-label="Fleet status"] tbody tr')
        .first()
        .waitFor({ timeout: 120_000 });
      const firstRender = Date.now() - t0;
      await page.waitForTimeout(1000);
      const heap = await heapMB(page);
      const paging = await timeInPage(
        page,
        `document.querySelector('button[aria-label="Go to next page"]').click()`,
        FIRST_ROW,
      );
      await page.locator('button[aria-label="Go to previous page"]').click();
      const cluster = (
        await page
          .locator('table[aria-label="Fleet status"] tbody tr')
          .first()
          .locator('a')
          .first()
          .innerText()
      ).trim();
      const row = page.locator('table[aria-label="Fleet status"] tbody tr').first();
      const before = await row.innerText();
      // What the work agent would write: the ManifestWork's Applied condition turns False.
      const url = `${sandbox.httpUrl}/apis/work.open-cluster-management.io/v1/namespaces/${cluster}/manifestworks/bench-ui-0`;
      const headers = {
        Authorization: `Bearer ${sandbox.token}`,
        'Content-Type': 'application/json',
      };
      const work = (await (await fetch(url, { headers })).json()) as {
        status?: {
          conditions?: { type: string; status: string; reason?: string; message?: string }[];
        };
      };
      const conditions = (work.status?.conditions ?? []).map((c) =>
        c.type === 'Applied'
          ? {
              ...c,
              status: 'False',
              reason: 'BenchChange',
              message: 'changed by bench:ui',
              lastTransitionTime: new Date().toISOString(),
            }
          : c,
      );
      const changedAt = Date.now();
      const put = await fetch(`${url}/status`, {
        method: 'PUT',
        headers,
        body: JSON.stringify({ ...work, status: { ...work.status, conditions } }),
      });
      if (!put.ok)
        throw new Error(`updating the ManifestWork status: ${put.status} ${await put.text()}`);
      await waitFor('the row to change', async () => (await row.innerText()) !== before, {
        timeoutMs: 30_000,
        intervalMs: 10,
      });
      const statusChange = Date.now() - changedAt;
      lines.push(
        `fleet status tab: first rows ${ms(firstRender)} after navigation; ${mb(bytes.api)} API + ${mb(bytes.ws)} websocket + ${mb(bytes.assets)} page assets (uncompressed); ` +
          `JS heap ${heap.toFixed(0)} MB; next page ${ms(paging)}; one ManifestWork status change shown after ${ms(statusChange)}` +
          largest(bytes),
      );
      lines.push(
        `  ${await previousDesign(page, [CLUSTERS_LIST, worksList(`${MCM_LABEL}=bench-ui-0`)])}`,
      );
      await page.close();
    }
    lines.push(
      'previous design, measured on this machine before the change (issue 11): kernel matrix first render ' +
        '7.6-11.3 s, fleet status tab 4.8-6.4 s, API data 55 MB / 27 MB, JS heap 80 / 43 MB',
    );
    lines.push('goals: first render <= 2000 ms, filter <= 100 ms, heap < 300 MB');
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await browser.close();
    await shell.stop();
    await controller.stop();
    await kc.close();
    await sandbox.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(
    `bench:ui: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
