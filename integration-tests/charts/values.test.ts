// What the kmm-hub chart renders from its values: every controller flag has a value, inconsistent values are
// refused at template time naming the value, and the certificate sources wire the webhook as documented.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../../scripts/tools';
import { CHARTS, helmTemplate, helmTemplateError, ofKind, type Manifest } from './render';

jest.setTimeout(60_000);
const exec = promisify(execFile);

type Container = {
  name: string;
  args: string[];
  image: string;
  env?: { name: string; value?: string }[];
  volumeMounts?: { name: string; mountPath: string }[];
};
const controllerContainer = (objects: Manifest[]): Container => {
  const [deployment] = ofKind(objects, 'Deployment');
  const spec = (deployment!.spec as { template: { spec: { containers: Container[] } } }).template
    .spec;
  return spec.containers.find((c) => c.name === 'controller')!;
};

test('every flag of `kmm-hub-controller run` is set by the chart, or deliberately by the pod', async () => {
  const { stdout } = await exec(
    process.execPath,
    [join(REPO_ROOT, 'controller/bin/kmm-hub-controller.js'), 'run', '--help'],
    {
      cwd: REPO_ROOT,
    },
  );
  const flags = [...new Set([...stdout.matchAll(/--([a-z][a-z-]+)/g)].map((m) => m[1]!))].filter(
    (f) => f !== 'help',
  );
  expect(flags.length).toBeGreaterThan(15);
  const { objects } = await helmTemplate(CHARTS.hub);
  const c = controllerContainer(objects);
  const set = new Set(
    c.args.filter((a) => a.startsWith('--')).map((a) => a.slice(2).split('=')[0]),
  );
  const env = (name: string) => (c.env ?? []).some((e) => e.name === name);
  // the pod's service account and name: client-node's in-cluster config and the POD_NAME variable; the Job
  // images through the variables OLM's related images use
  const byThePod: Record<string, boolean> = {
    kubeconfig: true,
    identity: env('POD_NAME'),
    'builder-image': env('RELATED_IMAGE_BUILD'),
    'signer-image': env('RELATED_IMAGE_SIGN'),
  };
  const missing = flags.filter((f) => !set.has(f) && !byThePod[f]);
  expect(missing).toEqual([]);
});

test('values reach the flags', async () => {
  const { objects } = await helmTemplate(CHARTS.hub, {
    set: [
      'controller.concurrency=9',
      'controller.resyncPeriod=1h',
      'controller.leaderElection.id=other-lease',
      'webhook.port=9555',
    ],
  });
  const { args } = controllerContainer(objects);
  expect(args).toEqual(
    expect.arrayContaining([
      '--concurrency=9',
      '--resync-period=1h',
      '--leader-election-id=other-lease',
      '--webhook-address=0.0.0.0:9555',
      '--namespace=kmm-hub',
    ]),
  );
});

test('an image digest wins over the tag unless pinning is off', async () => {
  const digest = `sha256:${'0f'.repeat(32)}`;
  const pinned = controllerContainer(
    (await helmTemplate(CHARTS.hub, { set: [`image.digest=${digest}`, 'image.tag=1.2.3'] }))
      .objects,
  );
  expect(pinned.image).toBe(`quay.io/kmm-hub/kmm-hub-controller@${digest}`);
  const tagged = controllerContainer(
    (
      await helmTemplate(CHARTS.hub, {
        set: [`image.digest=${digest}`, 'image.tag=1.2.3', 'image.pinByDigest=false'],
      })
    ).objects,
  );
  expect(tagged.image).toBe('quay.io/kmm-hub/kmm-hub-controller:1.2.3');
  const byDefault = controllerContainer((await helmTemplate(CHARTS.hub)).objects);
  expect(byDefault.image).toBe('quay.io/kmm-hub/kmm-hub-controller:0.1.0');
});

