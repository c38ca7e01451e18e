// The real command line, spawned as a user would run it: `npx kmm-hub-sandbox serve ...`.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CustomObjectsApi } from '@kubernetes/client-node';
import { MANAGED_CLUSTER_RESOURCE } from 'kmm-hub-controller';
import {
  KERNEL_VERSIONS_CLAIM as KERNEL_CLAIM,
  type ManagedCluster,
} from 'kmm-hub-controller/model';
import { PooledKubeConfig } from 'kmm-hub-controller/runtime';
import {
  DEFAULT_BOOKMARK_INTERVAL_MS,
  DEFAULT_MIN_REQUEST_TIMEOUT_SECONDS,
  DEFAULT_STATUS_SYNC_INTERVAL_MS,
  generateCluster,
  kernelClaimValue,
} from 'kmm-hub-sandbox';
import { kubectlPath } from '../../scripts/tools';

const listClusters = async (kubeconfig: string): Promise<ManagedCluster[]> => {
  const api = PooledKubeConfig.fromString(kubeconfig).makeApiClient(CustomObjectsApi);
  const list = await api.listClusterCustomObject(MANAGED_CLUSTER_RESOURCE);
  return (list as { items: ManagedCluster[] }).items;
};

const REPO = join(__dirname, '../..');

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

interface Serving {
  /** what the CLI printed on stdout once ready */
  url: string;
  /** the CLI's own pid (npx runs it through `sh -c`), from its stderr */
  pid: number;
  /** the pid of npx */
  npx: number;
  /** stderr so far */
  stderr: () => string;
}

/**
 * Runs `npx kmm-hub-sandbox <args>`; once the CLI prints its first stdout line, `onReady` runs (its
 * failure is reported after the process ends). Resolves when every stdio stream is closed, i.e. once the
 * CLI itself has exited, not just npx.
 */
function run(args: string[], onReady?: (serving: Serving) => Promise<void>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['kmm-hub-sandbox', ...args], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let ready: Promise<void> | undefined;
    const serving = (): Serving => {
      const pid = Number(/as pid (\d+);/.exec(stderr)?.[1]);
      if (!pid) throw new Error(`no pid on stderr:\n${stderr}`);
      const url = stdout.trim().split(' ')[1] ?? '';
      return { url, pid, npx: child.pid ?? 0, stderr: () => stderr };
    };
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (onReady && !ready && stdout.includes('\n')) {
        ready = Promise.resolve()
          .then(() => onReady(serving()))
          .catch((err: unknown) => {
            // Never leave a server behind: a failed check stops the CLI, then fails the test.
            const pid = Number(/as pid (\d+);/.exec(stderr)?.[1]);
            if (pid) process.kill(pid, 'SIGKILL');
            child.kill('SIGKILL');
            throw err;
          });
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) =>
      (ready ?? Promise.resolve()).then(
        () => resolve({ code, signal, stdout, stderr }),
        (err: unknown) => reject(err as Error),
      ),
    );
  });
}

function kubectl(dir: string, kubeconfig: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
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
}

