import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { runPlan, type PlanOptions } from './plan';

// The plan command in-process (the bin itself is exercised in controller/test/plan-cli.test.ts): input
// formats, and the one-line message for every kind of bad input.

const dir = mkdtempSync(join(tmpdir(), 'kmm-plan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const file = (text: string, ext = 'yaml') => {
  const p = join(dir, `f${n++}.${ext}`);
  writeFileSync(p, text);
  return p;
};

const mcmYaml = (name: string, image = 'q.io/m:${KERNEL_FULL_VERSION}') => `
apiVersion: hub.kmm.sigs.x-k8s.io/v1beta1
kind: ManagedClusterModule
metadata:
  name: ${name}
spec:
  spokeNamespace: ns
  selector: {}
  moduleSpec:
    selector: {}
    moduleLoader:
      container:
        modprobe: {moduleName: m}
        kernelMappings:
          - regexp: '^6\\.'
            containerImage: ${image}
`;
const clusterObj = (name: string, kernels: string) => ({
  apiVersion: 'cluster.open-cluster-management.io/v1',
  kind: 'ManagedCluster',
  metadata: { name },
  status: { clusterClaims: [{ name: 'kernel-versions.kmm.node.kubernetes.io', value: kernels }] },
});

function plan(options: Partial<PlanOptions>, summary = false) {
  let stdout = '';
  let stderr = '';
  const code = runPlan(
    { mcm: [], clusters: [], output: 'yaml', ...options },
    { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), summary },
  );
  return { code, stdout, stderr };
}

describe('plan input formats', () => {
  const clustersJson = file(JSON.stringify(clusterObj('c1', '6.1.0\n6.2.0')), 'json');

  it('reads multi-document YAML, skipping empty documents', () => {
    const r = plan({
      mcm: [file(`---\n${mcmYaml('a')}\n---\n---\n${mcmYaml('b')}`)],
      clusters: [clustersJson],
    });
    expect(r.code).toBe(0);
    expect(
      parse(r.stdout).manifestWorks.map((w: { metadata: { name: string } }) => w.metadata.name),
    ).toEqual(['a', 'b']);
  });

  it('reads JSON, a kind: List and a <Kind>List', () => {
    const list = file(
      JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [clusterObj('c2', '6.3.0')] }),
      'json',
    );
    const typed = file(
      `apiVersion: cluster.open-cluster-management.io/v1\nkind: ManagedClusterList\nitems:\n  - ${JSON.stringify(clusterObj('c3', '6.4.0'))}\n`,
    );
    const r = plan({
      mcm: [file(mcmYaml('a'))],
      clusters: [clustersJson, list, typed],
      output: 'json',
    });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(
      doc.manifestWorks.map((w: { metadata: { namespace: string } }) => w.metadata.namespace),
    ).toEqual(['c1', 'c2', 'c3']);
    expect(doc.images.map((i: { image: string }) => i.image)).toEqual([
      'q.io/m:6.1.0',
      'q.io/m:6.2.0',
      'q.io/m:6.3.0',
      'q.io/m:6.4.0',
    ]);
  });

  it('exits 1 with the document when an MCM is invalid', () => {
    const r = plan({ mcm: [file(mcmYaml('a', 'q.io/m'))], clusters: [clustersJson] });
    expect(r.code).toBe(1);
    expect(parse(r.stdout).errors).toEqual([
      {
        mcm: 'a',
        field: 'spec.moduleSpec.moduleLoader.container.kernelMappings[0].containerImage',
        message: expect.stringMatching(/must name a tag or a digest/),
      },
    ]);
  });

  it('expands anchors and aliases to the same plan as the file without them', () => {
    const second = (image: string) =>
      `\n          - literal: 7.0.0\n            containerImage: ${image}\n`;
    const withAlias =
      mcmYaml('a').replace('containerImage: q.io', 'containerImage: &img q.io').trimEnd() +
      second('*img');
    const plain = mcmYaml('a').trimEnd() + second('q.io/m:${KERNEL_FULL_VERSION}');
    const clusters = [clustersJson, file(JSON.stringify(clusterObj('c9', '7.0.0')), 'json')];
    const a = plan({ mcm: [file(withAlias)], clusters, output: 'json' });
    const b = plan({ mcm: [file(plain)], clusters, output: 'json' });
    expect(a.stderr).toBe('');
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(JSON.parse(a.stdout).images.map((i: { image: string }) => i.image)).toContain(
      'q.io/m:7.0.0',
    );
  });

  it('prints YAML that YAML 1.1 readers (kubectl, go-yaml) read as the same strings as the JSON', () => {
    // Values that YAML 1.1 would read as booleans, octal, floats, null or a merge key if left unquoted.
    const tricky = [
      'yes',
      'on',
      'off',
      'y',
      '012',
      '1.10',
      '0x1f',
      'null',
      '~',
      '<<',
      '2026-01-01',
    ];
    const mcm = parse(mcmYaml('a'));
    mcm.spec.moduleSpec.moduleLoader.container.modprobe.parameters = tricky;
    mcm.spec.moduleSpec.selector = Object.fromEntries(tricky.map((v, i) => [`k${i}`, v]));
    const options = { mcm: [file(JSON.stringify(mcm), 'json')], clusters: [clustersJson] };
    const json = JSON.parse(plan({ ...options, output: 'json' }).stdout);
    const yaml = plan(options).stdout;
    expect(json.manifestWorks).toHaveLength(1);
    expect(parse(yaml)).toEqual(json);
    expect(parse(yaml, { version: '1.1' })).toEqual(json);
  });

  it('prints an empty plan for empty files', () => {
    const r = plan({ mcm: [file('')], clusters: [file('# nothing\n')] });
    expect(r.code).toBe(0);
    expect(parse(r.stdout)).toEqual({ manifestWorks: [], images: [], skipped: [], errors: [] });
  });
});

