// Both charts with the real helm 4: lint, template with default and non-default values, and every rendered
// object applied to the sandbox API server with the real kubectl's server-side apply.
import { installCrdFiles, defaultCrdFiles } from 'kmm-hub-sandbox';
import { startKubectlEnv, type KubectlEnv } from '../kubectl/harness';
import { CHARTS, helmLint, helmTemplate, ofKind, toYamlStream, type Manifest } from './render';

jest.setTimeout(120_000);

let env: KubectlEnv;
beforeAll(async () => {
  env = await startKubectlEnv({ crdFiles: [...defaultCrdFiles(), ...installCrdFiles()] });
});
afterAll(() => env.stop());

const DIGEST = `sha256:${'ab'.repeat(32)}`;

const VARIANTS: { chart: keyof typeof CHARTS; name: string; namespace: string; set: string[] }[] = [
  { chart: 'hub', name: 'kmm-hub, defaults', namespace: 'kmm-hub', set: [] },
  {
    chart: 'hub',
    name: 'kmm-hub, everything on, other namespaces, digest, secret certificates',
    namespace: 'kmm-hub-other',
    set: [
      `image.digest=${DIGEST}`,
      'replicas=3',
      'controller.eventsNamespace=kmm-hub-events',
      'controller.leaderElection.namespace=kmm-hub-other',
      'controller.logLevel=debug',
      'controller.extraArgs[0]=--concurrency=8',
      'webhook.certificate.source=secret',
      'webhook.certificate.secretName=my-webhook-tls',
      'webhook.certificate.caBundle=Y2E=',
      'webhook.failurePolicy=Ignore',
      'webhook.timeoutSeconds=5',
      'metrics.tls.source=secret',
      'metrics.tls.secretName=my-metrics-tls',
      'metrics.serviceMonitor.enabled=true',
      'spokePolicy.enabled=true',
      'spokePolicy.namespace=kmm-policies',
      'spokePolicy.clusterSelector.matchLabels.kmm=enabled',
      'spokePolicy.subscription.channel=fast',
      `controller.images.builder.digest=${DIGEST}`,
      `controller.images.signer.digest=${DIGEST}`,
      'controller.images.registryCA.source=configMap',
      'controller.images.registryCA.name=corp-registry-ca',
    ],
  },
  {
    chart: 'hub',
    name: 'kmm-hub, image checks off',
    namespace: 'kmm-hub',
    set: ['controller.images.checks=false', 'controller.images.pinDigests=false'],
  },
  {
    chart: 'hub',
    name: 'kmm-hub, webhook off, one replica without leader election',
    namespace: 'kmm-hub',
    set: ['webhook.enabled=false', 'replicas=1', 'controller.leaderElection.enabled=false'],
  },
  {
    chart: 'hub',
    name: 'kmm-hub, cert-manager certificates (self-signed Issuer)',
    namespace: 'kmm-hub-cm',
    set: ['webhook.certificate.source=cert-manager'],
  },
  { chart: 'plugin', name: 'console plugin, defaults', namespace: 'kmm-hub', set: [] },
  {
    chart: 'plugin',
    name: 'console plugin, digest, own certificate, console Job',
    namespace: 'kmm-hub-plugin',
    set: [
      `image.digest=${DIGEST}`,
      'certificate.source=secret',
      'certificate.secretName=my-cert',
      'enableInConsole.enabled=true',
      'replicas=1',
    ],
  },
];

describe.each(VARIANTS)('$name', ({ chart, namespace, set }) => {
  let objects: Manifest[];
  beforeAll(async () => {
    ({ objects } = await helmTemplate(CHARTS[chart], { namespace, set }));
  });

  it('passes helm lint --strict', async () => {
    const out = await helmLint(CHARTS[chart], set);
    expect(out).toMatch(/1 chart\(s\) linted, 0 chart\(s\) failed/);
    expect(out).not.toMatch(/\[(WARNING|ERROR)\]/);
  });

  it('is accepted by kubectl apply --server-side, every object', async () => {
    const namespaces = new Set(
      objects.map((o) => o.metadata.namespace).filter((n): n is string => !!n),
    );
    for (const ns of namespaces) await env.kubectl(['create', 'namespace', ns]);
    const result = await env.kubectl(
      ['apply', '--server-side', '--field-manager=helm', '-f', '-'],
      toYamlStream(objects),
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    for (const o of objects) {
      const ns = o.metadata.namespace ? ['-n', o.metadata.namespace] : [];
      const resource =
        `${o.kind}.${o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : ''}`.replace(
          /\.$/,
          '',
        );
      await expect(
        env.ok(['get', resource, o.metadata.name, ...ns, '-o', 'name']),
      ).resolves.toMatch(o.metadata.name);
    }
  });

  it('runs every container as restricted-v2 and restricted Pod Security require', () => {
    const pods = [...ofKind(objects, 'Deployment'), ...ofKind(objects, 'Job')].map(
      (o) => (o.spec as { template: { spec: Record<string, unknown> } }).template.spec,
    );
    expect(pods.length).toBeGreaterThan(0);
    for (const pod of pods) {
      expect(pod.securityContext).toMatchObject({
        runAsNonRoot: true,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      // OpenShift assigns the UID from the namespace's range: a fixed one would be refused
      expect(JSON.stringify(pod)).not.toMatch(/runAsUser|hostPath|hostNetwork|privileged/);
      for (const c of pod.containers as Record<string, unknown>[]) {
        expect(c.securityContext).toMatchObject({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
        });
        // kubelet resolves a probe's named port among the probed container's own ports only
        for (const probe of ['livenessProbe', 'readinessProbe']) {
          const port = (c[probe] as { httpGet?: { port: number | string } } | undefined)?.httpGet
            ?.port;
          if (typeof port === 'string') {
            expect((c.ports as { name: string }[] | undefined)?.map((p) => p.name)).toContain(port);
          }
        }
        if (c.name !== 'enable')
          expect(c.resources).toMatchObject({
            requests: expect.any(Object),
            limits: expect.any(Object),
          });
      }
    }
  });
});

describe('the sandbox refuses what kube-apiserver refuses in these kinds', () => {
  it('a Deployment whose selector does not match its template', async () => {
    const result = await env.kubectl(
      ['apply', '--server-side', '-f', '-'],
      `apiVersion: apps/v1
kind: Deployment
metadata: {name: mismatched, namespace: default}
spec:
  selector: {matchLabels: {app: a}}
  template:
    metadata: {labels: {app: b}}
    spec: {containers: [{name: c, image: registry.example/c:1}]}
`,
    );
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('spec.template.metadata.labels: Invalid value');
    expect(result.stderr).toContain('`selector` does not match template `labels`');
  });

  it('a change of a binding roleRef', async () => {
    const binding = (role: string) => `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: b, namespace: default}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ${role}}
subjects: [{kind: ServiceAccount, name: default, namespace: default}]
`;
    await env.ok(['apply', '--server-side', '-f', '-'], binding('view'));
    const result = await env.kubectl(['apply', '--server-side', '-f', '-'], binding('edit'));
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('cannot change roleRef');
  });
});
