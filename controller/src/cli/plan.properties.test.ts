import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { propertyParameters, someCluster, someMcm } from '../__fakes__/arbitraries';
import { runPlan, runPlanCommand, type PlanFlags } from './plan';

// `plan` fed bad files (fast-check; fixed seed, KMM_PROPERTY_RUNS for more): any MCMs and ManagedClusters as
// YAML, JSON or a List, or bytes that are neither. It exits 0, 1 or 2 as documented, with a one-line message
// for 2, and never an internal error or a stack trace. In-process, then a few runs of the real bin.

const dir = mkdtempSync(join(tmpdir(), 'kmm-plan-props-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

/** How the documents are written out: several YAML documents, a JSON List, or junk. */
const fileOf = <T>(docs: fc.Arbitrary<T[]>) =>
  fc.oneof(
    { weight: 3, arbitrary: docs.map((d) => d.map((x) => stringify(x)).join('\n---\n')) },
    { weight: 2, arbitrary: docs.map((d) => JSON.stringify({ kind: 'List', items: d })) },
    {
      weight: 1,
      arbitrary: fc.oneof(
        fc.string({ unit: 'binary' }),
        fc.constantFrom('', '---', ': :', '[', '{}'),
      ),
    },
  );

const inputs = fc.record({
  mcms: fileOf(fc.array(someMcm, { minLength: 1, maxLength: 3 })),
  clusters: fileOf(fc.array(someCluster, { maxLength: 4 })),
  output: fc.constantFrom('yaml' as const, 'json' as const),
});

function write(text: string): string {
  const path = join(dir, `f${n++}`);
  writeFileSync(path, text);
  return path;
}

/** What every run must satisfy, however it ended. */
function expectDocumented(code: number | null, stdout: string, stderr: string): void {
  expect([0, 1, 2]).toContain(code);
  expect(stderr).not.toMatch(/internal error|\n\s+at /);
  if (code === 2) {
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^kmm-hub-controller plan: [^\n]+\n$/);
  } else {
    expect(stdout).not.toBe('');
  }
}

/** A hub that refuses connections (port 9, discard): every preview that gets as far as the hub ends there. */
const downHub = () =>
  write(
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'hub', cluster: { server: 'https://127.0.0.1:9' } }],
      users: [{ name: 'ci', user: { token: 'not-a-secret' } }],
      contexts: [{ name: 'hub', context: { cluster: 'hub', user: 'ci' } }],
      'current-context': 'hub',
    }),
  );

/** Any combination of the preview's flags, some of them contradictory or malformed. */
const diffFlags = fc.record(
  {
    diff: fc.boolean(),
    kubeconfig: fc.constantFrom('down', 'missing', 'junk'),
    clusters: fc.boolean(),
    output: fc.constantFrom('text' as const, 'yaml' as const, 'json' as const),
    maxChangedClusters: fc.oneof(
      fc.constantFrom('0', '10', '5%', '100%', '101%', '-1', 'many', ''),
      fc.string(),
    ),
    requestTimeout: fc.constantFrom('30', '0', 'x', '0.5'),
    checkRegistry: fc.boolean(),
  },
  { requiredKeys: ['diff'] },
);

describe('plan properties', () => {
  it('exits 0, 1 or 2 on any input, never with a stack trace (in-process)', () => {
    const seen = new Set<number>();
    fc.assert(
      fc.property(inputs, ({ mcms, clusters, output }) => {
        let stdout = '';
        let stderr = '';
        const code = runPlan(
          { mcm: [write(mcms)], clusters: [write(clusters)], output },
          { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) },
        );
        seen.add(code);
        expectDocumented(code, stdout, stderr);
      }),
      propertyParameters(60),
    );
    // Each of the three outcomes was reached, so each branch of the check above ran.
    expect([...seen].sort()).toEqual([0, 1, 2]);
  });

  it('with the preview flags: documented exits, one line for 2 and 4, never a stack trace (in-process)', async () => {
    const seen = new Set<number>();
    const kubeconfigs = {
      down: downHub(),
      missing: join(dir, 'no-such-kubeconfig'),
      junk: write(': :'),
    };
    await fc.assert(
      fc.asyncProperty(inputs, diffFlags, async ({ mcms, clusters }, flags) => {
        let stdout = '';
        let stderr = '';
        const options: PlanFlags = {
          mcm: [write(mcms)],
          diff: flags.diff,
          kubeconfig: flags.kubeconfig && kubeconfigs[flags.kubeconfig],
          clusters: flags.clusters ? [write(clusters)] : undefined,
          output: flags.output,
          maxChangedClusters: flags.maxChangedClusters,
          requestTimeout: flags.requestTimeout ?? '30',
          checkRegistry: flags.checkRegistry,
        };
        const code = await runPlanCommand(options, {
          stdout: (t) => (stdout += t),
          stderr: (t) => (stderr += t),
        });
        seen.add(code);
        // the offline plan may run (no --diff, no --kubeconfig, --clusters given) and exit 0 or 1
        expect([0, 1, 2, 4]).toContain(code);
        expect(stderr).not.toMatch(/internal error|\n\s+at /);
        if (code === 2 || code === 4) {
          expect(stdout).toBe('');
          expect(stderr).toMatch(/^kmm-hub-controller plan( --diff)?: [^\n]+\n$/);
        }
      }),
      propertyParameters(60),
    );
    expect(seen).toContain(2);
    expect(seen).toContain(4);
  });

  it('the real bin does the same on a few of those inputs', async () => {
    const root = resolve(__dirname, '../../..');
    const bin = join(root, 'controller/bin/kmm-hub-controller.js');
    const samples = fc.sample(inputs, { seed: propertyParameters(0).seed, numRuns: 3 });
    const runs = await Promise.all(
      samples.map(
        ({ mcms, clusters, output }) =>
          new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
            const args = ['plan', '--mcm', write(mcms), '--clusters', write(clusters)];
            execFile(
              process.execPath,
              [bin, ...args, '--output', output],
              { cwd: root, maxBuffer: 64 << 20 },
              (error, stdout, stderr) =>
                done({ code: error ? ((error.code as number) ?? -1) : 0, stdout, stderr }),
            );
          }),
      ),
    );
    for (const r of runs) {
      // Not a terminal: the bin ends with its one-line summary, unless it refused the input.
      expectDocumented(r.code, r.stdout, r.code === 2 ? r.stderr : r.stderr.replace(/.*\n$/, ''));
    }
  }, 60_000);
});