describe('plan summary', () => {
  const clusters = [
    file(
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'List',
        items: [clusterObj('c1', '6.1.0\n6.2.0'), clusterObj('c2', '6.1.0'), clusterObj('c3', '')],
      }),
      'json',
    ),
  ];

  it('ends with one line on stderr counting what the document holds, when asked', () => {
    const r = plan(
      { mcm: [file(`${mcmYaml('a')}\n---\n${mcmYaml('b', 'q.io/m')}`)], clusters },
      true,
    );
    expect(r.code).toBe(1);
    const doc = parse(r.stdout);
    expect([doc.manifestWorks.length, doc.images.length, doc.skipped.length]).toEqual([2, 2, 1]);
    expect(r.stderr).toBe(
      'kmm-hub-controller plan: 2 MCMs, 3 clusters, 2 ManifestWorks, 2 images, 1 skipped, 1 error\n',
    );
  });

  it('counts in the singular, and prints nothing more when not asked', () => {
    const one = {
      mcm: [file(mcmYaml('a'))],
      clusters: [file(JSON.stringify(clusterObj('c1', '6.1.0')))],
    };
    expect(plan(one, true).stderr).toBe(
      'kmm-hub-controller plan: 1 MCM, 1 cluster, 1 ManifestWork, 1 image, 0 skipped, 0 errors\n',
    );
    expect(plan(one).stderr).toBe('');
  });

  it('prints no summary after bad input: the one line names the problem', () => {
    const r = plan({ mcm: [join(dir, 'nope.yaml')], clusters }, true);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^kmm-hub-controller plan: --mcm .*nope\.yaml: cannot read: no such file\n$/,
    );
  });
});

