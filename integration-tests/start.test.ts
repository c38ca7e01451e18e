import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CustomObjectsApi } from '@kubernetes/client-node';
import { PooledKubeConfig } from 'kmm-hub-controller/runtime';
import type { ManagedClusterModule } from 'kmm-hub-controller/model';
import { startBin, waitFor } from './helpers';

// `npm start` without KUBECONFIG, as the README promises: a sandbox hub with a simulated fleet, the demo MCMs
// applied, and the controller rolling them out; SIGTERM (Ctrl-C) stops everything with exit 0.

jest.setTimeout(150_000);

it('starts the sandbox hub, applies the demo MCMs and rolls them out; SIGTERM stops it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kmm-hub-start-'));
  const kubeconfig = join(dir, 'kubeconfig');
  // 30 clusters of seed 1 include GPU clusters with KMM, which demo-nic-driver selects.
  const args = ['--clusters', '30', '--kubeconfig', kubeconfig, '--http-address', '127.0.0.1:0'];
  const npmStart = startBin('tsx', ['scripts/start.ts', ...args], { KUBECONFIG: undefined });
  const until = <T>(what: string, probe: () => Promise<T | undefined>): Promise<T> =>
    waitFor(what, probe, { timeoutMs: 90_000, intervalMs: 250 }).catch((error: Error) => {
      throw new Error(`${error.message}; npm start said:\n${npmStart.lines.slice(-30).join('\n')}`);
    });
  const kc = new PooledKubeConfig();
  let code: number | null;
  try {
    await until(
      'the start banner',
      async () =>
        npmStart.lines.some((l) => l.startsWith('npm start: sandbox hub at https://')) || undefined,
    );
    kc.loadFromFile(kubeconfig);
    const api = kc.makeApiClient(CustomObjectsApi);
    const mcm = await until('demo-nic-driver Ready=True', async () => {
      const m = (await api.getClusterCustomObject({
        group: 'hub.kmm.sigs.x-k8s.io',
        version: 'v1beta1',
        plural: 'managedclustermodules',
        name: 'demo-nic-driver',
      })) as ManagedClusterModule;
      const ready = m.status?.conditions?.find((c) => c.type === 'Ready');
      return ready?.status === 'True' ? m : undefined;
    });
    expect(mcm.status?.numberDesired).toBeGreaterThan(0);
    expect(mcm.status?.numberApplied).toBe(mcm.status?.numberDesired);
    // prebuilt images found in the local registry and pinned
    expect(mcm.status?.images?.every((i) => i.state === 'Ready' && i.digest)).toBe(true);
    // the GPU driver's other kernels are built and signed on the hub by the sandbox's build executor
    const gpu = await until('demo-gpu-driver Ready=True with hub builds', async () => {
      const m = (await api.getClusterCustomObject({
        group: 'hub.kmm.sigs.x-k8s.io',
        version: 'v1beta1',
        plural: 'managedclustermodules',
        name: 'demo-gpu-driver',
      })) as ManagedClusterModule;
      const ready = m.status?.conditions?.find((c) => c.type === 'Ready');
      return ready?.status === 'True' ? m : undefined;
    });
    const built = gpu.status?.images?.filter((i) => i.build && i.sign) ?? [];
    expect(built.length).toBeGreaterThan(0);
    expect(built.every((i) => i.state === 'Ready' && i.digest?.startsWith('sha256:'))).toBe(true);
  } finally {
    await kc.close();
    npmStart.child.kill('SIGTERM');
    code = await npmStart.exited;
    rmSync(dir, { recursive: true, force: true });
  }
  expect(code).toBe(0);
});
