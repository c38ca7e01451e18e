// The plugin's dist/ for a real console on another origin (console-plugin-template's `start-console` points
// BRIDGE_PLUGINS at it): served at the root with CORS, as the template's dev server does.
import { createServer } from 'node:http';
import { listen, type Listening } from './listen';
import { sendFile } from './static-files';

export async function startPluginServer(options: {
  dist: string;
  port?: number;
  host?: string;
}): Promise<Listening> {
  const cors = {
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
    'Access-Control-Allow-Headers': '*',
  };
  const server = createServer((req, res) => {
    if (req.method === 'OPTIONS') return void res.writeHead(204, cors).end();
    if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405, cors).end();
    const path = new URL(req.url ?? '/', 'http://plugin').pathname.slice(1);
    if (!sendFile(res, options.dist, path, cors)) res.writeHead(404, cors).end();
  });
  return listen(server, options);
}
