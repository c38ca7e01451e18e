import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

// The real command, as `npx kmm-hub-controller plan ...` runs it: the package bin under the project's Node.
const root = resolve(__dirname, '../..');
const bin = join(root, 'controller/bin/kmm-hub-controller.js');
const example = (f: string) => join(root, 'controller/examples', f);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(...args: string[]): Promise<Run> {
  return runWith({}, ...args);
}

/**
 * `input`: what the command reads on standard input. `tty`: run it with a terminal as its stdout (and stderr),
 * through util-linux's `script`; the two streams then arrive merged on stdout.
 */
function runWith(
  { input, tty }: { input?: string; tty?: boolean },
  ...args: string[]
): Promise<Run> {
  const quote = (a: string) => `'${a.replace(/'/g, `'\\''`)}'`;
  const [file, argv] = tty
    ? ['script', ['-qec', [process.execPath, bin, ...args].map(quote).join(' '), '/dev/null']]
    : [process.execPath, [bin, ...args]];
  return new Promise((done) => {
    const child = execFile(
      file,
      argv,
      { cwd: root, maxBuffer: 64 << 20 },
      (error, stdout, stderr) => {
        done({ code: error ? ((error as { code?: number }).code ?? -1) : 0, stdout, stderr });
      },
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

const dir = mkdtempSync(join(tmpdir(), 'kmm-plan-cli-'));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

const invalidMcm = file(
  'invalid.json',
  JSON.stringify({
    apiVersion: 'hub.kmm.sigs.x-k8s.io/v1beta1',
    kind: 'ManagedClusterModule',
    metadata: { name: 'broken' },
    spec: {
      spokeNamespace: 'ns',
      selector: {},
      moduleSpec: {
        selector: {},
        moduleLoader: {
          container: {
            modprobe: { moduleName: 'm' },
            kernelMappings: [{ regexp: '^5\\.14(?=\\.0)', containerImage: 'q.io/m:v1' }],
          },
        },
      },
    },
  }),
);
const clustersJsonList = file(
  'clusters.json',
  JSON.stringify({
    apiVersion: 'cluster.open-cluster-management.io/v1',
    kind: 'ManagedClusterList',
    items: [
      {
        apiVersion: 'cluster.open-cluster-management.io/v1',
        kind: 'ManagedCluster',
        metadata: { name: 'solo', labels: { gpu: 'acme' } },
        status: {
          clusterClaims: [
            {
              name: 'kernel-versions.kmm.node.kubernetes.io',
              value: '5.14.0-570.1.1.el9_6.x86_64',
            },
          ],
        },
      },
    ],
  }),
);
const malformed = file('malformed.yaml', 'apiVersion: v1\nkind: List\nitems: [\n  - a: b\n');

let results: Record<string, Run>;

beforeAll(async () => {
  // One spawn per case, all at once: each pays the start-up. Every other input case is tested in-process
  // (src/cli/plan.test.ts); these check what only a real process shows (exit status, streams).
  const cases: Record<string, string[]> = {
    examples: [
      'plan',
      '--mcm',
      example('mcm-gpu-driver.yaml'),
      '--mcm',
      example('mcm-device-plugin.yaml'),
      '--clusters',
      example('fleet.yaml'),
    ],
    invalidJson: [
      'plan',
      '--mcm',
      invalidMcm,
      '--mcm',
      example('mcm-device-plugin.yaml'),
      '--clusters',
      clustersJsonList,
      '--output',
      'json',
    ],
    malformed: ['plan', '--mcm', example('mcm-gpu-driver.yaml'), '--clusters', malformed],
    badFlag: ['plan', '--mcm', invalidMcm, '--clusters', clustersJsonList, '--outptu', 'json'],
    typo: ['plna', '--mcm', invalidMcm],
  };
  const entries = await Promise.all(
    Object.entries(cases).map(async ([k, args]) => [k, await run(...args)] as const),
  );
  results = Object.fromEntries(entries);
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('kmm-hub-controller plan', () => {
  it('plans the examples: exit 0, YAML with exactly the four keys', () => {
    const r = results.examples as Run;
    // stdout is a pipe here: the one-line summary comes on stderr
    expect(r.stderr).toBe(
      'kmm-hub-controller plan: 2 MCMs, 8 clusters, 11 ManifestWorks, 4 images, 3 skipped, 0 errors\n',
    );
    expect(r.code).toBe(0);
    const doc = parse(r.stdout);
    expect(Object.keys(doc)).toEqual(['manifestWorks', 'images', 'skipped', 'errors']);
    expect(doc.errors).toEqual([]);
    const works = doc.manifestWorks.map(
      (w: { metadata: { namespace: string; name: string } }) =>
        `${w.metadata.namespace}/${w.metadata.name}`,
    );
    expect(works).toEqual([
      'edge-store-0412/acme-gpu',
      'edge-store-0412/acme-gpu-plugin',
      'edge-store-0587/acme-gpu-plugin',
      'prod-ap-south-1/acme-gpu',
      'prod-ap-south-1/acme-gpu-plugin',
      'prod-eu-central-1/acme-gpu',
      'prod-eu-central-1/acme-gpu-plugin',
      'prod-us-east-1/acme-gpu',
      'prod-us-east-1/acme-gpu-plugin',
      'prod-us-west-2/acme-gpu',
      'prod-us-west-2/acme-gpu-plugin',
    ]);
    expect(doc.images).toContainEqual({
      mcm: 'acme-gpu',
      image: 'quay.example.com/acme/gpu-driver:5.14.0-570.22.1.el9_6.x86_64',
      kernelVersions: ['5.14.0-570.22.1.el9_6.x86_64'],
      clusters: ['prod-ap-south-1', 'prod-us-east-1', 'prod-us-west-2'],
      build: true,
      sign: true,
    });
    expect(doc.skipped).toEqual([
      {
        mcm: 'acme-gpu',
        cluster: 'edge-store-0587',
        kernelVersion: '4.18.0-553.40.1.el8_10.x86_64',
        reason: expect.stringMatching(/no kernel mapping matches/),
      },
      {
        mcm: 'acme-gpu',
        cluster: 'lab-gpu-01',
        reason: expect.stringMatching(/no kernel-versions.kmm.node.kubernetes.io claim/),
      },
      // No KMM there (no claim): not even the device plugin goes.
      {
        mcm: 'acme-gpu-plugin',
        cluster: 'lab-gpu-01',
        reason: expect.stringMatching(
          /no kernel-versions.* claim.*; a device plugin needs KMM there$/,
        ),
      },
    ]);
    expect(r.stdout).not.toMatch(/build:\s*\n\s+dockerfileConfigMap|keySecret|[&*]a\d/); // no build/sign, no YAML aliases
  });

  it('prints JSON and exits 1 when an MCM is invalid; the valid one is still planned', () => {
    const r = results.invalidJson as Run;
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'kmm-hub-controller plan: 2 MCMs, 1 cluster, 1 ManifestWork, 0 images, 0 skipped, 1 error\n',
    );
    const doc = JSON.parse(r.stdout);
    expect(doc.errors).toEqual([
      {
        mcm: 'broken',
        field: 'spec.moduleSpec.moduleLoader.container.kernelMappings[0].regexp',
        message: expect.stringMatching(/invalid or unsupported Perl syntax.*RE2/),
      },
    ]);
    expect(doc.manifestWorks.map((w: { metadata: { name: string } }) => w.metadata.name)).toEqual([
      'acme-gpu-plugin',
    ]);
  });

  it.each([
    [
      'malformed',
      /^kmm-hub-controller plan: --clusters .*malformed\.yaml: not valid YAML or JSON: .+ at line 4, column 3\n$/,
    ],
    ['badFlag', /^error: unknown option '--outptu'\n$/],
    [
      'typo',
      /^error: unknown command 'plna'; the commands are plan, run \(--help describes them\)\n$/,
    ],
  ])(
    '%s input: exit 2, one line on stderr naming the problem, nothing on stdout',
    (name, message) => {
      const r = results[name] as Run;
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
    },
  );
});

describe('kmm-hub-controller plan, reading and writing like a Unix command', () => {
  const examples = ['--mcm', example('mcm-gpu-driver.yaml'), '--clusters', example('fleet.yaml')];

  it('reads --mcm - from standard input, to the same plan as the file', async () => {
    const [fromFile, fromStdin] = await Promise.all([
      run('plan', ...examples),
      runWith(
        { input: readFileSync(example('mcm-gpu-driver.yaml'), 'utf8') },
        'plan',
        '--mcm',
        '-',
        '--clusters',
        example('fleet.yaml'),
      ),
    ]);
    expect(fromStdin.code).toBe(0);
    expect(fromStdin.stdout).toBe(fromFile.stdout);
    expect(parse(fromStdin.stdout).manifestWorks).toHaveLength(5);
    expect(fromStdin.stderr).toBe(fromFile.stderr);
  });

  it('prints no summary when its output is a terminal', async () => {
    const r = await runWith({ tty: true }, 'plan', ...examples);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('manifestWorks:');
    expect(r.stdout).not.toContain('kmm-hub-controller plan:');
    // the same command into a pipe does
    expect((await run('plan', ...examples)).stderr).toBe(
      'kmm-hub-controller plan: 1 MCM, 8 clusters, 5 ManifestWorks, 4 images, 2 skipped, 0 errors\n',
    );
  });

  it('shows three examples in plan --help: files, standard input, and a preview against a hub', async () => {
    const r = await run('plan', '--help');
    expect(r.code).toBe(0);
    const examplesText = r.stdout.slice(r.stdout.indexOf('\nExamples:\n'));
    const commands = examplesText.split('\n').filter((l) => /kmm-hub-controller plan /.test(l));
    expect(commands).toEqual([
      expect.stringMatching(/^ {2}kmm-hub-controller plan --mcm controller\/examples\//),
      expect.stringMatching(/^ {2}cat \S+ \| kmm-hub-controller plan --mcm - --clusters /),
      expect.stringMatching(
        /^ {2}kmm-hub-controller plan --diff --kubeconfig \S+ --mcm \S+ --max-changed-clusters /,
      ),
    ]);
    expect(r.stdout).toMatch(/--mcm <file>[^]*?- reads standard input[^]*?--clusters <file>/);
  });
});
