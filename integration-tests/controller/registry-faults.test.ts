// Registry faults against Debian's real docker-registry behind a fault-injecting proxy: timeouts, 500s, a
// 401 (with a token service that refuses too) and TLS failures (a certificate the controller does not trust,
// one for another host name). Each time: no ManifestWork is written or loses its pinned digest, the MCM's
// status says what failed and what to do (per image, and in the ImagesVerified condition naming the
// registry), the registry is asked again with backoff rather than in a loop, and everything clears by itself
// once the registry is healthy.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selfSignedCertificate } from 'kmm-hub-sandbox';
import type { ManagedClusterModule } from 'kmm-hub-controller/model';
import { startTestRegistry, type TestRegistry } from '../registry/docker-registry';
import { startFaultProxy, type FaultMode, type FaultProxy } from '../registry/fault-proxy';
import { sleep, waitFor } from '../helpers';
import {
  condition,
  createMcm,
  driverMcm,
  getMcm,
  startController,
  startHub,
  worksOf,
  type Hub,
} from './harness';

jest.setTimeout(120_000);

const TIMEOUT_MS = 400;
const dir = mkdtempSync(join(tmpdir(), 'kmm-hub-registry-faults-'));
const trusted = selfSignedCertificate();
const untrusted = selfSignedCertificate();
let registry: TestRegistry;
let plain: FaultProxy;
let secure: FaultProxy;
let hub: Hub;
let digest: string;
/** trusted by the controller's CA bundle, but issued for another host than the image names */
let otherHost: { cert: string; key: string };

function certificateFor(host: string): { cert: string; key: string } {
  execFileSync(
    'openssl',
    [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', join(dir, 'other.key'), '-out', join(dir, 'other.crt'), '-days', '2',
      '-subj', `/CN=${host}`, '-addext', `subjectAltName=DNS:${host}`,
    ], // prettier-ignore
    { stdio: 'ignore' },
  );
  return {
    cert: readFileSync(join(dir, 'other.crt'), 'utf8'),
    key: readFileSync(join(dir, 'other.key'), 'utf8'),
  };
}

const mcmFor = (name: string, host: string, insecure: boolean): ManagedClusterModule => {
  const mcm = driverMcm(name, {});
  const container = mcm.spec.moduleSpec.moduleLoader!.container;
  container.kernelMappings[0]!.containerImage = `${host}/acme/drv:v1`;
  if (insecure) container.registryTLS = { insecure: true };
  return mcm;
};

/** What each cluster's ManifestWork sends, as JSON: it must not change while the registry misbehaves. */
async function rolledOut(name: string): Promise<string> {
  const works = await worksOf(hub, name);
  return JSON.stringify([...works].sort(([a], [b]) => a.localeCompare(b)).map(([, w]) => w.spec));
}

const mcmStatusWrites = () =>
  hub.sandbox.audit.writes({ resource: 'managedclustermodules', subresource: 'status' });

const controllerWorkWrites = () =>
  hub.sandbox.audit.writes({ resource: 'manifestworks', subresource: '' });

beforeAll(async () => {
  registry = await startTestRegistry();
  digest = (await registry.pusher('acme/drv').pushImage('v1')).digest;
  plain = await startFaultProxy(registry.host);
  secure = await startFaultProxy(registry.host, trusted);
  otherHost = certificateFor('registry.example.test');
  writeFileSync(join(dir, 'ca.pem'), trusted.cert + otherHost.cert);
  hub = await startHub(6);
  await startController(hub, {
    images: {
      pinDigests: true,
      builderImage: 'example.com/kaniko:test',
      signerImage: 'example.com/signer:test',
      registryCaFile: join(dir, 'ca.pem'),
      registryTimeoutMs: TIMEOUT_MS,
      recheckIntervalMs: 2000,
      succeededJobTtlMs: 600_000,
      registryConcurrency: 4,
    },
  });
  await createMcm(hub, mcmFor('plain', plain.host, true));
  await createMcm(hub, mcmFor('secure', secure.host, false));
});

