// Bad input around hub images, against the real docker-registry: each case is a clear status message (and
// Event where a Job is involved) naming the image and the fix, and none touches what is rolled out.
import { BatchV1Api } from '@kubernetes/client-node';
import { createMetrics, Controller } from 'kmm-hub-controller';
import { PooledKubeConfig } from 'kmm-hub-controller/runtime';
import type { ImageStatus, ManagedClusterModule } from 'kmm-hub-controller/model';
import { startTestRegistry, type TestRegistry } from '../registry/docker-registry';
import { testLogger, waitFor } from '../helpers';
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

jest.setTimeout(120_000);

const CLAIM = 'kernel-versions.kmm.node.kubernetes.io';
let registry: TestRegistry;
let hub: Hub;
let kubeConfig: PooledKubeConfig;
let kernel: string;

beforeAll(async () => {
  registry = await startTestRegistry({ kind: 'basic', username: 'robot', password: 'pw-123' });
  hub = await startHub(6, 30, {
    buildExecutor: {
      delayMs: 100,
      failWhen: (job) =>
        job.metadata?.annotations?.['kmm-hub.io/image']?.includes('/broken/')
          ? 'kaniko: error building image: RUN make returned 2'
          : undefined,
    },
  });
  const first = (await clusters(hub)).find((c) =>
    c.status?.clusterClaims?.some((x) => x.name === CLAIM),
  );
  kernel = first!.status!.clusterClaims!.find((x) => x.name === CLAIM)!.value.split('\n')[0]!;
  kubeConfig = new PooledKubeConfig();
  kubeConfig.loadFromString(hub.sandbox.kubeconfig);
  await startImagesController();

  const auth = Buffer.from('robot:pw-123').toString('base64');
  const dockerconfig = JSON.stringify({ auths: { [registry.host]: { auth } } });
  await hub.core.createNamespacedSecret({
    namespace: NAMESPACE,
    body: {
      metadata: { name: 'pull' },
      type: 'kubernetes.io/dockerconfigjson',
      data: { '.dockerconfigjson': Buffer.from(dockerconfig).toString('base64') },
    },
  });
  await hub.core.createNamespacedSecret({
    namespace: NAMESPACE,
    body: { metadata: { name: 'opaque' }, type: 'Opaque', data: { x: 'eA==' } },
  });
  await hub.core.createNamespacedConfigMap({
    namespace: NAMESPACE,
    body: { metadata: { name: 'no-dockerfile' }, data: { Dockerfile: 'FROM scratch\n' } },
  });
  await hub.core.createNamespacedConfigMap({
    namespace: NAMESPACE,
    body: { metadata: { name: 'df' }, data: { dockerfile: 'FROM scratch\n' } },
  });
});

async function startImagesController(): Promise<Controller> {
  const controller = await Controller.start({
    config: testConfig({
      images: {
        pinDigests: true,
        builderImage: 'kaniko:test',
        signerImage: 'signer:test',
        registryTimeoutMs: 1000,
        recheckIntervalMs: 800,
        succeededJobTtlMs: 600_000,
        registryConcurrency: 2,
      },
    }),
    kubeConfig,
    logger: testLogger(),
    metrics: createMetrics({ processMetrics: false }),
  });
  hub.controllers.push(controller);
  return controller;
}

afterAll(async () => {
  await hub?.stop();
  await kubeConfig?.close();
  await registry?.destroy();
});

function mcm(
  name: string,
  repo: string,
  extra: (m: ManagedClusterModule) => void = () => undefined,
) {
  const m: ManagedClusterModule = {
    apiVersion: 'hub.kmm.sigs.x-k8s.io/v1beta1',
    kind: 'ManagedClusterModule',
    metadata: { name },
    spec: {
      spokeNamespace: 'openshift-kmm',
      selector: {},
      moduleSpec: {
        selector: {},
        moduleLoader: {
          container: {
            modprobe: { moduleName: 'drv' },
            registryTLS: { insecure: true },
            kernelMappings: [
              { literal: kernel, containerImage: `${registry.host}/${repo}:${kernel}` },
            ],
          },
        },
      },
    },
  };
  extra(m);
  return m;
}

const imageStatus = (name: string, check: (i: ImageStatus) => boolean) =>
  waitFor(
    `${name}'s image status`,
    async () => {
      const i = (await getMcm(hub, name)).status?.images?.[0];
      return i && check(i) ? i : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 100 },
  );

