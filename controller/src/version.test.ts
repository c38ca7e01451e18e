import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildInfo, gitCommit, versionText } from './version';

// --version and kmm_hub_build_info name the commit without running git: the files git keeps are read instead.

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

const dir = mkdtempSync(join(tmpdir(), 'kmm-version-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
/** A fake checkout: `files` relative to its root. */
function checkout(files: Record<string, string>): string {
  const root = join(dir, `c${n++}`);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  mkdirSync(join(root, 'controller/src'), { recursive: true });
  return root;
}

describe('gitCommit', () => {
  it('is the commit this repository has checked out', () => {
    const head = execFileSync('git', ['rev-parse', 'HEAD'], {
      cwd: __dirname,
      encoding: 'utf8',
    }).trim();
    expect(gitCommit(__dirname)).toBe(head);
    expect(buildInfo().commit).toBe(head);
  });

  it('follows a branch in a loose ref or in packed-refs, and a detached HEAD', () => {
    const loose = checkout({
      '.git/HEAD': 'ref: refs/heads/main\n',
      '.git/refs/heads/main': `${A}\n`,
    });
    expect(gitCommit(join(loose, 'controller/src'))).toBe(A);
    const packed = checkout({
      '.git/HEAD': 'ref: refs/heads/main\n',
      '.git/packed-refs': `# pack-refs with: peeled fully-peeled sorted\n${B} refs/heads/dev\n${A} refs/heads/main\n`,
    });
    expect(gitCommit(packed)).toBe(A);
    expect(gitCommit(checkout({ '.git/HEAD': `${B}\n` }))).toBe(B);
  });

  it('reads a linked worktree: HEAD in its own git directory, the branch in the common one', () => {
    const main = checkout({
      '.git/refs/heads/topic': `${B}\n`,
      '.git/HEAD': 'ref: refs/heads/main\n',
    });
    const wtGit = join(main, '.git/worktrees/wt');
    mkdirSync(wtGit, { recursive: true });
    writeFileSync(join(wtGit, 'HEAD'), 'ref: refs/heads/topic\n');
    writeFileSync(join(wtGit, 'commondir'), '../..\n');
    const worktree = checkout({ '.git': `gitdir: ${wtGit}\n` });
    expect(gitCommit(join(worktree, 'controller/src'))).toBe(B);
  });

  it('is undefined when it cannot tell, rather than failing', () => {
    expect(gitCommit(checkout({ '.git/HEAD': 'ref: refs/heads/gone\n' }))).toBeUndefined();
    expect(gitCommit(checkout({ '.git': 'not a gitdir line\n' }))).toBeUndefined();
    expect(gitCommit(checkout({ '.git/HEAD': 'garbage\n' }))).toBeUndefined();
    expect(gitCommit(resolve('/'))).toBeUndefined();
  });
});

describe('versionText', () => {
  it("is the package's version, with the short commit when there is one", () => {
    expect(versionText({ version: '1.2.3', commit: A })).toBe('1.2.3 (commit aaaaaaaaaaaa)');
    expect(versionText({ version: '1.2.3' })).toBe('1.2.3');
    const pkg = JSON.parse(readFileSync(join(__dirname, '../package.json'), 'utf8')) as {
      version: string;
    };
    expect(buildInfo().version).toBe(pkg.version);
  });
});
