import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { CustomObjectsApi } from '@kubernetes/client-node';
import { PooledKubeConfig } from '../controller/src/kube/pooled-kubeconfig';
import type { ManagedClusterModule } from '../controller/src/model';

// `npm start` without KUBECONFIG, as the README promises: a sandbox hub with a simulated fleet, the demo MCMs
// applied, and the controller rolling them out; SIGTERM (Ctrl-C) stops everything with exit 0.

jest.setTimeout(150_000);

const ROOT = resolve(__dirname, '..');
const BIN = join(ROOT, 'node_modules/.bin');

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  log: string[],
): Promise<T> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      throw new Error(
        `timed out waiting for ${what}; npm start said:\n${log.slice(-30).join('\n')}`,
      );
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

it('starts the sandbox hub, applies the demo MCMs and rolls them out; SIGTERM stops it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kmm-hub-start-'));
  const kubeconfig = join(dir, 'kubeconfig');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${BIN}${delimiter}${process.env.PATH ?? ''}`,
  };
  delete env.KUBECONFIG;
  // 30 clusters of seed 1 include GPU clusters with KMM, which demo-nic-driver selects.
  const args = ['--clusters', '30', '--kubeconfig', kubeconfig, '--http-address', '127.0.0.1:0'];
  const child = spawn(join(BIN, 'tsx'), ['scripts/start.ts', ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (l) => log.push(l));
  createInterface({ input: child.stderr! }).on('line', (l) => log.push(l));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const kc = new PooledKubeConfig();
  let code: number | null;
  try {
    await until(
      'the start banner',
      async () => log.some((l) => l.startsWith('npm start: sandbox hub at https://')) || undefined,
      log,
    );
    kc.loadFromFile(kubeconfig);
    const api = kc.makeApiClient(CustomObjectsApi);
    const mcm = await until(
      'demo-nic-driver Ready=True',
      async () => {
        const m = (await api.getClusterCustomObject({
          group: 'hub.kmm.sigs.x-k8s.io',
          version: 'v1beta1',
          plural: 'managedclustermodules',
          name: 'demo-nic-driver',
        })) as ManagedClusterModule;
        const ready = m.status?.conditions?.find((c) => c.type === 'Ready');
        return ready?.status === 'True' ? m : undefined;
      },
      log,
    );
    expect(mcm.status?.numberDesired).toBeGreaterThan(0);
    expect(mcm.status?.numberApplied).toBe(mcm.status?.numberDesired);
  } finally {
    await kc.close();
    child.kill('SIGTERM');
    code = await exited;
    rmSync(dir, { recursive: true, force: true });
  }
  expect(code).toBe(0);
});
