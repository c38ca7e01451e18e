// The controller as its own process, `kmm-hub-controller run` as deployed, for the suites that kill it
// (SIGKILL) or run two replicas of it: its identity in the Lease, its own token (so the sandbox's audit tells
// its requests apart), short leader-election timings.
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Sandbox } from 'kmm-hub-sandbox';
import { startBin, waitFor, type Proc } from '../helpers';
import { identityKubeconfig } from './fault-audit';
import { NAMESPACE } from './harness';

export interface ControllerProcess {
  proc: Proc;
  /** its user in the audit log */
  user: string;
  /** its /healthz, /readyz and /metrics */
  url: string;
  /** whether it holds the Lease, from its kmm_hub_leader gauge (false when it does not answer) */
  leading(): Promise<boolean>;
  /** SIGKILL, and waits for the exit */
  kill(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface Lease {
  /** ms */
  durationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
}

/** Writes a kubeconfig for `user` into `dir` (once per user) and starts a controller with it. */
export async function spawnController(
  sandbox: Sandbox,
  dir: string,
  user: string,
  lease: Lease,
  extraArgs: string[] = [],
): Promise<ControllerProcess> {
  const kubeconfig = join(dir, `${user}.kubeconfig`);
  await writeFile(kubeconfig, identityKubeconfig(sandbox, user), { mode: 0o600 });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const proc = startBin(
    'kmm-hub-controller',
    [
      'run',
      '--kubeconfig',
      kubeconfig,
      '--namespace',
      NAMESPACE,
      '--http-address',
      `127.0.0.1:${port}`,
      '--identity',
      user,
      '--log-level',
      process.env.KMM_TEST_LOG ?? 'warn',
      '--leader-election-lease-duration',
      `${lease.durationMs}ms`,
      '--leader-election-renew-deadline',
      `${lease.renewDeadlineMs}ms`,
      '--leader-election-retry-period',
      `${lease.retryPeriodMs}ms`,
      '--work-status-batch',
      '20ms',
      '--builder-image',
      'example.com/kaniko:test',
      '--signer-image',
      'example.com/signer:test',
      '--image-recheck-interval',
      '1s',
      '--events-namespace',
      'default',
      ...extraArgs,
    ],
    { POD_NAME: undefined, KUBECONFIG: undefined },
  );
  const leading = async () => {
    const text = await fetch(`${url}/metrics`)
      .then((r) => r.text())
      .catch(() => '');
    return /^kmm_hub_leader 1$/m.test(text);
  };
  return {
    proc,
    user,
    url,
    leading,
    kill: async () => {
      proc.child.kill('SIGKILL');
      await proc.exited;
    },
  };
}

/** Waits until the process serves /healthz (or fails with its output if it exits first). */
export async function whenServing(c: ControllerProcess, timeoutMs = 60_000): Promise<void> {
  let exited = false;
  void c.proc.exited.then(() => (exited = true));
  await waitFor(
    `${c.user} to serve /healthz`,
    async () => {
      if (exited) throw new Error(`${c.user} exited:\n${c.proc.lines.join('\n')}`);
      return (await fetch(`${c.url}/healthz`).catch(() => undefined))?.status === 200;
    },
    { timeoutMs, intervalMs: 50 },
  );
}

/** mulberry32: a small seeded generator, so that every run kills at the same points. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