describe('plan bad input: exit 2, one line naming the file and the problem', () => {
  const okMcm = file(mcmYaml('a'));
  const okClusters = file(JSON.stringify(clusterObj('c1', '6.1.0')), 'json');
  const subdir = join(dir, 'a-dir');
  mkdirSync(subdir);

  it.each<[string, () => Partial<PlanOptions>, RegExp]>([
    [
      'missing file',
      () => ({ mcm: [join(dir, 'nope.yaml')], clusters: [okClusters] }),
      /--mcm .*nope\.yaml: cannot read: no such file$/,
    ],
    [
      'a directory',
      () => ({ mcm: [okMcm], clusters: [subdir] }),
      /--clusters .*a-dir: cannot read: is a directory$/,
    ],
    [
      'malformed YAML',
      () => ({ mcm: [file('a: [\n')], clusters: [okClusters] }),
      /--mcm .*: not valid YAML or JSON: .* at line \d+, column \d+$/,
    ],
    [
      'malformed JSON',
      () => ({ mcm: [okMcm], clusters: [file('{"a": 1,,}', 'json')] }),
      /--clusters .*\.json: not valid YAML or JSON: .*line 1/,
    ],
    [
      'duplicate keys',
      () => ({ mcm: [file('a: 1\na: 2\n')], clusters: [okClusters] }),
      /not valid YAML or JSON: Map keys must be unique/,
    ],
    [
      'an alias bomb',
      () => ({
        mcm: [
          file(
            ['a: &a [x, x, x, x, x, x, x, x, x, x]']
              .concat(
                [1, 2, 3, 4, 5].map(
                  (i) =>
                    `a${i}: &a${i} [${Array(10)
                      .fill(i === 1 ? '*a' : `*a${i - 1}`)
                      .join(', ')}]`,
                ),
              )
              .join('\n'),
          ),
        ],
        clusters: [okClusters],
      }),
      /--mcm .*: not valid input: aliases expand to more than 1000 nodes \(an alias bomb\?\); write the objects out without anchors$/,
    ],
    [
      'a cluster in --mcm',
      () => ({ mcm: [okClusters], clusters: [okClusters] }),
      /--mcm .*: document: expected kind ManagedClusterModule \(apiVersion hub.kmm.sigs.x-k8s.io\/v1beta1\), got kind ManagedCluster \(apiVersion cluster.open-cluster-management.io\/v1\)$/,
    ],
    [
      'a wrong apiVersion',
      () => ({
        mcm: [okMcm],
        clusters: [
          file(
            JSON.stringify({
              ...clusterObj('c', ''),
              apiVersion: 'cluster.open-cluster-management.io/v2',
            }),
          ),
        ],
      }),
      /got kind ManagedCluster \(apiVersion cluster.open-cluster-management.io\/v2\)$/,
    ],
    [
      'a scalar document',
      () => ({ mcm: [file('hello\n')], clusters: [okClusters] }),
      /--mcm .*: document: expected a ManagedClusterModule object, got "hello"$/,
    ],
    [
      'a list document',
      () => ({ mcm: [file('- a\n')], clusters: [okClusters] }),
      /expected a ManagedClusterModule object, got a list$/,
    ],
    [
      'a List without items',
      () => ({ mcm: [okMcm], clusters: [file('kind: List\n')] }),
      /--clusters .*: document: a List needs an items list$/,
    ],
    [
      'an object without a name',
      () => ({
        mcm: [file(mcmYaml('a').replace('name: a', 'labels: {}'))],
        clusters: [okClusters],
      }),
      /the ManagedClusterModule has no metadata\.name$/,
    ],
    [
      'a bad item in a second document',
      () => ({
        mcm: [okMcm],
        clusters: [
          file(
            `${JSON.stringify(clusterObj('c1', ''))}\n---\nkind: List\nitems: [{kind: Node, apiVersion: v1}]\n`,
          ),
        ],
      }),
      /--clusters .*: document 2, item 1: expected kind ManagedCluster/,
    ],
    [
      'standard input twice',
      () => ({ mcm: ['-'], clusters: ['-'] }),
      /standard input \(-\) can be read once: give - to one --mcm or --clusters$/,
    ],
    [
      'a name twice',
      () => ({ mcm: [okMcm, file(mcmYaml('a'))], clusters: [okClusters] }),
      /--mcm .*: ManagedClusterModule "a" appears twice \(also in .*\); keep one$/,
    ],
  ])('%s', (_, options, message) => {
    const r = plan(options());
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^kmm-hub-controller plan: /);
    expect(r.stderr.trimEnd()).toMatch(message);
    expect(r.stderr.trimEnd()).not.toMatch(/\n/);
  });
});
