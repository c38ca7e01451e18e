import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Command } from 'commander';
import { runOptions, toConfig, type RunOptions } from './run-options';

// The run command's flags: every one has an environment variable and a documented default, bad values exit 2
// naming the flag, and `run` is what the bin does without a subcommand. The bin is run for real.

const ROOT = resolve(__dirname, '../../..');
const BIN = join(ROOT, 'node_modules/.bin');
const bin = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  promisify(execFile)(join(BIN, 'kmm-hub-controller'), args, {
    cwd: ROOT,
    env: { ...process.env, PATH: `${BIN}${delimiter}${process.env.PATH ?? ''}`, ...env },
  }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({
      code: e.code,
      stdout: e.stdout,
      stderr: e.stderr,
    }),
  );

const parse = (args: string[], env: Record<string, string> = {}): RunOptions => {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    const cmd = new Command('run').exitOverride();
    for (const o of runOptions()) cmd.addOption(o);
    cmd.parse(args, { from: 'user' });
    return cmd.opts<RunOptions>();
  } finally {
    process.env = saved;
  }
};

jest.setTimeout(60_000);

describe('run options', () => {
  it('gives every flag an environment variable', () => {
    for (const o of runOptions()) expect(o.envVar).toMatch(/^[A-Z_]+$/);
  });

  it('has the documented defaults', () => {
    const config = toConfig(parse([]));
    expect(config).toMatchObject({
      namespace: 'kmm-hub',
      concurrency: 4,
      writeConcurrency: 16,
      resyncPeriodMs: 600_000,
      workStatusBatchMs: 500,
      httpAddress: { host: '0.0.0.0', port: 8081 },
      eventsNamespace: 'default',
      shutdownTimeoutMs: 30_000,
      logLevel: 'info',
      leaderElection: {
        enabled: true,
        leaseName: 'kmm-hub-controller',
        namespace: 'kmm-hub',
        leaseDurationMs: 15_000,
        renewDeadlineMs: 10_000,
        retryPeriodMs: 2000,
      },
    });
    expect(config.leaderElection.identity).toMatch(/_[0-9a-f-]{36}$/);
  });

  it('takes values from the environment, and flags over the environment', () => {
    const env = {
      OPERATOR_NAMESPACE: 'ops',
      KMM_HUB_LEADER_ELECT: 'false',
      POD_NAME: 'pod-1',
      KMM_HUB_CONCURRENCY: '2',
    };
    const config = toConfig(parse(['--concurrency', '9'], env));
    expect(config).toMatchObject({ namespace: 'ops', concurrency: 9 });
    expect(config.leaderElection).toMatchObject({
      enabled: false,
      namespace: 'ops',
      identity: 'pod-1',
    });
  });

  it("takes Go's compound durations from flags and from the environment", () => {
    const config = toConfig(
      parse(['--resync-period', '1m30s', '--shutdown-timeout', '1h2m3.5s'], {
        KMM_HUB_WORK_STATUS_BATCH: '1s500ms',
      }),
    );
    expect(config).toMatchObject({
      resyncPeriodMs: 90_000,
      shutdownTimeoutMs: 3_723_500,
      workStatusBatchMs: 1500,
    });
  });
});

describe('the kmm-hub-controller bin', () => {
  it('lists every flag with its environment variable and default in run --help', async () => {
    const { code, stdout } = await bin(['run', '--help']);
    expect(code).toBe(0);
    for (const o of runOptions()) {
      const line = stdout.split('\n').find((l) => l.trimStart().startsWith(o.flags.split(' ')[0]!));
      expect(line).toBeDefined();
      // the help wraps long lines: look at the option's whole entry
      const entry = stdout.slice(stdout.indexOf(line!)).split(/\n {2}--/)[0]!;
      expect(entry).toContain(`env: ${o.envVar}`);
      expect(entry).toMatch(/default/);
    }
  });

  it('exits 2 naming the flag for a bad value, from a flag or from the environment', async () => {
    const flag = await bin(['run', '--concurrency', '0']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain(
      "option '--concurrency <n>' argument '0' is invalid. \"0\" is not a positive integer",
    );
    const env = await bin(['run'], { KMM_HUB_RESYNC_PERIOD: '10' });
    expect(env.code).toBe(2);
    expect(env.stderr).toContain('"10" is not a duration');
    expect(env.stderr).toContain("from env 'KMM_HUB_RESYNC_PERIOD'");
    const duration = await bin(['run', '--resync-period', '1m30x']);
    expect(duration.code).toBe(2);
    expect(duration.stderr).toContain(
      "option '--resync-period <duration>' argument '1m30x' is invalid. \"1m30x\" is not a duration: " +
        'unknown unit "x"; use a number with a unit, e.g. 500ms, 15s, 1m30s or 1h2m3.5s',
    );
  });

  it('answers --version with the package version and the commit, exit 0', async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'controller/package.json'), 'utf8')) as {
      version: string;
    };
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' });
    const [long, short] = await Promise.all([bin(['--version']), bin(['-V'])]);
    for (const r of [long, short]) {
      expect(r).toEqual({
        code: 0,
        stdout: `${version} (commit ${commit.slice(0, 12)})\n`,
        stderr: '',
      });
    }
  });

  it('runs `run` when no subcommand is given', async () => {
    const { code, stderr } = await bin(['--leader-election-renew-deadline', '20s']);
    expect(code).toBe(2);
    expect(stderr).toBe(
      'kmm-hub-controller run: --leader-election-lease-duration (15s) must be greater than --leader-election-renew-deadline (20s)\n',
    );
  });

  it('exits 1 with one line when there is no kubeconfig to load', async () => {
    const { code, stderr } = await bin([
      '--kubeconfig',
      '/nonexistent/kubeconfig',
      '--log-level',
      'silent',
    ]);
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /^kmm-hub-controller run: cannot load kubeconfig \/nonexistent\/kubeconfig: ENOENT/,
    );
  });
});
