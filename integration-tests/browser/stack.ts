// What `npm start` runs, in-process for a test or benchmark: the sandbox hub with a simulated fleet, the
// controller, and the console shell serving the plugin's production build. Optionally the controller's
// validating webhook, registered with the chart's ValidatingWebhookConfiguration, and more shells acting as
// other users.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AdmissionregistrationV1Api,
  type V1ValidatingWebhookConfiguration,
} from '@kubernetes/client-node';
import { startWebhookServer, type WebhookServer } from 'kmm-hub-controller';
import { selfSignedCertificate } from 'kmm-hub-sandbox';
import {
  buildPluginIfStale,
  buildShellIfStale,
  PLUGIN_DIST,
  startShellServer,
  type ShellServer,
} from 'kmm-hub-sandbox/shell';
import { CHARTS, helmTemplate, ofKind } from '../charts/render';
import { type Hub, NAMESPACE, startController, startHub } from '../controller/harness';
import { testLogger } from '../helpers';

/** The webhook's name in the chart's ValidatingWebhookConfiguration. */
export const WEBHOOK_NAME = 'vmanagedclustermodule.hub.kmm.sigs.x-k8s.io';
/** The chart's webhook Service (release kmm-hub), which the sandbox routes to the in-process server. */
const WEBHOOK_SERVICE = 'kmm-hub-webhook';

export interface StackOptions {
  statusSyncIntervalMs?: number;
  /**
   * Serve the controller's validating webhook (as `kmm-hub-controller run --webhook-address` does) and
   * register it with the sandbox API server through the chart's ValidatingWebhookConfiguration.
   */
  webhook?: boolean;
}

export interface Stack {
  hub: Hub;
  /** The shell acting as the sandbox's administrator. */
  shellUrl: string;
  /** Another console shell on the same hub, acting as whoever holds `token`; stopped with the stack. */
  shellAs(token: string): Promise<string>;
  stop(): Promise<void>;
}

/** The webhook server with a certificate for the chart's Service name, and the chart's configuration. */
async function startWebhook(hub: Hub): Promise<{ server: WebhookServer; certDir: string }> {
  const certDir = mkdtempSync(join(tmpdir(), 'kmm-hub-browser-webhook-'));
  const tls = selfSignedCertificate([`${WEBHOOK_SERVICE}.${NAMESPACE}.svc`]);
  writeFileSync(join(certDir, 'tls.key'), tls.key, { mode: 0o600 });
  writeFileSync(join(certDir, 'tls.crt'), tls.cert);
  const server = await startWebhookServer({
    host: '127.0.0.1',
    port: 0,
    certDir,
    logger: testLogger(),
  });
  try {
    hub.sandbox.server.routeService(NAMESPACE, WEBHOOK_SERVICE, 443, {
      host: '127.0.0.1',
      port: server.port,
    });
    const { objects } = await helmTemplate(CHARTS.hub, {
      namespace: NAMESPACE,
      set: [
        'webhook.certificate.source=secret',
        'webhook.certificate.secretName=kmm-hub-webhook-tls',
        `webhook.certificate.caBundle=${Buffer.from(tls.cert).toString('base64')}`,
      ],
    });
    const [configuration] = ofKind(objects, 'ValidatingWebhookConfiguration');
    if (!configuration) throw new Error('the chart rendered no ValidatingWebhookConfiguration');
    await hub.kubeConfig
      .makeApiClient(AdmissionregistrationV1Api)
      .createValidatingWebhookConfiguration({
        body: configuration as V1ValidatingWebhookConfiguration,
      });
    return { server, certDir };
  } catch (err) {
    await server.close();
    rmSync(certDir, { recursive: true, force: true });
    throw err;
  }
}

export async function startStack(clusters: number, options: StackOptions = {}): Promise<Stack> {
  await Promise.all([buildPluginIfStale(), buildShellIfStale()]);
  const hub = await startHub(clusters, options.statusSyncIntervalMs ?? 200);
  const shells: ShellServer[] = [];
  let webhook: { server: WebhookServer; certDir: string } | undefined;
  const startShell = async (token: string): Promise<string> => {
    const shell = await startShellServer({
      upstream: { server: hub.sandbox.httpUrl, token },
      plugins: [{ name: 'kmm-hub-console-plugin', dist: PLUGIN_DIST }],
    });
    shells.push(shell);
    return shell.url;
  };
  const stop = async (): Promise<void> => {
    await Promise.all(shells.map((s) => s.stop()));
    await hub.stop();
    if (webhook) {
      await webhook.server.close();
      rmSync(webhook.certDir, { recursive: true, force: true });
    }
  };
  try {
    if (options.webhook) webhook = await startWebhook(hub);
    await startController(hub);
    return { hub, shellUrl: await startShell(hub.sandbox.token), shellAs: startShell, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