it('asks for an imageRepoSecret on an unauthorized registry, then pins once it has one', async () => {
  const pushed = await registry.pusher('acme/given').pushImage(kernel);
  await createMcm(hub, mcm('auth', 'acme/given'));
  const refused = await imageStatus('auth', (i) => i.reason === 'RegistryUnauthorized');
  expect(refused.state).toBe('Unknown');
  expect(refused.message).toContain(`${registry.host}/acme/given:${kernel}`);
  expect(refused.message).toContain('set spec.moduleSpec.imageRepoSecret');
  expect((await worksOf(hub, 'auth')).size).toBe(0);
  await waitFor('a RegistryUnauthorized Event on the MCM', async () =>
    (await hub.core.listNamespacedEvent({ namespace: 'default' })).items.some(
      (e) =>
        e.reason === 'RegistryUnauthorized' &&
        e.involvedObject.name === 'auth' &&
        e.message?.includes('imageRepoSecret'),
    ),
  );

  await updateMcm(hub, 'auth', (m) => (m.spec.moduleSpec.imageRepoSecret = { name: 'opaque' }));
  const wrongType = await imageStatus('auth', (i) => i.reason === 'ImageRepoSecretInvalid');
  expect(wrongType.message).toContain('must be kubernetes.io/dockerconfigjson');

  await updateMcm(hub, 'auth', (m) => (m.spec.moduleSpec.imageRepoSecret = { name: 'pull' }));
  const ready = await imageStatus('auth', (i) => i.state === 'Ready');
  expect(ready.digest).toBe(pushed.digest);
  await waitFor('works pinned', async () => (await worksOf(hub, 'auth')).size > 0);
});

it('names the ConfigMap and the key when the Dockerfile is missing', async () => {
  await createMcm(
    hub,
    mcm('nokey', 'acme/nokey', (m) => {
      m.spec.moduleSpec.imageRepoSecret = { name: 'pull' };
      m.spec.moduleSpec.moduleLoader!.container.build = {
        dockerfileConfigMap: { name: 'no-dockerfile' },
      };
    }),
  );
  const failed = await imageStatus('nokey', (i) => i.state === 'Failed');
  expect(failed.reason).toBe('BuildConfigInvalid');
  expect(failed.message).toBe(
    `ConfigMap ${NAMESPACE}/no-dockerfile has no "dockerfile" key: put the Dockerfile of ` +
      `${registry.host}/acme/nokey:${kernel} under it`,
  );
  expect(hub.sandbox.audit.count({ verb: 'create', resource: 'jobs' })).toBe(0);
  await waitFor('a BuildConfigInvalid Event on the MCM', async () =>
    (await hub.core.listNamespacedEvent({ namespace: 'default' })).items.some(
      (e) => e.reason === 'BuildConfigInvalid' && e.involvedObject.name === 'nokey',
    ),
  );
});