describe('image checks, pinning, Job images and the registry CA', () => {
  type Pod = {
    containers: Container[];
    volumes: { name: string; configMap?: unknown; secret?: unknown }[];
  };
  const podOf = (objects: Manifest[]) =>
    (ofKind(objects, 'Deployment')[0]!.spec as { template: { spec: Pod } }).template.spec;
  const envOf = (c: Container) => Object.fromEntries((c.env ?? []).map((e) => [e.name, e.value]));

  it('by default: checks and pinning on, the Job images as related images, the injected CA bundle', async () => {
    const { objects } = await helmTemplate(CHARTS.hub);
    const c = controllerContainer(objects);
    expect(c.args).toEqual(
      expect.arrayContaining([
        '--image-checks=true',
        '--pin-digests=true',
        '--registry-timeout=10s',
        '--image-recheck-interval=5m',
        '--succeeded-job-ttl=10m',
        '--registry-concurrency=8',
        '--registry-ca-file=/var/run/kmm-hub/registry-ca/ca-bundle.crt',
      ]),
    );
    expect(envOf(c)).toMatchObject({
      RELATED_IMAGE_BUILD: 'gcr.io/kaniko-project/executor:v1.23.2',
      RELATED_IMAGE_SIGN: 'quay.io/edge-infrastructure/kernel-module-management-signimage:latest',
    });
    expect(c.volumeMounts).toContainEqual(
      expect.objectContaining({ name: 'registry-ca', mountPath: '/var/run/kmm-hub/registry-ca' }),
    );
    const ca = ofKind(objects, 'ConfigMap').find((o) => o.metadata.name === 'kmm-hub-registry-ca')!;
    expect((ca.metadata as { labels?: Record<string, string> }).labels).toMatchObject({
      'config.openshift.io/inject-trusted-cabundle': 'true',
    });
    expect(ca.data).toBeUndefined();
    expect(podOf(objects).volumes).toContainEqual({
      name: 'registry-ca',
      configMap: {
        name: 'kmm-hub-registry-ca',
        items: [{ key: 'ca-bundle.crt', path: 'ca-bundle.crt' }],
      },
    });
  });

  it('values reach the flags; the Job images by digest; a CA bundle from a Secret', async () => {
    const digest = `sha256:${'3c'.repeat(32)}`;
    const { objects } = await helmTemplate(CHARTS.hub, {
      set: [
        'controller.images.pinDigests=false',
        'controller.images.registryTimeout=3s',
        'controller.images.recheckInterval=1m',
        'controller.images.succeededJobTtl=1h',
        'controller.images.registryConcurrency=2',
        `controller.images.builder.digest=${digest}`,
        'controller.images.signer.repository=registry.example.com/signer',
        'controller.images.signer.tag=v2',
        'controller.images.registryCA.source=secret',
        'controller.images.registryCA.name=corp-ca',
        'controller.images.registryCA.key=ca.pem',
      ],
    });
    const c = controllerContainer(objects);
    expect(c.args).toEqual(
      expect.arrayContaining([
        '--pin-digests=false',
        '--registry-timeout=3s',
        '--image-recheck-interval=1m',
        '--succeeded-job-ttl=1h',
        '--registry-concurrency=2',
        '--registry-ca-file=/var/run/kmm-hub/registry-ca/ca-bundle.crt',
      ]),
    );
    expect(envOf(c)).toMatchObject({
      RELATED_IMAGE_BUILD: `gcr.io/kaniko-project/executor@${digest}`,
      RELATED_IMAGE_SIGN: 'registry.example.com/signer:v2',
    });
    expect(podOf(objects).volumes).toContainEqual({
      name: 'registry-ca',
      secret: { secretName: 'corp-ca', items: [{ key: 'ca.pem', path: 'ca-bundle.crt' }] },
    });
    expect(ofKind(objects, 'ConfigMap')).toEqual([]);
  });

  it('without a CA source: no --registry-ca-file, no volume', async () => {
    const { objects } = await helmTemplate(CHARTS.hub, {
      set: ['controller.images.registryCA.source=none'],
    });
    const c = controllerContainer(objects);
    expect(c.args.some((a) => a.startsWith('--registry-ca-file'))).toBe(false);
    expect(c.volumeMounts?.map((m) => m.name)).toEqual(['webhook-tls']);
    expect(ofKind(objects, 'ConfigMap')).toEqual([]);
  });

  it('with checks off: only --image-checks=false, no Job images, no CA bundle', async () => {
    const { objects } = await helmTemplate(CHARTS.hub, {
      set: ['controller.images.checks=false', 'controller.images.pinDigests=false'],
    });
    const c = controllerContainer(objects);
    const imageFlags = c.args.filter((a) =>
      /^--(image-|pin-|registry-|succeeded-|builder-|signer-)/.test(a),
    );
    expect(imageFlags).toEqual(['--image-checks=false']);
    expect(Object.keys(envOf(c))).toEqual(['POD_NAME']);
    expect(podOf(objects).volumes.map((v) => v.name)).not.toContain('registry-ca');
    expect(ofKind(objects, 'ConfigMap')).toEqual([]);
    // and the controller's Role grants nothing for Jobs and their inputs
    const resources = (o: Manifest) =>
      (o as unknown as { rules: { resources: string[] }[] }).rules.flatMap((r) => r.resources);
    expect(ofKind(objects, 'Role').flatMap(resources).sort()).toEqual(['events', 'leases']);
    const { objects: on } = await helmTemplate(CHARTS.hub);
    expect(ofKind(on, 'Role').flatMap(resources).sort()).toEqual([
      'configmaps',
      'events',
      'jobs',
      'leases',
      'secrets',
    ]);
  });

  it('the Jobs rules stay in the release namespace when the Lease and Events are elsewhere', async () => {
    const { objects } = await helmTemplate(CHARTS.hub, {
      set: [
        'controller.leaderElection.namespace=kmm-leases',
        'controller.eventsNamespace=kmm-events',
      ],
    });
    const roles = ofKind(objects, 'Role').map((o) => [
      o.metadata.name,
      o.metadata.namespace,
      (o as unknown as { rules: { resources: string[] }[] }).rules.flatMap((r) => r.resources),
    ]);
    expect(roles).toEqual([
      ['kmm-hub', 'kmm-hub', ['jobs', 'configmaps', 'secrets']],
      ['kmm-hub-leases', 'kmm-leases', ['leases']],
      ['kmm-hub-events', 'kmm-events', ['events']],
    ]);
    expect(ofKind(objects, 'RoleBinding').map((o) => o.metadata.name)).toEqual([
      'kmm-hub',
      'kmm-hub-leases',
      'kmm-hub-events',
    ]);
  });
});

