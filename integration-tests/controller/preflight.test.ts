// Issue 14's fleet preflight, against the sandbox hub, its build executor and Debian's real docker-registry: a
// KernelPreflight declares a kernel no spoke runs yet; the controller builds its image on the hub (one Job,
// pushed to the registry) and the MCM's status says it is Ready, while no ManifestWork changes; a kernel no
// mapping matches is reported as NoMapping. When a spoke later upgrades to the prepared kernel, it gets the
// image built ahead of time, without another build.
import { BatchV1Api } from '@kubernetes/client-node';
import { PREFLIGHT_RESOURCE } from 'kmm-hub-controller';
import {
  JOB_IMAGE_ANNOTATION,
  kernelVersionsOf,
  type KernelPreflight,
  type ManagedClusterModule,
  type ManifestWork,
} from 'kmm-hub-controller/model';
import { startTestRegistry, type TestRegistry } from '../registry/docker-registry';
import { sleep, waitFor } from '../helpers';
import {
  NAMESPACE,
  clusters,
  condition,
  createMcm,
  getMcm,
  literalsOf,
  startController,
  startHub,
  worksOf,
  type Hub,
} from './harness';

jest.setTimeout(180_000);

const UPCOMING = '5.14.0-611.99.1.el9_7.x86_64';
const UNMAPPED = '6.12.0-55.1.1.el10_0.x86_64';
const MCM = 'pf-drv';

let registry: TestRegistry;
let hub: Hub;
let fleetKernels: string[];

const imageOf = (kernel: string) => `${registry.host}/acme/pf:${kernel}`;
const jobsFor = async (image: string) =>
  (
    await hub.kubeConfig.makeApiClient(BatchV1Api).listNamespacedJob({ namespace: NAMESPACE })
  ).items.filter((j) => j.metadata?.annotations?.[JOB_IMAGE_ANNOTATION] === image);
const getPreflight = async (name: string) =>
  (await hub.api.getClusterCustomObject({ ...PREFLIGHT_RESOURCE, name })) as KernelPreflight;
const specs = (works: Map<string, ManifestWork>) =>
  JSON.stringify([...works.entries()].map(([c, w]) => [c, w.spec]));

beforeAll(async () => {
  registry = await startTestRegistry();
  hub = await startHub(20, 30, { buildExecutor: { delayMs: 200 } });
  fleetKernels = [...new Set((await clusters(hub)).flatMap((c) => kernelVersionsOf(c) ?? []))];
  expect(fleetKernels).not.toContain(UPCOMING);
  // the kernels spokes run have their images already; only the upcoming one needs a build
  for (const k of fleetKernels) await registry.pusher('acme/pf').pushImage(k);
  await hub.core.createNamespacedConfigMap({
    namespace: NAMESPACE,
    body: {
      metadata: { name: 'pf-dockerfile' },
      data: { dockerfile: 'FROM scratch\nCOPY pf.ko /opt/lib/modules/\n' },
    },
  });
  await startController(hub, {
    images: {
      pinDigests: true,
      builderImage: 'example.com/kaniko:test',
      signerImage: 'example.com/signer:test',
      registryTimeoutMs: 1000,
      recheckIntervalMs: 1000,
      succeededJobTtlMs: 600_000,
      registryConcurrency: 4,
    },
  });
});

afterAll(async () => {
  await hub?.stop();
  await registry?.destroy();
});

const mcm: () => ManagedClusterModule = () => ({
  apiVersion: 'hub.kmm.sigs.x-k8s.io/v1beta1',
  kind: 'ManagedClusterModule',
  metadata: { name: MCM },
  spec: {
    spokeNamespace: 'openshift-kmm',
    selector: {},
    moduleSpec: {
      selector: { 'node-role.kubernetes.io/worker': '' },
      moduleLoader: {
        container: {
          modprobe: { moduleName: 'acme_pf' },
          registryTLS: { insecure: true },
          kernelMappings: [
            {
              regexp: '^5\\.14\\.0-',
              containerImage: imageOf('${KERNEL_FULL_VERSION}'),
              build: { dockerfileConfigMap: { name: 'pf-dockerfile' } },
            },
          ],
        },
      },
    },
  },
});

