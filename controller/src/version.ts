// What is running: the package version and, in a git checkout, its commit. Read from files rather than by running
// git, so that `--version` and the build_info metric cost microseconds and need no git binary in an image.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const PACKAGE_DIR = resolve(__dirname, '..');

export interface BuildInfo {
  /** controller/package.json's version */
  version: string;
  /** the checked-out commit (40 hex digits), when the package runs from a git checkout */
  commit?: string;
}

let cached: BuildInfo | undefined;

export function buildInfo(): BuildInfo {
  if (!cached) {
    const { version } = JSON.parse(readFileSync(join(PACKAGE_DIR, 'package.json'), 'utf8')) as {
      version: string;
    };
    const commit = gitCommit(PACKAGE_DIR);
    cached = commit ? { version, commit } : { version };
  }
  return cached;
}

/** `0.1.0 (commit 0123456789ab)`, or `0.1.0` outside a git checkout: what `--version` prints. */
export function versionText(info: BuildInfo = buildInfo()): string {
  return info.commit ? `${info.version} (commit ${info.commit.slice(0, 12)})` : info.version;
}

/**
 * The commit HEAD points at in the checkout holding `from`, or undefined when it cannot tell (no checkout, a
 * ref storage it does not read): a version without a commit is better than a failure to start.
 */
export function gitCommit(from: string): string | undefined {
  try {
    for (let dir = resolve(from); ; dir = dirname(dir)) {
      const dotGit = join(dir, '.git');
      if (existsSync(dotGit)) return headCommit(dotGit);
      if (dirname(dir) === dir) return undefined;
    }
  } catch {
    return undefined;
  }
}

const COMMIT = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

function headCommit(dotGit: string): string | undefined {
  let gitDir = dotGit;
  // A linked worktree (or a submodule) has a `.git` file naming its git directory.
  if (statSync(dotGit).isFile()) {
    const m = /^gitdir: (.+)$/m.exec(readFileSync(dotGit, 'utf8'));
    if (!m) return undefined;
    gitDir = resolve(dirname(dotGit), (m[1] as string).trim());
  }
  // A worktree keeps its own HEAD, but the branches are in the common directory.
  const commonFile = join(gitDir, 'commondir');
  const commonDir = existsSync(commonFile)
    ? resolve(gitDir, readFileSync(commonFile, 'utf8').trim())
    : gitDir;
  const head = readFileSync(join(gitDir, 'HEAD'), 'utf8').trim();
  const ref = /^ref: (\S+)$/.exec(head)?.[1];
  if (!ref) return COMMIT.test(head) ? head : undefined;
  for (const dir of [gitDir, commonDir]) {
    const file = join(dir, ref);
    if (existsSync(file)) {
      const commit = readFileSync(file, 'utf8').trim();
      return COMMIT.test(commit) ? commit : undefined;
    }
  }
  const packed = join(commonDir, 'packed-refs');
  if (!existsSync(packed)) return undefined;
  for (const line of readFileSync(packed, 'utf8').split('\n')) {
    const [commit, name] = line.split(' ');
    if (name === ref && commit && COMMIT.test(commit)) return commit;
  }
  return undefined;
}