describe('inconsistent values fail at template time, naming the value', () => {
  it.each([
    [['webhook.certificate.source='], 'kmm-hub', /webhook\.certificate\.source is empty/],
    [['webhook.certificate.source=secret'], 'kmm-hub', /webhook\.certificate\.secretName is empty/],
    [
      ['webhook.certificate.source=secret', 'webhook.certificate.secretName=s'],
      'kmm-hub',
      /webhook\.certificate\.caBundle is empty/,
    ],
    [
      [`image.digest=sha256:${'1'.repeat(64)}`, 'image.pinByDigest=false'],
      'kmm-hub',
      /image\.pinByDigest is false but image\.tag is empty/,
    ],
    [
      [],
      'Not_A_Label',
      /the release namespace \(--namespace\) "Not_A_Label" is not a namespace name/,
    ],
    [['controller.eventsNamespace=Events'], 'kmm-hub', /\/controller\/eventsNamespace/],
    [
      ['replicas=2', 'controller.leaderElection.enabled=false'],
      'kmm-hub',
      /controller\.leaderElection\.enabled is false/,
    ],
    [['metrics.tls.source=secret'], 'kmm-hub', /metrics\.tls\.secretName is empty/],
    [['image.digest=sha256:short'], 'kmm-hub', /\/image\/digest/],
    [['controller.resyncPeriod=ten minutes'], 'kmm-hub', /\/controller\/resyncPeriod/],
    [['webhook.failurePolicy=Sometimes'], 'kmm-hub', /\/webhook\/failurePolicy/],
    [['controller.concurency=3'], 'kmm-hub', /concurency/],
    [
      ['controller.images.checks=false'],
      'kmm-hub',
      /controller\.images\.pinDigests is true but controller\.images\.checks is false/,
    ],
    [
      ['controller.images.registryCA.source=configMap'],
      'kmm-hub',
      /controller\.images\.registryCA\.source is configMap but controller\.images\.registryCA\.name is empty/,
    ],
    [
      ['controller.images.registryCA.source=secret'],
      'kmm-hub',
      /controller\.images\.registryCA\.source is secret but controller\.images\.registryCA\.name is empty/,
    ],
    [
      ['controller.images.registryCA.key=other.pem'],
      'kmm-hub',
      /controller\.images\.registryCA\.source is inject but controller\.images\.registryCA\.key is "other\.pem"/,
    ],
    [
      [
        `controller.images.builder.digest=sha256:${'4'.repeat(64)}`,
        'controller.images.builder.tag=',
        'controller.images.builder.pinByDigest=false',
      ],
      'kmm-hub',
      /controller\.images\.builder\.pinByDigest is false but controller\.images\.builder\.tag is empty/,
    ],
    [
      ['controller.images.registryCA.source=system'],
      'kmm-hub',
      /\/controller\/images\/registryCA\/source/,
    ],
    [
      ['controller.images.registryTimeout=soon'],
      'kmm-hub',
      /\/controller\/images\/registryTimeout/,
    ],
    [
      ['controller.images.signer.digest=sha256:abc'],
      'kmm-hub',
      /\/controller\/images\/signer\/digest/,
    ],
  ])('%j in namespace %s', async (set, namespace, message) => {
    expect(await helmTemplateError(CHARTS.hub, set, namespace)).toMatch(message);
  });

  it('the console plugin chart refuses a digest-only image without pinning', async () => {
    expect(
      await helmTemplateError(CHARTS.plugin, [
        `image.digest=sha256:${'2'.repeat(64)}`,
        'image.pinByDigest=false',
      ]),
    ).toMatch(/image\.pinByDigest is false but image\.tag is empty/);
  });
});