it('builds the image of a declared kernel no spoke runs, reports it Ready, and changes no ManifestWork', async () => {
  await createMcm(hub, mcm());
  const rolledOut = await waitFor(
    'the MCM rolled out with the prebuilt images',
    async () => {
      const m = await getMcm(hub, MCM);
      const works = await worksOf(hub, MCM);
      return works.size > 0 &&
        m.status?.numberDesired === works.size &&
        m.status.images?.every((i) => i.state === 'Ready')
        ? works
        : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 200 },
  );
  const before = specs(rolledOut);
  const workWrites = () => hub.sandbox.audit.writes({ resource: 'manifestworks', subresource: '' });
  const writesBefore = workWrites();
  expect(await jobsFor(imageOf(UPCOMING))).toHaveLength(0);

  await hub.api.createClusterCustomObject({
    ...PREFLIGHT_RESOURCE,
    body: {
      apiVersion: 'hub.kmm.sigs.x-k8s.io/v1alpha1',
      kind: 'KernelPreflight',
      metadata: { name: 'ocp-next' },
      spec: {
        kernels: [{ version: UPCOMING, release: 'OpenShift 4.99.0' }, { version: UNMAPPED }],
      },
    },
  });

  const m = await waitFor(
    'the upcoming kernel reported Ready in the MCM status',
    async () => {
      const x = await getMcm(hub, MCM);
      return x.status?.preflight?.find((p) => p.kernelVersion === UPCOMING)?.state === 'Ready'
        ? x
        : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 200 },
  );
  // built on the hub by one Job and pushed to the real registry, under the digest the status reports
  const res = await fetch(`${registry.baseUrl}/v2/acme/pf/manifests/${UPCOMING}`, {
    method: 'HEAD',
    headers: { accept: 'application/vnd.oci.image.manifest.v1+json' },
  });
  expect(res.status).toBe(200);
  const upcoming = m.status!.preflight!.find((p) => p.kernelVersion === UPCOMING)!;
  expect(upcoming).toMatchObject({
    release: 'OpenShift 4.99.0',
    image: imageOf(UPCOMING),
    digest: res.headers.get('docker-content-digest'),
  });
  const jobs = await jobsFor(imageOf(UPCOMING));
  expect(jobs.map((j) => j.metadata?.labels?.['kmm-hub.io/image-job'])).toEqual(['build']);
  expect(hub.sandbox.audit.count({ verb: 'create', resource: 'jobs' })).toBe(1);

  // the kernel no mapping matches, with a message saying what to do
  expect(m.status!.preflight!.find((p) => p.kernelVersion === UNMAPPED)).toMatchObject({
    state: 'NoMapping',
    message: expect.stringMatching(
      /no entry of .*kernelMappings matches 6\.12\.0.*add a literal or regexp mapping/,
    ),
  });
  expect(condition(m, 'PreflightReady')).toMatchObject({
    status: 'False',
    reason: 'NoImageForKernel',
  });
  // what spokes run is untouched: not one ManifestWork write, no mapping for the upcoming kernel anywhere
  await sleep(1000);
  expect(workWrites()).toBe(writesBefore);
  const after = await worksOf(hub, MCM);
  expect(specs(after)).toBe(before);
  for (const w of after.values()) expect(literalsOf(w)).not.toContain(UPCOMING);
  expect(condition(m, 'Ready')?.status).toBe('True');

  // the fleet-wide summary on the KernelPreflight
  const pf = await waitFor('the KernelPreflight summary', async () => {
    const p = await getPreflight('ocp-next');
    return p.status?.kernels?.[1]?.failed === 1 && p.status.kernels[0]?.ready === 1 ? p : undefined;
  });
  expect(pf.status?.kernels?.map((k) => [k.version, k.ready, k.inProgress, k.failed])).toEqual([
    [UPCOMING, 1, 0, 0],
    [UNMAPPED, 0, 0, 1],
  ]);
  expect(pf.status?.conditions?.[0]).toMatchObject({
    type: 'Ready',
    status: 'False',
    reason: 'NotReady',
  });
  expect(pf.status?.observedGeneration).toBe(pf.metadata.generation);
});

it('is Ready once every declared kernel has an image, and a spoke that upgrades gets it without a build', async () => {
  const pf = await getPreflight('ocp-next');
  pf.spec.kernels = [{ version: UPCOMING, release: 'OpenShift 4.99.0' }];
  await hub.api.replaceClusterCustomObject({ ...PREFLIGHT_RESOURCE, name: 'ocp-next', body: pf });
  await waitFor('PreflightReady=True and the summary Ready', async () => {
    const m = await getMcm(hub, MCM);
    const p = await getPreflight('ocp-next');
    return (
      condition(m, 'PreflightReady')?.status === 'True' &&
      m.status?.preflight?.length === 1 &&
      p.status?.conditions?.[0]?.status === 'True'
    );
  });

  const [first] = await clusters(hub);
  const name = first!.metadata.name!;
  const from = kernelVersionsOf(first!)![0]!;
  expect(await hub.sandbox.fleet.upgradeKernel(name, from, UPCOMING)).toBeGreaterThan(0);
  const digest = (await getMcm(hub, MCM)).status!.preflight![0]!.digest!;
  await waitFor(
    'the upgraded spoke pinned to the image built ahead of time',
    async () => {
      const w = (await worksOf(hub, MCM)).get(name);
      return JSON.stringify(w?.spec ?? {}).includes(`${registry.host}/acme/pf@${digest}`);
    },
    { timeoutMs: 30_000, intervalMs: 200 },
  );
  expect(hub.sandbox.audit.count({ verb: 'create', resource: 'jobs' })).toBe(1);
});

it('refuses an invalid KernelPreflight at the API server, naming the field', async () => {
  await expect(
    hub.api.createClusterCustomObject({
      ...PREFLIGHT_RESOURCE,
      body: {
        apiVersion: 'hub.kmm.sigs.x-k8s.io/v1alpha1',
        kind: 'KernelPreflight',
        metadata: { name: 'bad' },
        spec: { kernels: [{ version: `${UPCOMING}+` }] },
      },
    }),
  ).rejects.toMatchObject({ code: 422, body: expect.stringContaining('spec.kernels[0].version') });
});
