import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultCrdFiles, readCrds } from '../../src/server/crds';

const crd = (name: string, marker: string) => `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: ${name}
  labels: {source: ${marker}}
spec: {}
`;

describe('CRD preloading', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'kmm-crds-'));
    mkdirSync(join(root, 'crds/upstream'), { recursive: true });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('takes crds/upstream, then the chart CRDs, which replace upstream CRDs of the same name', () => {
    writeFileSync(join(root, 'crds/upstream/a.yaml'), crd('as.example.com', 'upstream'));
    writeFileSync(join(root, 'crds/upstream/b.yaml'), crd('bs.example.com', 'upstream'));
    writeFileSync(join(root, 'crds/upstream/PROVENANCE.md'), '# not a CRD');
    expect(readCrds(defaultCrdFiles(root)).map((c) => c.metadata.name)).toEqual([
      'as.example.com',
      'bs.example.com',
    ]);
    mkdirSync(join(root, 'charts/kmm-hub/crds'), { recursive: true });
    writeFileSync(join(root, 'charts/kmm-hub/crds/b.yaml'), crd('bs.example.com', 'chart'));
    const crds = readCrds(defaultCrdFiles(root));
    expect(crds.map((c) => [c.metadata.name, c.metadata.labels?.source])).toEqual([
      ['as.example.com', 'upstream'],
      ['bs.example.com', 'chart'],
    ]);
  });

  it('names the file when it holds something other than a CRD', () => {
    const file = join(root, 'crds/upstream/x.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n');
    expect(() => readCrds([file])).toThrow(
      `${file}: expected kind CustomResourceDefinition, found ConfigMap`,
    );
  });
});
