// The production controller: compiled to JavaScript, packed as npm would publish it, installed with
// `npm ci --omit=dev` from the standalone lock file (offline, from npm's cache), and run with no TypeScript,
// no tsx and no devDependency anywhere: `--version`, `plan`, and `run` against a sandbox hub until /readyz.
import { execFile, spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { startApiServer, type ApiServerHandle } from 'kmm-hub-sandbox';
import { controllerLockfile } from '../../scripts/controller-lockfile';
import { REPO_ROOT } from '../../scripts/tools';
import { waitFor } from '../helpers';

const exec = promisify(execFile);
const controller = join(REPO_ROOT, 'controller');
// npm and the project's Node 24 (the `node` devDependency), first on PATH as `npm run` would put them.
const PATH = `${join(REPO_ROOT, 'node_modules/node/bin')}:${dirname(process.execPath)}:${process.env.PATH ?? ''}`;
const env = { ...process.env, PATH, npm_config_update_notifier: 'false' };

let work: string;
let installed: string;
let server: ApiServerHandle | undefined;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'kmm-controller-package-'));
  // Built into a copy of the package, not into controller/dist: other suites run the checkout's bin meanwhile.
  const pkg = join(work, 'src-package');
  mkdirSync(pkg);
  for (const f of ['package.json', 'README.md', 'bin'])
    cpSync(join(controller, f), join(pkg, f), { recursive: true });
  await exec(
    join(REPO_ROOT, 'node_modules/.bin/tsc'),
    ['-p', join(controller, 'tsconfig.build.json'), '--outDir', join(pkg, 'dist')],
    { env },
  );
  // prepack would build again into the copy's dist (which is already the same build).
  await exec('npm', ['pack', '--ignore-scripts', '--pack-destination', work], { cwd: pkg, env });
  const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
  if (!tarball) throw new Error('npm pack wrote no tarball');
  await exec('tar', ['xzf', join(work, tarball), '-C', work]);
  installed = join(work, 'package');
  writeFileSync(
    join(installed, 'package-lock.json'),
    JSON.stringify(controllerLockfile(), null, 2),
  );
  const ci = (mode: string) =>
    exec('npm', ['ci', '--omit=dev', mode, '--no-audit', '--no-fund'], { cwd: installed, env });
  // from npm's cache, which `npm ci` of the workspace filled; the registry only for what a cleaned cache lacks
  await ci('--offline').catch((error: { stderr?: string }) => {
    if (!String(error.stderr).includes('ENOTCACHED')) throw error;
    return ci('--prefer-offline');
  });
}, 300_000);

afterAll(async () => {
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
});

const run = (args: string[], extraEnv: NodeJS.ProcessEnv = {}) =>
  exec(join(installed, 'bin/kmm-hub-controller.js'), args, {
    cwd: installed,
    env: { ...env, ...extraEnv },
  });

test('the package holds the compiled JavaScript and no TypeScript sources', () => {
  expect(existsSync(join(installed, 'dist/cli.js'))).toBe(true);
  expect(existsSync(join(installed, 'src'))).toBe(false);
  // nothing the sources need at run time only through the workspace root's devDependencies
  for (const dev of ['tsx', 'typescript', 'ts-jest', 'esbuild']) {
    expect(existsSync(join(installed, 'node_modules', dev))).toBe(false);
  }
});

test('--version prints the package version', async () => {
  const { stdout } = await run(['--version']);
  expect(stdout.trim()).toBe('0.1.0');
});

test('plan runs from the compiled JavaScript', async () => {
  const { stdout } = await run([
    'plan',
    '--mcm',
    join(controller, 'examples/mcm-gpu-driver.yaml'),
    '--clusters',
    join(controller, 'examples/fleet.yaml'),
    '--output',
    'json',
  ]);
  const plan = JSON.parse(stdout) as { manifestWorks: unknown[]; errors: unknown[] };
  expect(plan.errors).toEqual([]);
  expect(plan.manifestWorks.length).toBeGreaterThan(0);
});

test('run starts against a hub and becomes ready', async () => {
  server = await startApiServer();
  const kubeconfig = join(work, 'kubeconfig');
  server.writeKubeconfig(kubeconfig);
  server.objects.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kmm-hub' } });
  const child = spawn(
    join(installed, 'bin/kmm-hub-controller.js'),
    ['run', '--kubeconfig', kubeconfig, '--http-address', '127.0.0.1:0', '--log-level', 'info'],
    { cwd: installed, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  try {
    const port = await waitFor(
      'the health server address in the log',
      () => /"url":"http:\/\/127\.0\.0\.1:(\d+)"/.exec(output)?.[1],
      { timeoutMs: 60_000 },
    );
    await waitFor(
      '/readyz to answer 200',
      async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).ok,
      {
        timeoutMs: 60_000,
        intervalMs: 200,
      },
    );
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
  expect(output).not.toMatch(/tsx|\.ts:\d+/);
}, 120_000);
