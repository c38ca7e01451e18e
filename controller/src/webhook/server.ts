import { readFileSync, watch, type FSWatcher } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createSecureContext } from 'node:tls';
import type { Logger } from '../logging';
import { BadReviewError, parseReview, reviewManagedClusterModule } from './review';

export const WEBHOOK_PATH = '/validate-managedclustermodule';
/** kube-apiserver's requests are small; anything larger is not an AdmissionReview of an MCM. */
const MAX_BODY = 3 * 1024 * 1024;

export interface WebhookServerOptions {
  host: string;
  port: number;
  /** Holds tls.crt and tls.key, as a kubernetes.io/tls Secret mounted as a volume does. */
  certDir: string;
  logger: Logger;
}

export interface WebhookServer {
  /** e.g. https://127.0.0.1:9443 */
  url: string;
  port: number;
  /** Reads the certificate files again now (the server also does on every change in certDir). */
  reload(): boolean;
  close(): Promise<void>;
}

function readPair(certDir: string): { cert: Buffer; key: Buffer } {
  return {
    cert: readFileSync(join(certDir, 'tls.crt')),
    key: readFileSync(join(certDir, 'tls.key')),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new BadReviewError(`request body larger than ${MAX_BODY} bytes`));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

async function handle(req: IncomingMessage, res: ServerResponse, logger: Logger): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  if (path !== WEBHOOK_PATH) {
    res
      .writeHead(404, { 'content-type': 'text/plain' })
      .end(`no webhook at ${path}; use ${WEBHOOK_PATH}\n`);
    return;
  }
  if (req.method !== 'POST') {
    res
      .writeHead(405, { 'content-type': 'text/plain', allow: 'POST' })
      .end('POST an AdmissionReview\n');
    return;
  }
  try {
    const request = parseReview(JSON.parse(await readBody(req)) as unknown);
    const review = reviewManagedClusterModule(request);
    logger.debug(
      {
        uid: request.uid,
        operation: request.operation,
        name: request.name,
        allowed: review.response.allowed,
      },
      'admission review',
    );
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(review));
  } catch (error) {
    const bad = error instanceof BadReviewError || error instanceof SyntaxError;
    res
      .writeHead(bad ? 400 : 500, { 'content-type': 'text/plain' })
      .end(`${error instanceof Error ? error.message : String(error)}\n`);
  }
}

/**
 * The validating admission webhook over HTTPS. The serving certificate is read from certDir and read again
 * whenever the directory changes (a Secret volume is updated by swapping a symlink; the service CA and
 * cert-manager rotate certificates), so a rotation needs no restart; a pair that does not load is logged and
 * the previous one kept.
 */
export async function startWebhookServer(options: WebhookServerOptions): Promise<WebhookServer> {
  const { logger, certDir } = options;
  const server: Server = createServer(
    { ...readPair(certDir), minVersion: 'TLSv1.2' },
    (req, res) => {
      void handle(req, res, logger);
    },
  );
  const reload = (): boolean => {
    try {
      const pair = readPair(certDir);
      createSecureContext(pair); // throws on a mismatched or malformed pair before the server would use it
      server.setSecureContext(pair);
      return true;
    } catch (error) {
      logger.warn(
        { certDir, err: error instanceof Error ? error.message : String(error) },
        'webhook certificate not reloaded; keeping the previous one',
      );
      return false;
    }
  };
  let timer: NodeJS.Timeout | undefined;
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(certDir, () => {
      // several events arrive for one swap; read once they settle
      clearTimeout(timer);
      timer = setTimeout(() => {
        if (reload()) logger.info({ certDir }, 'webhook certificate reloaded');
      }, 200);
    });
  } catch (error) {
    logger.warn(
      { certDir, err: String(error) },
      'cannot watch the webhook certificate directory; rotation needs a restart',
    );
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  logger.info(
    { url: `https://${host}:${address.port}${WEBHOOK_PATH}` },
    'serving the validating webhook',
  );
  return {
    url: `https://${host}:${address.port}`,
    port: address.port,
    reload,
    close: () =>
      new Promise<void>((resolve, reject) => {
        clearTimeout(timer);
        watcher?.close();
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
