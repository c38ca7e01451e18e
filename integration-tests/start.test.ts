import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { CustomObjectsApi } from '@kubernetes/client-node';
import { PooledKubeConfig } from 'kmm-hub-controller/runtime';
import type { KernelPreflight, ManagedClusterModule } from 'kmm-hub-controller/model';
import { startBin, waitFor } from './helpers';

// `npm start` without KUBECONFIG, as the README promises: a sandbox hub with a simulated fleet, the demo MCMs
// applied, and the controller rolling them out; SIGTERM (Ctrl-C) stops everything with exit 0.

jest.setTimeout(150_000);

it('starts the sandbox hub, applies the demo MCMs and rolls them out; SIGTERM stops it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kmm-hub-start-'));
  const kubeconfig = join(dir, 'kubeconfig');
  // 30 clusters of seed 1 include GPU clusters with KMM, which demo-nic-driver selects.
  const args = [
    ...['--clusters', '30', '--kubeconfig', kubeconfig, '--http-address', '127.0.0.1:0'],
    ...['--shell-port', '0'],
  ];
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
    // The console shell serves its page and the plugin's manifest (the browser suites click through it).
    const shellUrl = /Console shell .*: (http:\/\/\S+)$/.exec(
      npmStart.lines.find((l) => l.includes('Console shell')) ?? '',
    )?.[1];
    expect(shellUrl).toBeDefined();
    expect(await (await fetch(`${shellUrl}/`)).text()).toContain('/static/shell.js');
    const manifest = (await (
      await fetch(`${shellUrl}/api/plugins/kmm-hub-console-plugin/plugin-manifest.json`)
    ).json()) as { name: string };
    expect(manifest.name).toBe('kmm-hub-console-plugin');
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
    // the demo KernelPreflight: the GPU driver's image for the next kernel is built ahead of time, the NIC
    // driver's (prebuilt only, no build) is reported missing
    const preflight = await until('the demo KernelPreflight summary', async () => {
      const p = (await api.getClusterCustomObject({
        group: 'hub.kmm.sigs.x-k8s.io',
        version: 'v1alpha1',
        plural: 'kernelpreflights',
        name: 'demo-next-release',
      })) as KernelPreflight;
      const states = p.status?.kernels?.[0]?.modules.map((m) => `${m.name}=${m.state}`);
      return states?.join() === 'demo-gpu-driver=Ready,demo-nic-driver=Missing' ? p : undefined;
    });
    expect(preflight.status?.kernels?.[0]).toMatchObject({ ready: 1, failed: 1 });
  } finally {
    await kc.close();
    npmStart.child.kill('SIGTERM');
    code = await npmStart.exited;
    rmSync(dir, { recursive: true, force: true });
  }
  expect(code).toBe(0);
});

describe('npm start with KUBECONFIG set', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kmm-hub-start-kubeconfig-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A kubeconfig whose context `name` points at `server`, plus a cluster named `shared` in every file. */
  const kubeconfig = (file: string, name: string, server: string): string => {
    const path = join(dir, file);
    writeFileSync(
      path,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [
          { name, cluster: { server } },
          { name: 'shared', cluster: { server } },
        ],
        users: [{ name, user: { token: 't' } }],
        contexts: [{ name, context: { cluster: name, user: name } }],
        'current-context': name,
      }),
    );
    return path;
  };

  const freePort = (): Promise<number> =>
    new Promise((resolvePort) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo;
        server.close(() => resolvePort(port));
      });
    });

  it('first names the server and context of the first kubeconfig, then runs the controller on --http-address', async () => {
    // Nothing listens on port 1: the controller keeps retrying its lists, and still serves /healthz.
    const files = [
      kubeconfig('first', 'first', 'https://127.0.0.1:1'),
      kubeconfig('second', 'second', 'https://127.0.0.1:2'),
    ].join(delimiter);
    const port = await freePort();
    const npmStart = startBin('tsx', ['scripts/start.ts', '--http-address', `127.0.0.1:${port}`], {
      KUBECONFIG: files,
    });
    let code: number | null;
    try {
      await waitFor(
        `/healthz on 127.0.0.1:${port}`,
        async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200,
        { timeoutMs: 60_000, intervalMs: 250 },
      ).catch((error: Error) => {
        throw new Error(`${error.message}; npm start said:\n${npmStart.lines.join('\n')}`);
      });
      expect(npmStart.lines[0]).toBe(
        'npm start: KUBECONFIG is set: running the controller against https://127.0.0.1:1 ' +
          `(context first; KUBECONFIG=${files})`,
      );
    } finally {
      npmStart.child.kill('SIGTERM');
      code = await npmStart.exited;
    }
    expect(code).toBe(0);
  });

  it('refuses the flags of the local sandbox rather than ignoring them', async () => {
    const npmStart = startBin('tsx', ['scripts/start.ts', '--clusters', '9', '--no-demo'], {
      KUBECONFIG: kubeconfig('third', 'third', 'https://127.0.0.1:3'),
    });
    expect(await npmStart.exited).toBe(2);
    expect(npmStart.lines).toEqual([
      'npm start: --clusters, --no-demo configure the local sandbox hub, which npm start does not start ' +
        'when KUBECONFIG is set; unset KUBECONFIG to use the sandbox, or leave them out',
    ]);
  });

  it('exits 1 naming the kubeconfig it cannot load, before starting anything', async () => {
    const missing = join(dir, 'missing');
    const npmStart = startBin('tsx', ['scripts/start.ts'], { KUBECONFIG: missing });
    expect(await npmStart.exited).toBe(1);
    expect(npmStart.lines).toEqual([
      expect.stringMatching(new RegExp(`^npm start: cannot load kubeconfig ${missing}: .*ENOENT`)),
    ]);
  });
});
