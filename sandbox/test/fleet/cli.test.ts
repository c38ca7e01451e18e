// The real command line, spawned as a user would run it: `npx kmm-hub-sandbox serve ...`.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kubectlPath } from '../../../scripts/tools';
import { generateCluster, kernelClaimValue } from '../../src/fleet';
import { clients, KERNEL_CLAIM } from './helpers';

const REPO = join(__dirname, '../../..');

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `npx kmm-hub-sandbox <args>`. `kill` sends SIGTERM to the CLI process itself (the pid it logs):
 * npx forwards a signal it receives but then re-raises it on itself, so its own exit status would be 143
 * whatever the CLI did.
 */
function run(args: string[], onStdout?: (text: string, kill: () => void) => void): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['kmm-hub-sandbox', ...args], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      onStdout?.(stdout, () => {
        const pid = /as pid (\d+);/.exec(stderr)?.[1];
        if (pid) process.kill(Number(pid), 'SIGTERM');
        else child.kill('SIGKILL');
      });
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

describe('npx kmm-hub-sandbox serve', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kmm-hub-sandbox-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves a fleet, prints one ready line, and stops cleanly on SIGTERM', async () => {
    const kubeconfig = join(dir, 'nested', 'kubeconfig');
    let listed: string[] | undefined;
    let table = '';
    let kernelClaim = '';
    let failure: unknown;
    let started = false;
    const kubectl = (args: string[]) =>
      new Promise<string>((resolve, reject) =>
        execFile(
          kubectlPath(),
          args,
          {
            env: {
              PATH: process.env.PATH ?? '',
              HOME: dir,
              KUBECONFIG: kubeconfig,
              KUBECACHEDIR: join(dir, 'cache'),
            },
            timeout: 30_000,
          },
          (error, stdout, stderr) =>
            error ? reject(new Error(`kubectl ${args.join(' ')}: ${stderr}`)) : resolve(stdout),
        ),
      );
    const result = await run(
      ['serve', '--port', '0', '--clusters', '5', '--kubeconfig', kubeconfig, '--seed', '3'],
      (stdout, kill) => {
        if (!stdout.includes('\n') || started) return;
        started = true;
        (async () => {
          const clusters = await clients(readFileSync(kubeconfig, 'utf8')).listClusters();
          listed = clusters.map((c) => c.metadata.name ?? '').sort();
          table = await kubectl(['get', 'managedclusters']);
          kernelClaim = await kubectl([
            'get',
            'managedcluster',
            'cluster-0001',
            '-o',
            `jsonpath={.status.clusterClaims[?(@.name=="${KERNEL_CLAIM}")].value}`,
          ]);
        })()
          .catch((err: unknown) => (failure = err))
          .finally(kill);
      },
    );
    if (failure) throw failure;
    expect(result.code).toBe(0);
    expect(result.signal).toBeNull();
    expect(result.stdout).toMatch(/^ready https?:\/\/127\.0\.0\.1:\d+\n$/);
    const url = result.stdout.trim().split(' ')[1];
    expect(readFileSync(kubeconfig, 'utf8')).toContain(`server: ${url}`);
    expect(listed).toEqual([
      'cluster-0001',
      'cluster-0002',
      'cluster-0003',
      'cluster-0004',
      'cluster-0005',
    ]);
    // Real kubectl, default flags: the fleet with its printer columns, and the kernel claim of seed 3's first cluster.
    const rows = table.trim().split('\n');
    expect(rows[0]).toMatch(
      /^NAME\s+HUB ACCEPTED\s+MANAGED CLUSTER URLS\s+JOINED\s+AVAILABLE\s+AGE$/,
    );
    expect(rows.slice(1).map((r) => r.split(/\s+/)[0])).toEqual(listed);
    expect(rows.slice(1).every((r) => /\strue\s+https:\/\/\S+\s+True\s+True\s/.test(r))).toBe(true);
    const first = generateCluster(3, 1);
    expect(first.kmm).toBe(true);
    expect(kernelClaim).toBe(kernelClaimValue(first.nodes));
    expect(result.stderr).toContain('TEST AND DEMO hub');
    expect(result.stderr).toContain('SIGTERM received, stopping');
  }, 60_000);

  it.each([
    [
      ['--port', 'abc', '--clusters', '1', '--kubeconfig', 'k'],
      '--port must be a whole number from 0 to 65535',
    ],
    [
      ['--port', '0', '--clusters', '-1', '--kubeconfig', 'k'],
      '--clusters must be a whole number >= 0',
    ],
    [['--port', '0', '--clusters', '1'], "required option '--kubeconfig <path>' not specified"],
    [
      ['--port', '0', '--clusters', '1', '--kubeconfig', 'k', '--bogus'],
      "unknown option '--bogus'",
    ],
  ])(
    'rejects bad flags %j with one line naming the flag and exit 2',
    async (args, message) => {
      const result = await run(['serve', ...args]);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      const lines = result.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(message);
    },
    30_000,
  );
});
