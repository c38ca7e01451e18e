// The path the README shows for trying the chart without a cluster: `kmm-hub-sandbox serve --install-crds
// --without-kmm --policy-interval ...`, then the whole rendered chart (spoke Policy on) applied with kubectl:
// everything is accepted and every simulated cluster gets KMM and reports its kernels.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kubectlPath } from '../../scripts/tools';
import { startBin, waitFor, type Proc } from '../helpers';
import { CHARTS, helmTemplate, toYamlStream } from './render';

jest.setTimeout(120_000);

let dir: string;
let sandbox: Proc;

const kubectl = (args: string[], input?: string) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const child = execFile(
      kubectlPath(),
      ['--kubeconfig', join(dir, 'kubeconfig'), ...args],
      { env: { ...process.env, KUBECACHEDIR: join(dir, 'cache') }, maxBuffer: 16 << 20 },
      (error, stdout, stderr) => resolve({ code: error ? 1 : 0, stdout, stderr }),
    );
    child.stdin?.end(input ?? '');
  });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kmm-sandbox-serve-'));
  sandbox = startBin('kmm-hub-sandbox', [
    'serve',
    '--port',
    '0',
    '--clusters',
    '4',
    '--kubeconfig',
    join(dir, 'kubeconfig'),
    '--status-sync-interval',
    '100',
    '--install-crds',
    '--without-kmm',
    '--policy-interval',
    '100',
  ]);
  await waitFor(
    'the sandbox to be ready',
    () => sandbox.lines.some((l) => l.startsWith('ready ')),
    {
      timeoutMs: 60_000,
      intervalMs: 50,
    },
  );
});

afterAll(async () => {
  sandbox?.child.kill('SIGTERM');
  await sandbox?.exited;
  rmSync(dir, { recursive: true, force: true });
});

test('the whole chart applies, and its Policy installs KMM on every cluster', async () => {
  const claims = async () =>
    (
      await kubectl([
        'get',
        'managedclusters',
        '-o',
        'jsonpath={range .items[*]}{.status.clusterClaims[*].name} {end}',
      ])
    ).stdout;
  expect(await claims()).not.toContain('kernel-versions.kmm.node.kubernetes.io');
  await kubectl(['create', 'namespace', 'kmm-hub']);
  const { objects } = await helmTemplate(CHARTS.hub, { set: ['spokePolicy.enabled=true'] });
  const applied = await kubectl(['apply', '--server-side', '-f', '-'], toYamlStream(objects));
  expect(applied.stderr).toBe('');
  await waitFor(
    'every cluster to report its kernels',
    async () => (await claims()).split('kernel-versions.kmm.node.kubernetes.io').length - 1 === 4,
    { timeoutMs: 30_000, intervalMs: 200 },
  );
  expect(
    (
      await kubectl([
        'get',
        'policy',
        'install-kmm',
        '-n',
        'kmm-hub',
        '-o',
        'jsonpath={.status.compliant}',
      ])
    ).stdout,
  ).toBe('Compliant');
});