/** Whether `pid` is a live process (an exited one not yet reaped, a zombie, counts as gone). */
const running = (pid: number): boolean => {
  try {
    return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

describe('npx kmm-hub-sandbox serve', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kmm-hub-sandbox-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves a fleet, prints one ready line, and stops cleanly on SIGTERM', async () => {
    const kubeconfig = join(dir, 'nested', 'kubeconfig');
    // Seed 8's first clusters: cluster-0002 has no KMM, cluster-0004 is mid-upgrade (two kernels).
    const seed = 8;
    const expected = [1, 2, 3, 4].map((i) => generateCluster(seed, i));
    expect(expected.map((c) => (c.kmm ? kernelClaimValue(c.nodes).split('\n').length : 0))).toEqual(
      [1, 0, 1, 2],
    );
    const seen: { listed?: string[]; table?: string; kernels?: string; config?: string } = {};
    const result = await run(
      ['serve', '--port', '0', '--clusters', '4', '--kubeconfig', kubeconfig, '--seed', '8'],
      async ({ pid }) => {
        // The kubeconfig exists by the time `ready` is printed.
        seen.config = readFileSync(kubeconfig, 'utf8');
        const clusters = await listClusters(seen.config);
        seen.listed = clusters.map((c) => c.metadata.name ?? '').sort();
        [seen.table, seen.kernels] = await Promise.all([
          kubectl(dir, kubeconfig, ['get', 'managedclusters']),
          kubectl(dir, kubeconfig, [
            'get',
            'managedclusters',
            '-o',
            `custom-columns=NAME:.metadata.name,KERNELS:.status.clusterClaims[?(@.name=="${KERNEL_CLAIM}")].value`,
          ]),
        ]);
        process.kill(pid, 'SIGTERM');
      },
    );
    expect(result.code).toBe(0);
    expect(result.signal).toBeNull();
    expect(result.stdout).toMatch(/^ready https:\/\/127\.0\.0\.1:\d+\n$/);
    const url = result.stdout.trim().split(' ')[1];
    expect(parse(seen.config ?? '').clusters[0].cluster.server).toBe(url);
    expect(seen.listed).toEqual(['cluster-0001', 'cluster-0002', 'cluster-0003', 'cluster-0004']);
    // Real kubectl, default flags: the fleet with the upstream CRD's printer columns ...
    const rows = (seen.table ?? '').trim().split('\n');
    expect(rows[0]).toMatch(
      /^NAME\s+HUB ACCEPTED\s+MANAGED CLUSTER URLS\s+JOINED\s+AVAILABLE\s+AGE$/,
    );
    expect(rows.slice(1).map((r) => r.split(/\s+/)[0])).toEqual(seen.listed);
    expect(rows.slice(1).every((r) => /\strue\s+https:\/\/\S+\s+True\s+True\s/.test(r))).toBe(true);
    // ... and the kernel claims with custom columns (the README's command): <none> without KMM, and
    // a mid-upgrade cluster's second kernel on a line of its own (the claim is newline-separated).
    const claim = (i: number) => kernelClaimValue(expected[i]!.nodes);
    expect(seen.kernels).toBe(
      [
        'NAME           KERNELS',
        `cluster-0001   ${claim(0)}`,
        'cluster-0002   <none>',
        `cluster-0003   ${claim(2)}`,
        `cluster-0004   ${claim(3)}`,
        '',
      ].join('\n'),
    );
    expect(result.stderr).toContain('TEST AND DEMO hub');
    expect(result.stderr).toContain('SIGTERM received, stopping');
  }, 90_000);

  it('serves plain HTTP on the same port (token required), honours the watch timing flags, and stops cleanly on SIGINT', async () => {
    const kubeconfig = join(dir, 'sigint', 'kubeconfig');
    const statuses: number[] = [];
    const watches: { ms: number; bookmarks: number }[] = [];
    const result = await run(
      [
        ...['serve', '--port', '0', '--clusters', '1', '--kubeconfig', kubeconfig],
        ...['--bookmark-interval', '200', '--min-request-timeout', '1'],
      ],
      async ({ url, pid }) => {
        const token = parse(readFileSync(kubeconfig, 'utf8')).users[0].user.token as string;
        const http = url.replace('https://', 'http://');
        const namespaces = `${http}/api/v1/namespaces/cluster-0001`;
        statuses.push((await fetch(namespaces)).status);
        const headers = { Authorization: `Bearer ${token}` };
        statuses.push((await fetch(namespaces, { headers })).status);
        // Read each watch to its end: the server closes both.
        const watch = async (query: string) => {
          const started = Date.now();
          const body = await (
            await fetch(`${http}/api/v1/configmaps?watch=true&allowWatchBookmarks=true${query}`, {
              headers,
            })
          ).text();
          watches.push({
            ms: Date.now() - started,
            bookmarks: body.split('"BOOKMARK"').length - 1,
          });
        };
        await Promise.all([watch('&timeoutSeconds=3'), watch('')]);
        process.kill(pid, 'SIGINT');
      },
    );
    expect(statuses).toEqual([401, 200]);
    // timeoutSeconds=3: bookmarks every 200 ms until 2 s before its end (one only, at the default interval).
    expect(watches.find((w) => w.ms >= 2900)?.bookmarks).toBeGreaterThanOrEqual(2);
    // No timeoutSeconds: closed after 1x to 2x --min-request-timeout (1 s).
    expect(watches.find((w) => w.ms < 2900)?.ms).toBeGreaterThanOrEqual(950);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('SIGINT received, stopping');
  }, 90_000);

  it('stops when npx itself is terminated (npx does not pass SIGTERM on through its shell)', async () => {
    const kubeconfig = join(dir, 'orphan', 'kubeconfig');
    const result = await run(
      ['serve', '--port', '0', '--clusters', '1', '--kubeconfig', kubeconfig],
      async ({ pid, npx }) => {
        process.kill(npx, 'SIGTERM');
        const deadline = Date.now() + 20_000;
        while (running(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
        // A failure here SIGKILLs the CLI (see run()): no server is left behind.
        if (running(pid)) throw new Error('the CLI kept running after npx was terminated');
      },
    );
    expect(result.stderr).toMatch(/parent process \d+ \(npm\) exited, stopping/);
    expect(result.stderr).not.toContain('error while stopping');
  }, 90_000);

  it('exits 1 with one line when it cannot start (port in use, kubeconfig not writable)', async () => {
    const busy: Server = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    const port = String((busy.address() as { port: number }).port);
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    try {
      const [inUse, unwritable] = await Promise.all([
        run(['serve', '--port', port, '--clusters', '0', '--kubeconfig', join(dir, 'k1')]),
        run(['serve', '--port', '0', '--clusters', '0', '--kubeconfig', join(file, 'k')]),
      ]);
      for (const r of [inUse, unwritable]) {
        expect(r.code).toBe(1);
        expect(r.stdout).toBe('');
      }
      const last = (r: Run) => r.stderr.trim().split('\n').at(-1);
      expect(last(inUse)).toMatch(/^kmm-hub-sandbox: cannot start: .*EADDRINUSE/);
      expect(last(unwritable)).toMatch(
        new RegExp(`^kmm-hub-sandbox: cannot write --kubeconfig ${join(file, 'k')}: `),
      );
    } finally {
      busy.close();
    }
  }, 90_000);

  it('answers --version, and marks the required flags and shows the defaults in serve --help', async () => {
    const { version } = JSON.parse(readFileSync(join(REPO, 'sandbox/package.json'), 'utf8')) as {
      version: string;
    };
    const [long, short, help] = await Promise.all([
      run(['--version']),
      run(['-V']),
      run(['serve', '--help']),
    ]);
    for (const r of [long, short]) {
      expect(r).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: '' });
    }
    expect(help.code).toBe(0);
    // one entry per option, its wrapped lines joined
    const entries = new Map(
      help.stdout
        .slice(help.stdout.indexOf('Options:'))
        .split(/\n {2}(?=-)/)
        .slice(1)
        .map((e) => [e.split(' ')[0]!, e.replace(/\s+/g, ' ').trim()] as const),
    );
    expect([...entries.keys()]).toEqual([
      '--port',
      '--clusters',
      '--kubeconfig',
      '--seed',
      '--kernels',
      '--status-sync-interval',
      '--no-build-executor',
      '--build-delay',
      '--install-crds',
      '--service-account-kubeconfig',
      '--without-kmm',
      '--policy-interval',
      '--bookmark-interval',
      '--min-request-timeout',
      '-h,',
    ]);
    for (const flag of ['--port', '--clusters', '--kubeconfig']) {
      expect(entries.get(flag)).toMatch(/ \(required\)$/);
    }
    expect(entries.get('--seed')).toMatch(/ \(default: 1\)$/);
    expect(entries.get('--kernels')).toMatch(/exactly this many distinct node kernels/);
    expect(entries.get('--status-sync-interval')).toMatch(
      new RegExp(` \\(default: ${DEFAULT_STATUS_SYNC_INTERVAL_MS}\\)$`),
    );
    expect(entries.get('--build-delay')).toMatch(/ \(default: 2000\)$/);
    expect(entries.get('--bookmark-interval')).toMatch(
      new RegExp(` \\(default: ${DEFAULT_BOOKMARK_INTERVAL_MS}\\)$`),
    );
    expect(entries.get('--min-request-timeout')).toMatch(
      new RegExp(` \\(default: ${DEFAULT_MIN_REQUEST_TIMEOUT_SECONDS}\\)$`),
    );
    expect(entries.get('-h,')).not.toMatch(/required|default/);
  }, 60_000);

  it('rejects bad flags with one line naming the flag and exit 2', async () => {
    const cases: [string[], string][] = [
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
        ['--port', '0', '--clusters', '1', '--kubeconfig', 'k', '--min-request-timeout', '0'],
        '--min-request-timeout must be a whole number >= 1',
      ],
      [
        ['--port', '0', '--clusters', '1', '--kubeconfig', 'k', '--bogus'],
        "unknown option '--bogus'",
      ],
    ];
    const results = await Promise.all(cases.map(([args]) => run(['serve', ...args])));
    results.forEach((result, i) => {
      const [args, message] = cases[i]!;
      const lines = result.stderr.trim().split('\n');
      expect({ args, code: result.code, stdout: result.stdout, lines }).toEqual({
        args,
        code: 2,
        stdout: '',
        lines: [expect.stringContaining(message)],
      });
    });
  }, 60_000);
});