describe('webhook certificate sources', () => {
  const webhookOf = (objects: Manifest[]) => ofKind(objects, 'ValidatingWebhookConfiguration')[0]!;

  it('service-ca: the service CA injects the CA bundle and signs the Service a Secret', async () => {
    const { objects } = await helmTemplate(CHARTS.hub);
    expect(webhookOf(objects).metadata.annotations).toEqual({
      'service.beta.openshift.io/inject-cabundle': 'true',
    });
    const service = ofKind(objects, 'Service').find((s) => s.metadata.name === 'kmm-hub-webhook')!;
    expect(service.metadata.annotations).toEqual({
      'service.beta.openshift.io/serving-cert-secret-name': 'kmm-hub-webhook-tls',
    });
  });

  it('cert-manager: a Certificate for the Service name, a self-signed Issuer unless one is given, CA injected', async () => {
    const { objects } = await helmTemplate(CHARTS.hub, {
      set: ['webhook.certificate.source=cert-manager'],
    });
    expect(webhookOf(objects).metadata.annotations).toEqual({
      'cert-manager.io/inject-ca-from': 'kmm-hub/kmm-hub-webhook',
    });
    const [certificate] = ofKind(objects, 'Certificate');
    expect(certificate!.spec).toMatchObject({
      secretName: 'kmm-hub-webhook-tls',
      dnsNames: ['kmm-hub-webhook.kmm-hub.svc', 'kmm-hub-webhook.kmm-hub.svc.cluster.local'],
      issuerRef: { kind: 'Issuer', name: 'kmm-hub-selfsigned' },
    });
    expect(ofKind(objects, 'Issuer')).toHaveLength(1);
    const given = await helmTemplate(CHARTS.hub, {
      set: [
        'webhook.certificate.source=cert-manager',
        'webhook.certificate.certManager.issuerRef.kind=ClusterIssuer',
        'webhook.certificate.certManager.issuerRef.name=corp-ca',
      ],
    });
    expect(ofKind(given.objects, 'Issuer')).toHaveLength(0);
    expect(ofKind(given.objects, 'Certificate')[0]!.spec).toMatchObject({
      issuerRef: { kind: 'ClusterIssuer', name: 'corp-ca' },
    });
  });

  it('secret: the given CA bundle and Secret', async () => {
    const { objects } = await helmTemplate(CHARTS.hub, {
      set: [
        'webhook.certificate.source=secret',
        'webhook.certificate.secretName=mine',
        'webhook.certificate.caBundle=Q0E=',
      ],
    });
    const hook = (
      webhookOf(objects) as unknown as { webhooks: { clientConfig: { caBundle: string } }[] }
    ).webhooks[0]!;
    expect(hook.clientConfig.caBundle).toBe('Q0E=');
    const [deployment] = ofKind(objects, 'Deployment');
    expect(JSON.stringify(deployment)).toContain('"secretName":"mine"');
  });
});
