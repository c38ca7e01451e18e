// What the kmm-hub chart renders from its values: every controller flag has a value, inconsistent values are
// refused at template time naming the value, and the certificate sources wire the webhook as documented.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../../scripts/tools';
import { CHARTS, helmTemplate, helmTemplateError, ofKind, type Manifest } from './render';

jest.setTimeout(60_000);
const exec = promisify(execFile);

type Container = { name: string; args: string[]; image: string; env?: { name: string }[] };
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
  // the pod's service account and name: client-node's in-cluster config and the POD_NAME variable
  const byThePod: Record<string, boolean> = {
    kubeconfig: true,
    identity: (c.env ?? []).some((e) => e.name === 'POD_NAME'),
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
