// /api/kubernetes/* as the console's backend serves it: every request forwarded to the API server with the
// shell's bearer token, and watches over websockets (what the console's frontend opens).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import type { Upstream } from './upstream';

export const API_PREFIX = '/api/kubernetes';

// Hop-by-hop headers and the browser's own credentials never reach the API server.
const DROPPED = new Set(['host', 'connection', 'upgrade', 'cookie', 'authorization', 'keep-alive']);

function upstreamRequest(upstream: Upstream, req: IncomingMessage, path: string) {
  const target = new URL(path, upstream.server);
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v !== undefined && !DROPPED.has(k) && !k.startsWith('sec-websocket')) headers[k] = v;
  }
  headers.authorization = `Bearer ${upstream.token}`;
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return send(target, {
    method: req.method ?? 'GET',
    headers,
    ...(upstream.caPem ? { ca: upstream.caPem } : {}),
  });
}

/** Forwards one HTTP request; answers 502 with a Status when the API server cannot be reached. */
export function proxyHttp(upstream: Upstream, req: IncomingMessage, res: ServerResponse): void {
  const out = upstreamRequest(upstream, req, (req.url ?? '/').slice(API_PREFIX.length) || '/');
  out.on('response', (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  out.on('error', (err) => {
    if (res.headersSent) return void res.destroy();
    res.writeHead(502, { 'Content-Type': 'application/json' });
    res.end(
      JSON.stringify({
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        reason: 'ServiceUnavailable',
        code: 502,
        message: `the console shell cannot reach the API server: ${err.message}`,
      }),
    );
  });
  res.on('close', () => out.destroy());
  req.pipe(out);
}

/**
 * Websocket watches: one JSON watch event per text message, as kube-apiserver sends them. The sandbox API
 * server streams watches over chunked HTTP only, so the shell turns each websocket into one such stream.
 */
export function websocketWatches(upstream: Upstream) {
  const wss = new WebSocketServer({ noServer: true });
  const bridge = (ws: WebSocket, req: IncomingMessage): void => {
    const out = upstreamRequest(upstream, req, (req.url ?? '/').slice(API_PREFIX.length));
    let pending = '';
    out.on('response', (answer) => {
      if (answer.statusCode !== 200) {
        answer.resume();
        ws.close(1011, `API server answered ${answer.statusCode}`);
        return;
      }
      answer.setEncoding('utf8');
      answer.on('data', (chunk: string) => {
        pending += chunk;
        let nl: number;
        while ((nl = pending.indexOf('\n')) >= 0) {
          const line = pending.slice(0, nl);
          pending = pending.slice(nl + 1);
          if (line) ws.send(line);
        }
      });
      answer.on('end', () => ws.close(1000));
      answer.on('error', () => ws.close(1011));
    });
    out.on('error', () => ws.close(1011, 'the API server cannot be reached'));
    ws.on('close', () => out.destroy());
    out.end();
  };
  return {
    upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
      wss.handleUpgrade(req, socket, head, (ws) => bridge(ws, req));
    },
    close(): void {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
  };
}
