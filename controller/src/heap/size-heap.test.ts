import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');
const FIXTURE = join(__dirname, '__fixtures__/sized.ts');

/** Runs the fixture under the project's node with tsx, as the controller's bin does in a checkout. */
function runSized(limitFile: string, env: NodeJS.ProcessEnv = {}) {
  const out = execFileSync(
    join(ROOT, 'node_modules/.bin/node'),
    ['--import', 'tsx', FIXTURE, limitFile],
    { env: { ...process.env, NODE_OPTIONS: '', ...env }, encoding: 'utf8', timeout: 60_000 },
  );
  return JSON.parse(out.trim()) as { limitMiB: number; execArgv: string[]; arenas?: string };
}

describe('sizeHeapFromCgroup', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cgroup-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('re-executes node with an old space of two fifths of the container limit', () => {
    const file = join(dir, 'memory.max');
    writeFileSync(file, `${320 * 2 ** 20}\n`);
    const sized = runSized(file);
    // the flags first, then node's own arguments as given
    expect(sized.execArgv).toEqual([
      '--max-old-space-size=128',
      '--max-semi-space-size=4',
      '--import',
      'tsx',
    ]);
    // V8's limit is the old space plus the young generation (three semi-spaces)
    expect(sized.limitMiB).toBe(128 + 3 * 4);
    expect(sized.arenas).toBe('2');
  });

  it('runs as it is without a limit', () => {
    const file = join(dir, 'unlimited');
    writeFileSync(file, 'max\n');
    const sized = runSized(file);
    expect(sized.execArgv.some((a) => a.startsWith('--max-old-space-size'))).toBe(false);
    expect(sized.arenas).toBeUndefined();
  });

  it('keeps a heap size given in NODE_OPTIONS', () => {
    const file = join(dir, 'memory.max');
    const options = { NODE_OPTIONS: '--max-old-space-size=100 --max-semi-space-size=4' };
    const sized = runSized(file, options);
    expect(sized.execArgv).toEqual(['--import', 'tsx']);
    expect(sized.limitMiB).toBe(100 + 3 * 4);
  });
});
