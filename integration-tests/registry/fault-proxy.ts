// A fault-injecting HTTP(S) proxy in front of a real docker-registry, on 127.0.0.1: it forwards requests
// untouched until a test makes it hang (a registry that accepts connections and never answers), answer 500s,
// or refuse with a 401 and a Bearer challenge whose token service refuses too. Served over HTTPS, its
// certificate can be swapped at run time (a rotated certificate the controller does not trust).
import {
  createServer as createHttpServer,
  request,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

export type FaultMode = 'pass' | 'hang' | 'error500' | 'unauthorized';

export interface FaultProxy {
  /** `127.0.0.1:<port>`: what image references name */
  host: string;
  mode: FaultMode;
  /** requests received (token requests included) plus connections opened: a failed handshake is no request */
  contacts(): number;
  /** serves another certificate from now on (HTTPS proxies only) */
  setCertificate(tls: { cert: string; key: string }): void;
  close(): Promise<void>;
}

export async function startFaultProxy(
  target: string,
  tls?: { cert: string; key: string },
): Promise<FaultProxy> {
  let contacts = 0;
  const sockets = new Set<Socket>();
  const proxy: FaultProxy = {
    host: '',
    mode: 'pass',
    contacts: () => contacts,
    setCertificate: (next) => {
      if (!('setSecureContext' in server)) throw new Error('not an HTTPS proxy');
      (server as ReturnType<typeof createHttpsServer>).setSecureContext(next);
      // kept-alive connections were set up with the old certificate: clients must handshake again
      for (const s of sockets) s.destroy();
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    contacts++;
    switch (proxy.mode) {
      case 'hang':
        return; // the socket stays open; the client's timeout has to end it
      case 'error500':
        res
          .writeHead(500, { 'content-type': 'application/json' })
          .end(JSON.stringify({ errors: [{ code: 'UNKNOWN', message: 'unknown error' }] }));
        return;
      case 'unauthorized':
        if (req.url?.startsWith('/token')) {
          res.writeHead(401, { 'content-type': 'application/json' }).end('{"details":"denied"}');
          return;
        }
        res
          .writeHead(401, {
            'content-type': 'application/json',
            'www-authenticate': `Bearer realm="${tls ? 'https' : 'http'}://${proxy.host}/token",service="fault-proxy",scope="repository:x:pull"`,
          })
          .end(
            JSON.stringify({
              errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }],
            }),
          );
        return;
      case 'pass': {
        const [hostname, port] = target.split(':');
        const upstream = request(
          {
            hostname,
            port: Number(port),
            method: req.method,
            path: req.url,
            headers: { ...req.headers, host: target },
          },
          (up) => {
            res.writeHead(up.statusCode ?? 502, up.headers);
            up.pipe(res);
          },
        );
        upstream.on('error', () => res.destroy());
        req.pipe(upstream);
      }
    }
  };
  const server: Server = tls ? createHttpsServer(tls, handler) : createHttpServer(handler);
  server.on('connection', (s: Socket) => {
    contacts++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  // A client that gives up during the handshake (or a refused certificate) is no server error.
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  proxy.host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}
