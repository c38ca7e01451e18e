// The console shell's backend, standing in for the console's Go server: the host page, the plugin's dist/ at
// /api/plugins/<name>/, PatternFly's CSS, and /api/kubernetes proxied to the API server as one identity.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import { API_PREFIX, proxyHttp, websocketWatches } from './proxy';
import { listen, type Listening } from './listen';
import { sendFile } from './static-files';
import type { Upstream } from './upstream';

export const SHELL_DIST = join(__dirname, '../../shell/dist');
const PATTERNFLY = dirname(require.resolve('@patternfly/patternfly/package.json'));

export interface PluginDir {
  name: string;
  dist: string;
}

export interface ShellServerOptions {
  upstream: Upstream;
  plugins: PluginDir[];
  /** default 0 (a free port); always on 127.0.0.1 unless `host` says otherwise */
  port?: number;
  host?: string;
  /** the built host (`sandbox/shell/dist`) */
  hostDist?: string;
  /** console's release version, what `@console/pluginAPI` resolves to */
  releaseVersion?: string;
}

export type ShellServer = Listening;

function indexHtml(options: ShellServerOptions): string {
  const flags = {
    basePath: '/',
    consolePlugins: options.plugins.map((p) => p.name),
    releaseVersion: options.releaseVersion ?? '4.22.0',
    i18nNamespaces: options.plugins.map((p) => `plugin__${p.name}`),
  };
  // SERVER_FLAGS must exist before any SDK code runs, as the console's page provides it.
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>kmm-hub console shell</title>
<link rel="stylesheet" href="/patternfly/patternfly.min.css">
<link rel="stylesheet" href="/patternfly/patternfly-addons.css">
<script>window.SERVER_FLAGS = ${JSON.stringify(flags).replace(/</g, '\\u003c')};</script>
<script defer src="/static/shell.js"></script>
</head>
<body><div id="app"></div></body>
</html>`;
}

export async function startShellServer(options: ShellServerOptions): Promise<ShellServer> {
  const hostDist = options.hostDist ?? SHELL_DIST;
  const html = indexHtml(options);
  const watches = websocketWatches(options.upstream);
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const path = new URL(req.url ?? '/', 'http://shell').pathname;
    if (path === API_PREFIX || path.startsWith(`${API_PREFIX}/`)) {
      proxyHttp(options.upstream, req, res);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    for (const plugin of options.plugins) {
      const prefix = `/api/plugins/${plugin.name}/`;
      if (path.startsWith(prefix)) {
        if (!sendFile(res, plugin.dist, path.slice(prefix.length))) res.writeHead(404).end();
        return;
      }
    }
    if (path.startsWith('/static/')) {
      if (!sendFile(res, hostDist, path.slice('/static/'.length))) res.writeHead(404).end();
      return;
    }
    if (path.startsWith('/patternfly/')) {
      if (!sendFile(res, PATTERNFLY, path.slice('/patternfly/'.length))) res.writeHead(404).end();
      return;
    }
    if (path.startsWith('/api/')) {
      res.writeHead(404).end();
      return;
    }
    // Every other path is a page of the single-page app.
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache' });
    res.end(html);
  };
  const server = createServer(handle);
  server.on('upgrade', (req: IncomingMessage, socket, head: Buffer) => {
    if ((req.url ?? '').startsWith(`${API_PREFIX}/`)) watches.upgrade(req, socket, head);
    else socket.destroy();
  });
  return listen(server, options, () => watches.close());
}
