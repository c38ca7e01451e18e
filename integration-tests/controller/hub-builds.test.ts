// Issue 10's "done when", against Debian's real docker-registry and the sandbox's build executor: an MCM
// whose mappings need builds and signatures for 3 distinct kernels across 200 clusters gets exactly 3 build
// and 3 sign Jobs, then ManifestWorks pinned to the registry's digests everywhere; a re-pushed tag rolls out;
// a registry outage changes nothing on the spokes; no key material appears in anything the controller wrote
// or logged.
import { Writable } from 'node:stream';
import { BatchV1Api } from '@kubernetes/client-node';
import pino from 'pino';
import { Controller, createMetrics, type Controller as ControllerType } from 'kmm-hub-controller';
import { PooledKubeConfig } from 'kmm-hub-controller/runtime';
import { startTestRegistry, type TestRegistry } from '../registry/docker-registry';
import { sleep, waitFor } from '../helpers';
import {
  NAMESPACE,
  clusters,
  createMcm,
  getMcm,
  startHub,
  testConfig,
  updateMcm,
  worksOf,
  type Hub,
} from './harness';
import {
  BUILD_IMAGES,
  buildMcm,
  commonKernels,
  createBuildInputs,
  mappingsOf,
} from './hub-build-fixtures';

jest.setTimeout(180_000);

const KEY_MATERIAL = `-----BEGIN PRIVATE KEY-----KMMHUBSECRETKEY${Date.now()}-----END PRIVATE KEY-----`;
const CERT_MATERIAL = `KMMHUBSECRETCERT${Date.now()}`;
const CLAIM = 'kernel-versions.kmm.node.kubernetes.io';

let registry: TestRegistry;
let hub: Hub;
let controller: ControllerType;
let kubeConfig: PooledKubeConfig;
const logs: string[] = [];
let kernels: string[];
/** clusters running each of the 3 kernels */
let clustersOf: Map<string, Set<string>>;

const imageOf = (kernel: string) => `${registry.host}/acme/drv:${kernel}`;

/** The registry's digest of each kernel's image, as a client pulling the tag would get it. */
async function registryDigests(): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const k of kernels) {
    const res = await fetch(`${registry.baseUrl}/v2/acme/drv/manifests/${k}`, {
      method: 'HEAD',
      headers: { accept: 'application/vnd.oci.image.manifest.v1+json' },
    });
    out.set(k, res.headers.get('docker-content-digest') ?? '');
  }
  return out;
}

/** Every cluster running one of the kernels has a work pinning each of its kernels to `digests`. */
async function allPinned(digests: Map<string, string>): Promise<boolean> {
  const works = await worksOf(hub, 'drv');
  for (const [kernel, names] of clustersOf)
    for (const c of names) {
      const pinned = mappingsOf(works.get(c)).get(kernel);
      if (pinned !== `${registry.host}/acme/drv@${digests.get(kernel)}`) return false;
    }
  return true;
}

beforeAll(async () => {
  registry = await startTestRegistry();
  hub = await startHub(200, 30, { buildExecutor: { delayMs: 200 } });
  // the 3 most common kernels of the fleet
  const common = commonKernels(hub.sandbox, 3);
  kernels = [...common.keys()];
  clustersOf = new Map([...common].map(([k, names]) => [k, new Set(names)]));
  await createBuildInputs(hub, { key: KEY_MATERIAL, cert: CERT_MATERIAL });

  kubeConfig = new PooledKubeConfig();
  kubeConfig.loadFromString(hub.sandbox.kubeconfig);
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs.push(chunk.toString());
      done();
    },
  });
  controller = await Controller.start({
    config: testConfig({
      images: { ...BUILD_IMAGES, registryTimeoutMs: 1000 },
    }),
    kubeConfig,
    logger: pino({ level: 'debug' }, sink),
    metrics: createMetrics({ processMetrics: false }),
  });
  hub.controllers.push(controller);
  await waitFor('caches to sync', () => controller.synced);
});

afterAll(async () => {
  await hub?.stop();
  await kubeConfig?.close();
  await registry?.destroy();
});

it('builds and signs each distinct image once, then pins every cluster to the registry digests', async () => {
  expect(kernels).toHaveLength(3);
  const mcm = buildMcm('drv', registry, 'acme/drv', kernels);
  await createMcm(hub, mcm);
  const digests = await waitFor(
    'every cluster pinned to the built and signed images',
    async () => {
      const d = await registryDigests();
      return [...d.values()].every((x) => x.startsWith('sha256:')) && (await allPinned(d))
        ? d
        : undefined;
    },
    { timeoutMs: 120_000, intervalMs: 250 },
  );
  expect(new Set(digests.values()).size).toBe(3);

  const batch = hub.kubeConfig.makeApiClient(BatchV1Api);
  const jobs = (await batch.listNamespacedJob({ namespace: NAMESPACE })).items;
  const byType = (t: string) =>
    jobs.filter((j) => j.metadata?.labels?.['kmm-hub.io/image-job'] === t);
  expect(byType('build')).toHaveLength(3);
  expect(byType('sign')).toHaveLength(3);
  expect(hub.sandbox.audit.count({ verb: 'create', resource: 'jobs' })).toBe(6);
  // sign Jobs sign from the unsigned image the build pushed, and mount the key; they never carry it
  const sign = byType('sign')[0]!;
  expect(JSON.stringify(sign.spec)).toContain('sign-file');
  expect(sign.spec?.template.spec?.volumes?.map((v) => v.secret?.secretName)).toEqual(
    expect.arrayContaining(['signing-key', 'signing-cert']),
  );

  const status = (await getMcm(hub, 'drv')).status!;
  expect(status.images?.map((i) => [i.state, i.digest])).toEqual(
    kernels.map((k) => ['Ready', digests.get(k)]),
  );
  const events = await hub.core.listNamespacedEvent({ namespace: 'default' });
  const reasons = new Set(events.items.map((e) => e.reason));
  for (const r of [
    'BuildimageCreated',
    'BuildimageSucceeded',
    'SignimageCreated',
    'SignimageSucceeded',
  ])
    expect(reasons).toContain(r);
});

