import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments, stringify } from 'yaml';
import { helmPath, kubectlPath, REPO_ROOT } from '../../scripts/tools';
import {
  kernelVersionsOf,
  MCM_NAME_LABEL,
  type ManagedCluster,
  type ManifestWork,
} from 'kmm-hub-controller/model';
import { startBin, waitFor, type Proc } from '../helpers';

// "Done when", as a user would do it: start the sandbox hub with its CLI, apply an MCM with the real kubectl,
// run the real `kmm-hub-controller run --kubeconfig ...` process, and wait with kubectl until every matching
// cluster has its ManifestWork and the MCM reads Ready=True; then SIGTERM stops the controller cleanly. The
// controller runs as the chart's ServiceAccount, with the chart's rendered RBAC applied and enforced by the
// sandbox, and the namespace flags the chart gives it.

jest.setTimeout(120_000);

const run = promisify(execFile);

describe('kmm-hub-controller run against kmm-hub-sandbox serve, driven with kubectl', () => {
  let dir: string;
  let kubeconfig: string;
  let controllerKubeconfig: string;
  let sandbox: Proc;
  let controller: Proc | undefined;
  const kubectl = async (...args: string[]): Promise<string> =>
    (
      await run(kubectlPath(), ['--kubeconfig', kubeconfig, ...args], {
        cwd: REPO_ROOT,
        env: { ...process.env, KUBECACHEDIR: join(dir, 'cache') },
      })
    ).stdout;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kmm-hub-e2e-'));
    kubeconfig = join(dir, 'kubeconfig');
    controllerKubeconfig = join(dir, 'controller.kubeconfig');
    sandbox = startBin('kmm-hub-sandbox', [
      'serve',
      '--port',
      '0',
      '--clusters',
      '20',
      '--kubeconfig',
      kubeconfig,
      '--status-sync-interval',
      '100',
      '--service-account-kubeconfig',
      `kmm-hub/kmm-hub=${controllerKubeconfig}`,
    ]);
    await waitFor(
      'the sandbox to be ready',
      () => sandbox.lines.some((l) => /^ready https?:\/\/127\.0\.0\.1:\d+$/.test(l)),
      {
        timeoutMs: 60_000,
        intervalMs: 50,
      },
    );
  });

  let chartNamespaceFlags: string[] = [];
  /** The chart's ServiceAccount, ClusterRole, Role and bindings for the controller, as helm renders them. */
  const applyChartRbac = async () => {
    const { stdout } = await run(
      helmPath(),
      ['template', 'kmm-hub', join(REPO_ROOT, 'charts/kmm-hub'), '--namespace', 'kmm-hub'],
      { maxBuffer: 16 << 20 },
    );
    const objects = parseAllDocuments(stdout)
      .map((d) => d.toJS() as { kind: string; metadata: { name: string }; spec?: unknown } | null)
      .filter((o) => o !== null);
    const rbac = objects.filter(
      (o) =>
        o.metadata.name === 'kmm-hub' && /^(ServiceAccount|(Cluster)?Role(Binding)?)$/.test(o.kind),
    );
    expect(rbac).toHaveLength(5);
    const file = join(dir, 'rbac.yaml');
    writeFileSync(file, rbac.map((o) => `---\n${stringify(o, { version: '1.1' })}`).join(''));
    await kubectl('apply', '--server-side', '-f', file);
    const deployment = objects.find((o) => o.kind === 'Deployment') as unknown as {
      spec: { template: { spec: { containers: { name: string; args: string[] }[] } } };
    };
    chartNamespaceFlags = deployment.spec.template.spec.containers[0]!.args.filter((a) =>
      /^--(namespace|events-namespace|leader-election-namespace)=/.test(a),
    );
    expect(chartNamespaceFlags).toHaveLength(3);
  };

  afterAll(async () => {
    controller?.child.kill('SIGKILL');
    sandbox?.child.kill('SIGTERM');
    await sandbox?.exited;
    rmSync(dir, { recursive: true, force: true });
  });

  it('rolls out an MCM applied with kubectl to every matching cluster, reports Ready=True, and stops on SIGTERM', async () => {
    await kubectl('create', 'namespace', 'kmm-hub');
    await applyChartRbac();
    await kubectl('apply', '-f', join(__dirname, 'fixtures/acme-nic-driver.yaml'));
    controller = startBin(
      'kmm-hub-controller',
      // the fixture's quay.io images cannot be reached from here: registry checks are the registry suites' job
      [
        'run',
        '--kubeconfig',
        controllerKubeconfig,
        '--http-address',
        '127.0.0.1:0',
        '--image-checks',
        'false',
        ...chartNamespaceFlags,
      ],
      {
        KMM_HUB_LEADER_ELECTION_RETRY_PERIOD: '500ms',
        POD_NAME: 'e2e-controller',
      },
    );

    await kubectl('wait', '--for=condition=Ready', 'mcm/acme-nic-driver', '--timeout=90s');

    const clusters = JSON.parse(
      await kubectl('get', 'managedclusters', '-l', 'gpu=true', '-o', 'json'),
    ).items as ManagedCluster[];
    const expected = clusters
      .filter((c) => kernelVersionsOf(c) !== undefined)
      .map((c) => c.metadata.name)
      .sort();
    expect(expected.length).toBeGreaterThan(0);
    const works = JSON.parse(
      await kubectl(
        'get',
        'manifestworks',
        '-A',
        '-l',
        `${MCM_NAME_LABEL}=acme-nic-driver`,
        '-o',
        'json',
      ),
    ).items as ManifestWork[];
    expect(works.map((w) => w.metadata.namespace).sort()).toEqual(expected);
    const status = JSON.parse(
      await kubectl('get', 'mcm', 'acme-nic-driver', '-o', 'jsonpath={.status}'),
    );
    expect(status).toMatchObject({
      numberDesired: expected.length,
      numberApplied: expected.length,
      numberDegraded: 0,
    });
    expect(await kubectl('get', 'mcm', 'acme-nic-driver')).toMatch(/acme-nic-driver\s+\d+/);

    // The controller logs JSON; it names its health address and became the leader.
    const logs = controller.lines.map((l) => {
      try {
        return JSON.parse(l) as { msg?: string; url?: string };
      } catch {
        return {};
      }
    });
    const url = logs.find((l) => l.msg === 'serving /healthz, /readyz and /metrics')?.url;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(logs.some((l) => l.msg === 'became leader')).toBe(true);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    // Every metric the issue asks for, as Prometheus scrapes it from the running process.
    const metrics = await (await fetch(`${url}/metrics`)).text();
    const sample = (series: string): number => {
      const line = metrics.split('\n').find((l) => l.startsWith(`${series} `));
      if (line === undefined) throw new Error(`no sample ${series} in /metrics:\n${metrics}`);
      return Number(line.slice(series.length + 1));
    };
    const mcm = 'mcm="acme-nic-driver"';
    expect(sample('kmm_hub_reconciles_total{result="success"}')).toBeGreaterThan(0);
    expect(sample('kmm_hub_reconciles_total{result="error"}')).toBe(0);
    expect(sample('kmm_hub_reconcile_duration_seconds_count{result="success"}')).toBeGreaterThan(0);
    expect(sample('kmm_hub_reconcile_duration_seconds_bucket{le="+Inf",result="success"}')).toBe(
      sample('kmm_hub_reconcile_duration_seconds_count{result="success"}'),
    );
    expect(sample('kmm_hub_workqueue_depth')).toBe(0);
    expect(
      sample('kmm_hub_api_writes_total{verb="create",resource="manifestworks",code="2xx"}'),
    ).toBe(expected.length);
    expect(
      sample(
        'kmm_hub_api_writes_total{verb="update",resource="managedclustermodules/status",code="2xx"}',
      ),
    ).toBeGreaterThan(0);
    expect(
      sample('kmm_hub_api_writes_total{verb="create",resource="events",code="2xx"}'),
    ).toBeGreaterThan(0);
    // failed writes are counted there too, with their HTTP status as code
    expect(metrics).not.toContain('kmm_hub_api_write_errors_total');
    expect(
      sample('kmm_hub_api_reads_total{verb="list",resource="managedclusters"}'),
    ).toBeGreaterThan(0);
    expect(sample(`kmm_hub_selected_clusters{${mcm}}`)).toBe(clusters.length);
    // only states: a total among them would be counted twice by sum()
    expect(metrics).not.toMatch(/^kmm_hub_manifestworks\{[^}]*state="total"/m);
    expect(sample(`kmm_hub_manifestworks{${mcm},state="applied"}`)).toBe(expected.length);
    expect(sample(`kmm_hub_manifestworks{${mcm},state="available"}`)).toBe(expected.length);
    expect(sample(`kmm_hub_manifestworks{${mcm},state="degraded"}`)).toBe(0);
    expect(sample('kmm_hub_leader')).toBe(1);
    expect(metrics).toMatch(
      /^kmm_hub_build_info\{version="\d+\.\d+\.\d+",commit="[0-9a-f]{40}"\} 1$/m,
    );
    for (const resource of ['managedclustermodules', 'managedclusters', 'manifestworks'])
      expect(sample(`kmm_hub_informer_synced{resource="${resource}"}`)).toBe(1);
    expect(sample('process_resident_memory_bytes')).toBeGreaterThan(0);

    controller.child.kill('SIGTERM');
    expect(await controller.exited).toBe(0);
    const holder = await kubectl(
      'get',
      'lease',
      '-n',
      'kmm-hub',
      'kmm-hub-controller',
      '-o',
      'jsonpath={.spec.holderIdentity}',
    );
    expect(holder).toBe('');
    expect(controller.lines.some((l) => l.includes('"msg":"stopped"'))).toBe(true);
    // the chart's RBAC was enough: nothing the controller asked for was refused
    expect(controller.lines.filter((l) => /forbidden|\b403\b/i.test(l))).toEqual([]);
  });
});
