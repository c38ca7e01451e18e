// Builds what the shell serves when its sources are newer than the build: the host (sandbox/shell/dist) and,
// on request, the plugin (dist/ at the repository root).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const REPO = resolve(__dirname, '../../..');
const WEBPACK = join(REPO, 'node_modules/.bin/webpack');

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

function webpack(args: string[], env: Record<string, string>, what: string): void {
  const started = performance.now();
  const result = spawnSync(WEBPACK, args, {
    cwd: REPO,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (result.status !== 0)
    throw new Error(`building ${what} failed (webpack exit ${result.status})`);
  process.stderr.write(`built ${what} in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
}

export const SHELL_ENTRY = join(REPO, 'sandbox/shell/dist/shell.js');
export const PLUGIN_DIST = join(REPO, 'dist');

/** The console shell's host, when missing or older than its sources. */
export function buildShellIfStale(): void {
  const shell = join(REPO, 'sandbox/shell');
  if (!isStale(SHELL_ENTRY, [join(shell, 'src'), join(shell, 'webpack.config.ts')])) return;
  webpack(
    ['-c', join(shell, 'webpack.config.ts')],
    { NODE_ENV: 'production' },
    'the console shell',
  );
}

/** The plugin's production build (what console loads), when missing or older than its sources. */
export function buildPluginIfStale(): void {
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
  webpack([], { NODE_ENV: 'production' }, 'the console plugin (dist/)');
}