afterAll(async () => {
  await hub?.stop();
  await plain?.close();
  await secure?.close();
  await registry?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

/** The MCM once its image is Ready with the registry's digest and no problem, and every cluster pinned. */
async function healthy(name: string, host: string): Promise<ManagedClusterModule> {
  return waitFor(
    `${name}: image Ready without a problem, every cluster pinned`,
    async () => {
      const m = await getMcm(hub, name);
      const image = m.status?.images?.[0];
      if (image?.state !== 'Ready' || image.digest !== digest || image.reason) return undefined;
      if (condition(m, 'ImagesVerified')?.status !== 'True') return undefined;
      const works = await worksOf(hub, name);
      if (works.size === 0 || works.size !== m.status?.numberDesired) return undefined;
      const pinned = `"containerImage":"${host}/acme/drv@${digest}"`;
      return [...works.values()].every((w) => JSON.stringify(w.spec).includes(pinned))
        ? m
        : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 200 },
  );
}

it('pins every cluster to the registry digest through the proxies', async () => {
  await healthy('plain', plain.host);
  await healthy('secure', secure.host);
});

/**
 * Injects a fault, waits for the status to explain it, checks that nothing rolled out moved and that the
 * registry is retried with backoff, then heals the registry and waits for the status to clear by itself.
 */
async function survives(
  name: string,
  proxy: FaultProxy,
  inject: () => void,
  expected: { reason: string; message: RegExp },
): Promise<void> {
  const before = await rolledOut(name);
  const writes = controllerWorkWrites();
  inject();
  const reported = await waitFor(
    `${name}: the status to report ${expected.reason}`,
    async () => {
      const m = await getMcm(hub, name);
      return m.status?.images?.[0]?.reason === expected.reason ? m : undefined;
    },
    { timeoutMs: 20_000, intervalMs: 100 },
  );
  const image = reported.status!.images![0]!;
  // Per image: still Ready with the digest last seen, and the error with its fix.
  expect(image).toMatchObject({ state: 'Ready', digest });
  expect(image.message).toMatch(expected.message);
  expect(image.message).toContain('the last digest seen stays rolled out');
  // The condition names the registry, the error and the fix.
  const verified = condition(reported, 'ImagesVerified');
  expect(verified).toMatchObject({ status: 'False', reason: expected.reason });
  expect(verified?.message).toContain(`${proxy.host} (${expected.reason}, 1 image)`);
  expect(verified?.message).toMatch(expected.message);
  expect(verified?.message).toContain('Nothing rolled out is withdrawn');
  expect(condition(reported, 'Ready')?.status).toBe('True');

  // Backoff, not a loop: over 3 s (the first retry after 1 s, doubling up to the 2 s re-check interval) a
  // handful of checks, each a connection and a request or two.
  const asked = proxy.contacts();
  const statusWrites = mcmStatusWrites();
  await sleep(3000);
  const retries = proxy.contacts() - asked;
  expect(retries).toBeGreaterThan(0);
  expect(retries).toBeLessThanOrEqual(16);
  // the same failure again is no news: the status is not rewritten at each retry
  expect(mcmStatusWrites()).toBe(statusWrites);
  expect(await rolledOut(name)).toBe(before);
  expect(controllerWorkWrites()).toBe(writes);

  proxy.mode = 'pass';
  if (proxy === secure) secure.setCertificate(trusted);
  await healthy(name, proxy.host);
  expect(await rolledOut(name)).toBe(before);
  expect(controllerWorkWrites()).toBe(writes);
}

it.each<[FaultMode, string, RegExp]>([
  [
    'hang',
    'RegistryUnreachable',
    new RegExp(`no answer within ${TIMEOUT_MS} ms \\(--registry-timeout\\)`),
  ],
  [
    'error500',
    'RegistryUnreachable',
    /answered HTTP 500 .*check its health and logs; retrying with backoff/,
  ],
  [
    'unauthorized',
    'RegistryUnauthorized',
    /refused to show .*set spec\.moduleSpec\.imageRepoSecret/,
  ],
])(
  'survives a registry that answers %s, then recovers by itself',
  async (mode, reason, message) => {
    await survives('plain', plain, () => (plain.mode = mode), { reason, message });
  },
);

it('survives a certificate the controller does not trust, naming the CA bundle settings', async () => {
  await survives('secure', secure, () => secure.setCertificate(untrusted), {
    reason: 'RegistryTLSFailed',
    message:
      /TLS handshake with 127\.0\.0\.1:\d+ failed: the registry's certificate is not signed by a CA the controller trusts .*--registry-ca-file; chart value controller\.images\.registryCA.*insecureSkipTLSVerify/,
  });
  const events = await hub.core.listNamespacedEvent({ namespace: 'default' });
  expect(events.items.some((e) => e.reason === 'RegistryTLSFailed' && e.type === 'Warning')).toBe(
    true,
  );
});

it('survives a certificate issued for another host name, saying so', async () => {
  await survives('secure', secure, () => secure.setCertificate(otherHost), {
    reason: 'RegistryTLSFailed',
    message:
      /not valid for the host name in the image reference .*127\.0\.0\.1.*reissue the certificate/,
  });
});