it('keeps a failed build for inspection, does not retry it, and builds again when the Dockerfile changes', async () => {
  await createMcm(
    hub,
    mcm('broken', 'broken/drv', (m) => {
      m.spec.moduleSpec.imageRepoSecret = { name: 'pull' };
      m.spec.moduleSpec.moduleLoader!.container.build = { dockerfileConfigMap: { name: 'df' } };
    }),
  );
  const failed = await imageStatus('broken', (i) => i.state === 'Failed');
  expect(failed.reason).toBe('BuildFailed');
  expect(failed.message).toMatch(
    /^Job kmm-hub-build-[0-9a-f]{16} failed \(BackoffLimitExceeded: kaniko: error building image/,
  );
  await waitFor('a BuildimageFailed Event on the MCM', async () =>
    (await hub.core.listNamespacedEvent({ namespace: 'default' })).items.some(
      (e) => e.reason === 'BuildimageFailed' && e.involvedObject.name === 'broken',
    ),
  );
  const creates = hub.sandbox.audit.count({ verb: 'create', resource: 'jobs' });
  await new Promise((r) => setTimeout(r, 2500)); // three re-check intervals
  expect(hub.sandbox.audit.count({ verb: 'create', resource: 'jobs' })).toBe(creates);
  const batch = hub.kubeConfig.makeApiClient(BatchV1Api);
  const jobName = failed.message!.split(' ')[1]!;
  await expect(
    batch.readNamespacedJob({ name: jobName, namespace: NAMESPACE }),
  ).resolves.toBeDefined();

  await hub.core.replaceNamespacedConfigMap({
    name: 'df',
    namespace: NAMESPACE,
    body: { metadata: { name: 'df' }, data: { dockerfile: 'FROM scratch\nRUN true\n' } },
  });
  await waitFor(
    'a new build Job',
    () => hub.sandbox.audit.count({ verb: 'create', resource: 'jobs' }) > creates,
    {
      timeoutMs: 20_000,
    },
  );
  // the superseded failed Job is removed once no MCM needs it
  await waitFor(
    'the old failed Job to go',
    async () => {
      try {
        await batch.readNamespacedJob({ name: jobName, namespace: NAMESPACE });
        return false;
      } catch {
        return true;
      }
    },
    { timeoutMs: 20_000 },
  );
});

it('tells two MCMs that want one image built from different inputs why it cannot be built', async () => {
  await hub.core.createNamespacedConfigMap({
    namespace: NAMESPACE,
    body: { metadata: { name: 'df-other' }, data: { dockerfile: 'FROM scratch\nLABEL other=1\n' } },
  });
  for (const [name, cm] of [
    ['twin-a', 'df'],
    ['twin-b', 'df-other'],
  ] as const)
    await createMcm(
      hub,
      mcm(name, 'acme/shared', (m) => {
        m.spec.moduleSpec.imageRepoSecret = { name: 'pull' };
        m.spec.moduleSpec.moduleLoader!.container.build = { dockerfileConfigMap: { name: cm } };
      }),
    );
  for (const name of ['twin-a', 'twin-b']) {
    const s = await imageStatus(name, (i) => i.reason === 'ConflictingBuildInputs');
    expect(s.state).toBe('Failed');
    expect(s.message).toContain(`${registry.host}/acme/shared:${kernel}`);
    expect(s.message).toContain(name === 'twin-a' ? 'twin-b' : 'twin-a');
  }
});

it('signs a given unsigned image with one sign Job, and says when the unsigned image is missing', async () => {
  for (const [name, key] of [
    ['key', 'key'],
    ['cert', 'cert'],
  ] as const)
    await hub.core.createNamespacedSecret({
      namespace: NAMESPACE,
      body: { metadata: { name }, type: 'Opaque', data: { [key]: 'eA==' } },
    });
  const signOnly = (name: string, unsigned: string) =>
    mcm(name, `acme/${name}`, (m) => {
      m.spec.moduleSpec.imageRepoSecret = { name: 'pull' };
      m.spec.moduleSpec.moduleLoader!.container.sign = {
        unsignedImage: `${registry.host}/${unsigned}:${kernel}`,
        keySecret: { name: 'key' },
        certSecret: { name: 'cert' },
        filesToSign: ['/opt/lib/modules/drv.ko'],
      };
    });
  const creates = hub.sandbox.audit.count({ verb: 'create', resource: 'jobs' });
  await createMcm(hub, signOnly('signed', 'acme/given'));
  const ready = await imageStatus('signed', (i) => i.state === 'Ready');
  expect(ready.digest).toMatch(/^sha256:/);
  expect(hub.sandbox.audit.count({ verb: 'create', resource: 'jobs' })).toBe(creates + 1);
  const batch = hub.kubeConfig.makeApiClient(BatchV1Api);
  const sign = (await batch.listNamespacedJob({ namespace: NAMESPACE })).items.find(
    (j) => j.metadata?.labels?.['kmm-hub.io/image-job'] === 'sign',
  );
  expect(Object.values(sign?.spec?.template.metadata?.annotations ?? {})[0]).toContain(
    `FROM ${registry.host}/acme/given:${kernel} AS source`,
  );

  await createMcm(hub, signOnly('unsigned-missing', 'acme/nothing-here'));
  const missing = await imageStatus('unsigned-missing', (i) => i.state === 'Missing');
  expect(missing.reason).toBe('UnsignedImageMissing');
  expect(missing.message).toContain(`${registry.host}/acme/nothing-here:${kernel}`);
});

it('starts no second Job after a controller restart', async () => {
  const creates = hub.sandbox.audit.count({ verb: 'create', resource: 'jobs' });
  await hub.controllers[0]!.stop();
  const statusWrites = hub.sandbox.audit.writes({
    resource: 'managedclustermodules',
    subresource: 'status',
  });
  const second = await startImagesController();
  await waitFor('the new controller to lead and report', () => second.synced);
  // every MCM reconciled by the new controller: the failed build of "broken" is found again by name, not re-run
  await waitFor(
    'the new controller to reconcile every MCM',
    async () => {
      const { values } = await second.metrics.reconciles.get();
      return values.reduce((t, v) => t + v.value, 0) >= 7; // every MCM of this file
    },
    { timeoutMs: 20_000 },
  );
  expect((await getMcm(hub, 'broken')).status?.images?.[0]?.reason).toBe('BuildFailed');
  await new Promise((r) => setTimeout(r, 2000)); // a few re-check intervals
  expect(hub.sandbox.audit.count({ verb: 'create', resource: 'jobs' })).toBe(creates);
  // the new controller starts from the statuses as written: no status flaps while its checks come back
  expect(
    hub.sandbox.audit.writes({ resource: 'managedclustermodules', subresource: 'status' }),
  ).toBe(statusWrites);
});
