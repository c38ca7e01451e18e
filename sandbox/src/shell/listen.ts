// The shell's servers listen the same way: on loopback unless told otherwise, a free port by default, and a stop
// that does not wait for the browser's kept-alive connections.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Listening {
  /** `http://localhost:<port>` */
  url: string;
  stop(): Promise<void>;
}

export async function listen(
  server: Server,
  options: { port?: number; host?: string },
  beforeStop: () => void = () => undefined,
): Promise<Listening> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        beforeStop();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
