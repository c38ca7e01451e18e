// The admission webhook end to end: the controller's webhook server (with a certificate for the chart's
// Service name), the chart's ValidatingWebhookConfiguration, and the sandbox API server calling it as
// kube-apiserver does, so that the real kubectl's apply of an invalid MCM is refused with the field paths.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { startWebhookServer, type WebhookServer } from 'kmm-hub-controller';
import { defaultCrdFiles, installCrdFiles, selfSignedCertificate } from 'kmm-hub-sandbox';
import { testLogger, waitFor } from '../helpers';
import { MCM, startKubectlEnv, type KubectlEnv } from '../kubectl/harness';
import { CHARTS, helmTemplate, ofKind, toYamlStream } from './render';

jest.setTimeout(120_000);

const SERVICE_DNS = 'kmm-hub-webhook.kmm-hub.svc';
const WEBHOOK = 'vmanagedclustermodule.hub.kmm.sigs.x-k8s.io';

let env: KubectlEnv;
let certDir: string;
let webhook: WebhookServer | undefined;
let caBundle: string;

function writeCertificate(): void {
  const tls = selfSignedCertificate([SERVICE_DNS]);
  writeFileSync(join(certDir, 'tls.key'), tls.key, { mode: 0o600 });
  writeFileSync(join(certDir, 'tls.crt'), tls.cert);
  caBundle = Buffer.from(tls.cert).toString('base64');
}

/** The chart's ValidatingWebhookConfiguration, with the given CA and values, applied server-side. */
async function applyWebhookConfiguration(set: string[] = []): Promise<void> {
  const { objects } = await helmTemplate(CHARTS.hub, {
    set: [
      'webhook.certificate.source=secret',
      'webhook.certificate.secretName=kmm-hub-webhook-tls',
      `webhook.certificate.caBundle=${caBundle}`,
      ...set,
    ],
  });
  const [configuration] = ofKind(objects, 'ValidatingWebhookConfiguration');
  await env.ok(
    ['apply', '--server-side', '--force-conflicts', '-f', '-'],
    toYamlStream([configuration!]),
  );
}

const INVALID = MCM(
  'bad-regexp',
  'kmm',
  '          - regexp: "^5.14.0-(["\n            containerImage: quay.io/example/x\n',
);

beforeAll(async () => {
  env = await startKubectlEnv({ crdFiles: [...defaultCrdFiles(), ...installCrdFiles()] });
  certDir = mkdtempSync(join(tmpdir(), 'kmm-webhook-tls-'));
  writeCertificate();
  webhook = await startWebhookServer({ host: '127.0.0.1', port: 0, certDir, logger: testLogger() });
  env.server.routeService('kmm-hub', 'kmm-hub-webhook', 443, {
    host: '127.0.0.1',
    port: webhook.port,
  });
  await applyWebhookConfiguration();
});
afterAll(async () => {
  await webhook?.close();
  await env.stop();
  rmSync(certDir, { recursive: true, force: true });
});

/** The API server's own answer (kubectl rewrites an Invalid status from its causes). */
async function rawCreate(
  yamlText: string,
): Promise<{ code: number; status: { message: string; reason: string } }> {
  const object = parse(yamlText) as unknown;
  return new Promise((resolve, reject) => {
    const req = request(
      `${env.server.url}/apis/hub.kmm.sigs.x-k8s.io/v1beta1/managedclustermodules`,
      {
        method: 'POST',
        ca: env.server.caCertificate,
        headers: {
          authorization: `Bearer ${env.server.token}`,
          'content-type': 'application/json',
        },
      },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ code: res.statusCode ?? 0, status: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(object));
  });
}

test('kubectl apply of an invalid MCM is refused with every field path', async () => {
  const result = await env.kubectl(['apply', '-f', '-'], INVALID);
  expect(result.code).toBe(1);
  // kubectl prints an Invalid status from its causes, one line per field
  expect(result.stderr).toContain('The ManagedClusterModule "bad-regexp" is invalid:');
  expect(result.stderr).toContain(
    '* spec.moduleSpec.moduleLoader.container.kernelMappings[1].regexp: error parsing regexp',
  );
  expect(result.stderr).toContain(
    '* spec.moduleSpec.moduleLoader.container.kernelMappings[1].containerImage: image',
  );
  expect((await env.kubectl(['get', 'mcm', 'bad-regexp'])).code).toBe(1);
  // server-side apply and server dry runs are reviewed too
  const ssa = await env.kubectl(['apply', '--server-side', '--dry-run=server', '-f', '-'], INVALID);
  expect(ssa.stderr).toContain('kernelMappings[1].regexp');
});