it('rolls a re-pushed tag out everywhere', async () => {
  const k = kernels[0]!;
  const pushed = await registry.pusher('acme/drv').pushImage(k);
  const digests = await registryDigests();
  expect(digests.get(k)).toBe(pushed.digest);
  await waitFor('the new digest everywhere', () => allPinned(digests), {
    timeoutMs: 30_000,
    intervalMs: 200,
  });
  // nothing was rebuilt for it: the image exists
  expect(hub.sandbox.audit.count({ verb: 'create', resource: 'jobs' })).toBe(6);
});

it('changes nothing on the spokes while the registry is down, and says why in the status', async () => {
  const before = JSON.stringify([...(await worksOf(hub, 'drv')).values()].map((w) => w.spec));
  const writes = hub.sandbox.audit.writes({ resource: 'manifestworks', subresource: '' });
  await registry.stop();
  try {
    const m = await waitFor(
      'the status to report the outage',
      async () => {
        const s = await getMcm(hub, 'drv');
        return s.status?.images?.every((i) => i.reason === 'RegistryUnreachable') ? s : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    expect(
      m.status?.images?.every((i) => i.state === 'Ready' && i.digest?.startsWith('sha256:')),
    ).toBe(true);
    expect(m.status?.images?.[0]?.message).toMatch(
      /unreachable.*last digest seen stays rolled out/,
    );
    await sleep(3000); // several re-check intervals
    expect(hub.sandbox.audit.writes({ resource: 'manifestworks', subresource: '' })).toBe(writes);
    expect(JSON.stringify([...(await worksOf(hub, 'drv')).values()].map((w) => w.spec))).toBe(
      before,
    );
  } finally {
    await registry.start();
  }
});

it('goes on when the registry stops in the middle of a rollout: held back, then built and pinned', async () => {
  // a fourth kernel, run by some clusters, mapped while the registry is down
  const count = new Map<string, string[]>();
  for (const c of await clusters(hub)) {
    const claim = c.status?.clusterClaims?.find((x) => x.name === CLAIM)?.value ?? '';
    for (const k of claim.split('\n').filter((x) => x && !kernels.includes(x)))
      count.set(k, [...(count.get(k) ?? []), c.metadata.name!]);
  }
  const [fourth, holders] = [...count.entries()].sort((a, b) => b[1].length - a[1].length)[0]!;
  const pinnedBefore = await worksOf(hub, 'drv');
  await registry.stop();
  try {
    await updateMcm(hub, 'drv', (m) =>
      m.spec.moduleSpec.moduleLoader!.container.kernelMappings.push({
        literal: fourth,
        containerImage: imageOf('${KERNEL_FULL_VERSION}'),
      }),
    );
    const waiting = await waitFor(
      'the new image reported as unreachable',
      async () => {
        const m = await getMcm(hub, 'drv');
        const i = m.status?.images?.find((x) => x.image === imageOf(fourth));
        return m.status?.observedGeneration === m.metadata.generation &&
          i?.reason === 'RegistryUnreachable'
          ? i
          : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    expect(waiting.state).toBe('Unknown');
    // what was rolled out is untouched, and the fourth kernel is not sent anywhere yet
    const during = await worksOf(hub, 'drv');
    for (const [c, w] of pinnedBefore) expect(during.get(c)?.spec).toEqual(w.spec);
    for (const c of holders) expect(mappingsOf(during.get(c)).has(fourth)).toBe(false);
  } finally {
    await registry.start();
  }
  kernels = [...kernels, fourth].sort();
  clustersOf.set(fourth, new Set(holders));
  await waitFor(
    'the fourth image built, signed and pinned everywhere',
    async () => {
      const d = await registryDigests();
      return [...d.values()].every((x) => x.startsWith('sha256:')) && (await allPinned(d));
    },
    { timeoutMs: 60_000, intervalMs: 250 },
  );
  expect(hub.sandbox.audit.count({ verb: 'create', resource: 'jobs' })).toBe(8);
});

it('never writes or logs the signing key or certificate', async () => {
  const batch = hub.kubeConfig.makeApiClient(BatchV1Api);
  const written = JSON.stringify([
    [...(await worksOf(hub, 'drv')).values()],
    await getMcm(hub, 'drv'),
    (await hub.core.listNamespacedEvent({ namespace: 'default' })).items,
    (await hub.core.listNamespacedEvent({ namespace: NAMESPACE })).items,
    (await batch.listNamespacedJob({ namespace: NAMESPACE })).items,
  ]);
  expect(logs.length).toBeGreaterThan(0);
  const logged = logs.join('');
  for (const secret of [KEY_MATERIAL, CERT_MATERIAL, 'KMMHUBSECRET']) {
    const b64 = Buffer.from(secret).toString('base64').slice(0, 20);
    for (const text of [written, logged]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(b64);
    }
  }
});
