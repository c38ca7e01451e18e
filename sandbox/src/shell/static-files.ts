// Files from one directory, never outside it.
import { createReadStream, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { extname, join, relative, resolve, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Sends `urlPath` from `root`; false when there is no such file (the caller answers 404). */
export function sendFile(
  res: ServerResponse,
  root: string,
  urlPath: string,
  extraHeaders: Record<string, string> = {},
): boolean {
  const file = resolve(root, `.${sep}${decodeURIComponent(urlPath)}`);
  const inside = relative(root, file);
  if (inside.startsWith('..') || inside === '') return false;
  let size: number;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) return false;
    size = stat.size;
  } catch {
    return false;
  }
  res.writeHead(200, {
    'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
    'Content-Length': String(size),
    // The manifest and entry names change with every plugin build; console asks again each load too.
    'Cache-Control': 'no-cache',
    ...extraHeaders,
  });
  createReadStream(join(file)).pipe(res);
  return true;
}
