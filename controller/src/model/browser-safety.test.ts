import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as model from './index';

// The console plugin bundles this folder for the browser: it may import only its own files and re2js, and
// use no Node globals.
const dir = __dirname;
const sources = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter(
  (f) => f.endsWith('.ts') && !f.endsWith('.test.ts'),
);

describe('the model is browser-safe', () => {
  it.each(sources)('%s imports only model files and re2js, and uses no Node globals', (file) => {
    const text = readFileSync(join(dir, file), 'utf8');
    const specifiers = [...text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'/gm)].map(
      (m) => m[1],
    );
    for (const s of specifiers)
      expect(s === 're2js' || s?.startsWith('./') || s?.startsWith('../')).toBe(true);
    expect(specifiers.filter((s) => s?.startsWith('../') && !file.includes('/'))).toEqual([]);
    expect(text).not.toMatch(/\brequire\(|\bprocess\.|\bBuffer\b|\b__dirname\b|\bsetTimeout\b/);
  });

  it('exports the public API from index', () => {
    for (const name of [
      'plan',
      'planManagedClusterModule',
      'planDocument',
      'validateManagedClusterModule',
      'kernelVersionsOf',
      'selectClusters',
      'KernelMapper',
      'ManifestWorkRenderer',
      'manifestWorkMatches',
      'updatedManifestWork',
      'samePlanInputs',
      'workState',
      'mcmCounters',
      'pinImage',
      'MCM_NAME_LABEL',
    ]) {
      expect(model).toHaveProperty(name);
    }
  });
});
