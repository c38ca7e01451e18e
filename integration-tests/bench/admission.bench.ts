/**
 * What the validating webhook costs a write: creating ManagedClusterModules one after another against the
 * sandbox API server, without a webhook and then through the chart's ValidatingWebhookConfiguration and the
 * controller's webhook server (in this process; the sandbox opens a fresh TLS connection per call). Prints
 * p50/p95/max create latency for both, and the difference of the medians: what a review adds to a write.
 *
 *   npm run bench:admission -- [--count 300]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CustomObjectsApi } from '@kubernetes/client-node';
import pino from 'pino';
import { MCM_RESOURCE, startWebhookServer } from 'kmm-hub-controller';
import { PooledKubeConfig } from 'kmm-hub-controller/runtime';
import { selfSignedCertificate, startApiServer, type KubeObject } from 'kmm-hub-sandbox';
import { CHARTS, helmTemplate, ofKind } from '../charts/render';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};

const mcm = (name: string) => ({
  apiVersion: 'hub.kmm.sigs.x-k8s.io/v1beta1',
  kind: 'ManagedClusterModule',
  metadata: { name },
  spec: {
    spokeNamespace: 'kmm',
    selector: {},
    moduleSpec: {
      selector: {},
      moduleLoader: {
        container: {
          modprobe: { moduleName: 'drv' },
          kernelMappings: [
            { regexp: '^5\\.14', containerImage: 'quay.io/acme/drv:${KERNEL_FULL_VERSION}' },
          ],
        },
      },
    },
  },
});

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

async function creates(api: CustomObjectsApi, prefix: string, count: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await api.createClusterCustomObject({ ...MCM_RESOURCE, body: mcm(`${prefix}-${i}`) });
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b);
}

async function main(): Promise<void> {
  const count = arg('count', 300);
  const dir = mkdtempSync(join(tmpdir(), 'kmm-admission-bench-'));
  const server = await startApiServer();
  const tls = selfSignedCertificate(['kmm-hub-webhook.kmm-hub.svc']);
  writeFileSync(join(dir, 'tls.crt'), tls.cert);
  writeFileSync(join(dir, 'tls.key'), tls.key);
  const webhook = await startWebhookServer({
    host: '127.0.0.1',
    port: 0,
    certDir: dir,
    logger: pino({ level: 'silent' }),
  });
  const kubeConfig = PooledKubeConfig.fromString(server.kubeconfig);
  const api = kubeConfig.makeApiClient(CustomObjectsApi);
  try {
    const without = await creates(api, 'plain', count);
    server.routeService('kmm-hub', 'kmm-hub-webhook', 443, {
      host: '127.0.0.1',
      port: webhook.port,
    });
    const { objects } = await helmTemplate(CHARTS.hub, {
      set: [
        'webhook.certificate.source=secret',
        'webhook.certificate.secretName=x',
        `webhook.certificate.caBundle=${Buffer.from(tls.cert).toString('base64')}`,
      ],
    });
    server.objects.create(
      ofKind(objects, 'ValidatingWebhookConfiguration')[0] as unknown as KubeObject,
    );
    const withWebhook = await creates(api, 'reviewed', count);
    const line = (what: string, t: number[]) =>
      `${what.padEnd(24)} p50 ${percentile(t, 0.5).toFixed(2)} ms  p95 ${percentile(t, 0.95).toFixed(2)} ms  max ${t[t.length - 1]!.toFixed(2)} ms`;
    process.stdout.write(`${count} MCM creates, one at a time\n`);
    process.stdout.write(`${line('without a webhook', without)}\n`);
    process.stdout.write(`${line('through the webhook', withWebhook)}\n`);
    process.stdout.write(
      `webhook cost (p50 difference): ${(percentile(withWebhook, 0.5) - percentile(without, 0.5)).toFixed(2)} ms\n`,
    );
  } finally {
    await webhook.close();
    await kubeConfig.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
