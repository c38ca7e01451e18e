import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApiServer, type ApiServerHandle, type ApiServerOptions } from 'kmm-hub-sandbox';
import { kubectlPath } from '../../scripts/tools';
import { waitFor } from '../helpers';

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface KubectlEnv {
  server: ApiServerHandle;
  dir: string;
  /** Runs the real kubectl with default flags against the sandbox; `input` goes to stdin. */
  kubectl(args: string[], input?: string): Promise<KubectlResult>;
  /**
   * Runs another client of the sandbox (helm) the way kubectl() runs kubectl: HOME is `dir` (so its caches
   * and configuration stay there), KUBECONFIG is the sandbox's; `timeoutMs` defaults to 30 s.
   */
  run(program: string, args: string[], options?: RunOptions): Promise<KubectlResult>;
  /** Like kubectl() but fails the test with kubectl's stderr unless it exits 0. */
  ok(args: string[], input?: string): Promise<string>;
  /** Starts a long-running kubectl (`get -w`) whose output is read while it runs. */
  stream(args: string[]): KubectlStream;
  /** How many watch requests the server has received on `resource` (a plural) so far. */
  watches(resource: string): number;
  /**
   * Resolves once the server has received `count` watch requests on `resource`: the event-driven way to
   * know that a `get -w`, `wait` or `delete --wait` started earlier is now listening.
   */
  untilWatches(resource: string, count: number): Promise<void>;
  stop(): Promise<void>;
}

export interface RunOptions {
  /** Written to stdin. */
  input?: string;
  timeoutMs?: number;
}

export interface KubectlStream {
  /** stdout so far */
  readonly stdout: string;
  /** Resolves when stdout satisfies `check` (fails after `timeoutMs`, with the output in the message). */
  until(check: (stdout: string) => boolean, timeoutMs?: number): Promise<void>;
  /** Stops kubectl (SIGTERM) and resolves with what it printed. */
  stop(): Promise<KubectlResult>;
}

/**
 * Starts a sandbox API server on a free port with a fresh kubeconfig and a fresh KUBECACHEDIR (kubectl
 * caches discovery for hours), for one test file.
 */
export async function startKubectlEnv(options: ApiServerOptions = {}): Promise<KubectlEnv> {
  const binary = kubectlPath();
  const server = await startApiServer({ port: 0, ...options });
  const dir = mkdtempSync(join(tmpdir(), 'kmm-kubectl-'));
  const kubeconfig = join(dir, 'kubeconfig');
  server.writeKubeconfig(kubeconfig);
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    KUBECONFIG: kubeconfig,
    KUBECACHEDIR: join(dir, 'cache'),
  };
  const run = (program: string, args: string[], { input, timeoutMs = 30_000 }: RunOptions = {}) =>
    new Promise<KubectlResult>((resolve) => {
      const options = { env, timeout: timeoutMs };
      const child = execFile(program, args, options, (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      });
      if (input !== undefined) child.stdin?.end(input);
      else child.stdin?.end();
    });
  const kubectl = (args: string[], input?: string) => run(binary, args, { input });
  const stream = (args: string[]): KubectlStream => {
    const child = spawn(binary, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<KubectlResult>((resolve) =>
      child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr })),
    );
    return {
      get stdout() {
        return stdout;
      },
      until: async (check, timeoutMs = 20_000) => {
        try {
          await waitFor('its output', () => check(stdout), { timeoutMs });
        } catch {
          throw new Error(
            `kubectl ${args.join(' ')} printed, in ${timeoutMs} ms:\n${stdout}${stderr}`,
          );
        }
      },
      stop: () => {
        child.kill('SIGTERM');
        return exited;
      },
    };
  };
  const watches = (resource: string) => server.audit.count({ verb: 'watch', resource });
  const untilWatches = async (resource: string, count: number) => {
    await waitFor(`${count} watches of ${resource}`, () => watches(resource) >= count);
  };
  const ok = async (args: string[], input?: string) => {
    const result = await kubectl(args, input);
    if (result.code !== 0) {
      throw new Error(`kubectl ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
    }
    return result.stdout;
  };
  return {
    server,
    dir,
    kubectl,
    run,
    ok,
    stream,
    watches,
    untilWatches,
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const MCM = (
  name: string,
  spokeNamespace = 'kmm',
  extra = '',
) => `apiVersion: hub.kmm.sigs.x-k8s.io/v1beta1
kind: ManagedClusterModule
metadata:
  name: ${name}
spec:
  spokeNamespace: ${spokeNamespace}
  selector:
    gpu: "true"
  moduleSpec:
    selector:
      kubernetes.io/arch: amd64
    moduleLoader:
      container:
        modprobe:
          moduleName: ${name}
        kernelMappings:
          - literal: 5.14.0-427.13.1.el9_4.x86_64
            containerImage: quay.io/example/${name}:1
${extra}`;

export const MANAGED_CLUSTER = (
  name: string,
  labels: Record<string, string>,
) => `apiVersion: cluster.open-cluster-management.io/v1
kind: ManagedCluster
metadata:
  name: ${name}
  labels:
${Object.entries(labels)
  .map(([k, v]) => `    ${k}: "${v}"`)
  .join('\n')}
spec:
  hubAcceptsClient: true
`;
