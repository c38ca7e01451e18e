/**
 * Prints a standalone package-lock.json for the controller's package: the entries of the workspace lock file
 * that its production dependencies reach, at the same versions and integrity hashes. With it, the packed
 * controller installs with `npm ci --omit=dev` exactly as it was tested (the container build does this), and
 * offline from npm's cache, which holds tarballs by integrity but not the registry's package documents.
 *
 *   npx tsx scripts/controller-lockfile.ts > out/package-lock.json
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './tools';

interface LockEntry {
  version?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  dev?: boolean;
  devOptional?: boolean;
  link?: boolean;
  [key: string]: unknown;
}

interface Lock {
  name: string;
  version: string;
  lockfileVersion: number;
  requires?: boolean;
  packages: Record<string, LockEntry>;
}

/** Node's lookup: `name` from the package at `from` is the nearest node_modules/name up the tree. */
function resolveFrom(packages: Lock['packages'], from: string, name: string): string | undefined {
  let dir = from;
  for (;;) {
    const candidate = `${dir ? `${dir}/` : ''}node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (!dir) return undefined;
    const up = dir.lastIndexOf('/node_modules/');
    dir = up < 0 ? '' : dir.slice(0, up);
  }
}

export function controllerLockfile(root = REPO_ROOT): Lock {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as Lock;
  const manifest = lock.packages.controller;
  if (!manifest)
    throw new Error('package-lock.json has no "controller" workspace entry: run npm install');
  const out: Lock['packages'] = {
    '': {
      name: 'kmm-hub-controller',
      version: manifest.version,
      dependencies: manifest.dependencies,
    },
  };
  const queue: [string, string][] = Object.keys(manifest.dependencies ?? {}).map((n) => ['', n]);
  for (let next = queue.shift(); next; next = queue.shift()) {
    const [from, name] = next;
    const path = resolveFrom(lock.packages, from, name);
    const entry = path ? lock.packages[path] : undefined;
    if (!path || !entry) {
      const optional =
        from !== '' &&
        (lock.packages[from]?.optionalDependencies?.[name] !== undefined ||
          lock.packages[from]?.peerDependenciesMeta?.[name]?.optional === true);
      if (optional) continue;
      throw new Error(
        `package-lock.json: ${name} (needed by ${from || 'the controller'}) is not locked`,
      );
    }
    if (entry.link)
      throw new Error(`${name} is a workspace link; the controller must not depend on one`);
    if (out[path]) continue;
    // dev / devOptional describe the workspace root's view; here everything listed is a production dependency.
    const { dev: _dev, devOptional: _devOptional, ...kept } = entry;
    out[path] = kept;
    for (const dep of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies })) {
      queue.push([path, dep]);
    }
  }
  const sorted = Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
  return {
    name: 'kmm-hub-controller',
    version: manifest.version ?? '0.0.0',
    lockfileVersion: lock.lockfileVersion,
    requires: true,
    packages: sorted,
  };
}

if (require.main === module) {
  process.stdout.write(`${JSON.stringify(controllerLockfile(), null, 2)}\n`);
}
