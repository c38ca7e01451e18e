#!/usr/bin/env node
// Production runs the compiled JavaScript in dist/ (`npm run build -w kmm-hub-controller`): no TypeScript
// at run time, so `npm ci --omit=dev` is enough. A checkout without a build, or whose sources changed after
// the last build, runs the sources through tsx (a devDependency of the workspace root): `npx
// kmm-hub-controller` keeps working right after `npm ci` and never runs stale code.
const { existsSync, readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const compiled = join(root, 'dist', 'cli.js');

/** Newest modification time of the TypeScript sources (0 in the published package, which has no src/). */
function newestSource(dir) {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

if (existsSync(compiled) && statSync(compiled).mtimeMs >= newestSource(join(root, 'src'))) {
  require(compiled);
} else {
  require('tsx/cjs');
  require('tsx/esm/api').register();
  require('../src/cli.ts');
}
