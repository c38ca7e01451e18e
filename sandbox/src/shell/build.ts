// Builds what the shell serves when its sources are newer than the build: the host (sandbox/shell/dist) and
// the plugin's production build (dist/ at the repository root).
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync } from 'node:fs';
import { join, resolve } from 'node:path';

const REPO = resolve(__dirname, '../../..');
const WEBPACK = join(REPO, 'node_modules/.bin/webpack');

export const SHELL_ENTRY = join(REPO, 'sandbox/shell/dist/shell.js');
export const PLUGIN_DIST = join(REPO, 'dist');

function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    latest = Math.max(latest, newest(join(path, entry)));
  }
  return latest;
}

/** Whether `output` (a file) is missing or older than any of `inputs`. */
export const isStale = (output: string, inputs: string[]): boolean =>
  !existsSync(output) || statSync(output).mtimeMs < Math.max(...inputs.map(newest));

async function webpack(args: string[], what: string, output: string): Promise<void> {
  const started = performance.now();
  const child = spawn(WEBPACK, args, {
    cwd: REPO,
    env: { ...process.env, NODE_ENV: 'production' },
    // webpack's stats go nowhere; its errors are on stderr.
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const code = await new Promise<number | null>((done, fail) => {
    child.once('error', fail);
    child.once('exit', done);
  });
  if (code !== 0) throw new Error(`building ${what} failed (webpack exit ${code})`);
  // webpack leaves a file whose content did not change untouched: mark the build as newer than its sources.
  const now = new Date();
  utimesSync(output, now, now);
  process.stderr.write(`built ${what} in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
}

/** The console shell's host, when missing or older than its sources. */
export async function buildShellIfStale(): Promise<void> {
  const shell = join(REPO, 'sandbox/shell');
  if (!isStale(SHELL_ENTRY, [join(shell, 'src'), join(shell, 'webpack.config.ts')])) return;
  await webpack(['-c', join(shell, 'webpack.config.ts')], 'the console shell', SHELL_ENTRY);
}

/** The plugin's production build (what console loads), when missing or older than its sources. */
export async function buildPluginIfStale(): Promise<void> {
  const inputs = [
    'src',
    'locales',
    'console-extensions.json',
    'package.json',
    'webpack.config.ts',
    'controller/src/model',
  ];
  if (
    !isStale(
      join(PLUGIN_DIST, 'plugin-manifest.json'),
      inputs.map((i) => join(REPO, i)),
    )
  )
    return;
  await webpack([], 'the console plugin (dist/)', join(PLUGIN_DIST, 'plugin-manifest.json'));
}