test('the status message (what the console YAML editor shows) names the webhook and the fields', async () => {
  const { code, status } = await rawCreate(INVALID);
  expect(code).toBe(422);
  expect(status.reason).toBe('Invalid');
  expect(status.message).toMatch(
    new RegExp(
      `^admission webhook "${WEBHOOK.replaceAll('.', '\\.')}" denied the request: ManagedClusterModule\\.hub\\.kmm\\.sigs\\.x-k8s\\.io "bad-regexp" is invalid: \\[spec\\.moduleSpec\\.moduleLoader\\.container\\.kernelMappings\\[1\\]\\.regexp: `,
    ),
  );
});

test('a valid MCM is admitted, and an update that breaks it is refused', async () => {
  await env.ok(['apply', '-f', '-'], MCM('good'));
  const update = await env.kubectl(['apply', '-f', '-'], MCM('good', 'Not A Namespace'));
  expect(update.code).toBe(1);
  expect(update.stderr).toContain(
    'The ManagedClusterModule "good" is invalid: spec.spokeNamespace:',
  );
  expect(await env.ok(['get', 'mcm', 'good', '-o', 'jsonpath={.spec.spokeNamespace}'])).toBe('kmm');
});

test('the status subresource is not reviewed (the rules name managedclustermodules only)', async () => {
  await env.ok(['apply', '-f', '-'], MCM('with-status'));
  const status = await env.kubectl([
    'patch',
    'mcm',
    'with-status',
    '--subresource=status',
    '--type=merge',
    '-p',
    '{"status":{"numberDesired":3}}',
  ]);
  expect(status.stderr).toBe('');
});

test('a certificate the CA bundle does not trust fails the call; the rotated pair is picked up without a restart', async () => {
  writeCertificate(); // new key and self-signed CA; the configuration still trusts the old one
  await waitFor(
    'the webhook to serve the new certificate',
    async () => {
      const r = await env.kubectl(['apply', '--dry-run=server', '-f', '-'], MCM('rotated'));
      return r.code === 1 && r.stderr.includes(`failed calling webhook "${WEBHOOK}"`) && r.stderr;
    },
    { timeoutMs: 10_000, intervalMs: 200 },
  ).then((stderr) => {
    expect(stderr).toContain('Internal error occurred: failed calling webhook');
    expect(stderr).toMatch(/certificate/i);
  });
  await applyWebhookConfiguration(); // the new CA bundle
  await env.ok(['apply', '-f', '-'], MCM('rotated'));
});

test('failurePolicy: Fail refuses while the webhook is down, Ignore admits', async () => {
  await webhook!.close();
  webhook = undefined;
  const down = await env.kubectl(['apply', '-f', '-'], MCM('while-down'));
  expect(down.code).toBe(1);
  expect(down.stderr).toContain(
    `Internal error occurred: failed calling webhook "${WEBHOOK}": failed to call webhook: Post "https://${SERVICE_DNS}:443/validate-managedclustermodule?timeout=10s"`,
  );
  await applyWebhookConfiguration(['webhook.failurePolicy=Ignore']);
  await env.ok(['apply', '-f', '-'], MCM('while-down'));
});

test('timeoutSeconds bounds a webhook that does not answer', async () => {
  const tls = selfSignedCertificate([SERVICE_DNS]);
  const silent: Server = createServer({ cert: tls.cert, key: tls.key }, () => undefined);
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  env.server.routeService('kmm-hub', 'kmm-hub-webhook', 443, {
    host: '127.0.0.1',
    port: (silent.address() as AddressInfo).port,
  });
  caBundle = Buffer.from(tls.cert).toString('base64');
  await applyWebhookConfiguration(['webhook.timeoutSeconds=1']);
  const started = Date.now();
  const result = await env.kubectl(['apply', '-f', '-'], MCM('slow'));
  const took = Date.now() - started;
  silent.closeAllConnections();
  silent.close();
  expect(result.code).toBe(1);
  expect(result.stderr).toContain('?timeout=1s": context deadline exceeded');
  expect(took).toBeLessThan(8_000);
});
