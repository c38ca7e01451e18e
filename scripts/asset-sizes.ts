// Prints the size of every asset of the production build in dist/ (raw and gzip), marking the entry script
// console loads first. Usage: npm run build && npm run assets
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';

const dist = join(__dirname, '..', 'dist');

const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)],
  );

let manifest: { loadScripts?: string[] };
try {
  manifest = JSON.parse(readFileSync(join(dist, 'plugin-manifest.json'), 'utf8'));
} catch {
  console.error('dist/plugin-manifest.json not found: run `npm run build` first');
  process.exit(1);
}
const entries = new Set(manifest.loadScripts ?? []);

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const rows = files(dist)
  .filter((f) => !f.endsWith('.LICENSE.txt'))
  .map((f) => {
    const name = relative(dist, f);
    return { name, size: statSync(f).size, gzip: gzipSync(readFileSync(f)).length };
  })
  .sort((a, b) => b.size - a.size);

const width = Math.max(...rows.map((r) => r.name.length));
for (const r of rows) {
  const mark = entries.has(r.name) ? '  <- entry' : '';
  console.log(
    `${r.name.padEnd(width)}  ${kib(r.size).padStart(10)}  ${kib(r.gzip).padStart(10)} gz${mark}`,
  );
}
const js = rows.filter((r) => r.name.endsWith('.js'));
const sum = (xs: { size: number; gzip: number }[], k: 'size' | 'gzip') =>
  xs.reduce((n, x) => n + x[k], 0);
console.log(
  `${rows.length} assets, ${js.length} scripts: ${kib(sum(js, 'size'))} (${kib(sum(js, 'gzip'))} gz); ` +
    `entry: ${kib(
      sum(
        js.filter((r) => entries.has(r.name)),
        'size',
      ),
    )}`,
);
