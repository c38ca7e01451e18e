import { mcm } from './__fixtures__/objects';
import { MCM_NAME_LABEL } from './constants';
import { cloneJson } from './json';
import { ManifestWorkRenderer } from './manifestwork';
import type { ManifestWork, Module, OwnerReference } from './types';
import {
  isWorkOf,
  manifestWorkDiff,
  manifestWorkMatches,
  updatedManifestWork,
  type OwnedWorkPart,
} from './workmatch';

const desired = new ManifestWorkRenderer(mcm()).render('c1', [
  { literal: '6.1.0', containerImage: 'q.io/m:6.1.0' },
]);

/** What the API server returns for what the controller wrote: defaults, metadata, status. */
function asServed(w: ManifestWork): ManifestWork {
  const s = cloneJson(w);
  s.metadata = {
    ...s.metadata,
    uid: 'w-uid',
    resourceVersion: '42',
    generation: 1,
    creationTimestamp: '2026-01-01T00:00:00Z',
    labels: { ...s.metadata.labels, 'team.example.com/owner': 'gpu' },
    annotations: { note: 'x' },
  };
  for (const c of s.spec.manifestConfigs ?? []) c.feedbackScrapeType = 'Poll';
  s.status = { conditions: [{ type: 'Applied', status: 'True' }] };
  return s;
}

describe('does the current ManifestWork match the desired one?', () => {
  it('matches what the server returns for the work as written (defaults, metadata, status, other labels)', () => {
    expect(manifestWorkDiff(asServed(desired), desired)).toEqual([]);
    expect(manifestWorkMatches(asServed(desired), desired)).toBe(true);
  });

  it("ignores deleteOption and annotations (not kmm-hub's)", () => {
    const c = asServed(desired);
    c.spec.deleteOption = { propagationPolicy: 'Orphan' };
    expect(manifestWorkMatches(c, desired)).toBe(true);
  });

  it('sees a changed kernel mapping image', () => {
    const c = asServed(desired);
    (
      (c.spec.workload.manifests[0] as Module).spec.moduleLoader?.container.kernelMappings[0] ?? {}
    ).containerImage = 'q.io/m:old';
    expect(manifestWorkDiff(c, desired)).toEqual(['spec.workload']);
  });

  it('sees a removed or changed label', () => {
    const c = asServed(desired);
    delete c.metadata.labels?.['kmm.node.kubernetes.io/managedclustermodule.name'];
    expect(manifestWorkDiff(c, desired)).toEqual(['metadata.labels']);
  });

  it('sees a missing or different controller ownerReference', () => {
    const c = asServed(desired);
    const [owner] = c.metadata.ownerReferences ?? [];
    c.metadata.ownerReferences = [{ ...(owner as OwnerReference), uid: 'other' }];
    expect(manifestWorkDiff(c, desired)).toEqual(['metadata.ownerReferences']);
    c.metadata.ownerReferences = [];
    expect(manifestWorkDiff(c, desired)).toEqual(['metadata.ownerReferences']);
  });

  it("accepts other ownerReferences next to kmm-hub's", () => {
    const c = asServed(desired);
    c.metadata.ownerReferences?.unshift({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      name: 'x',
      uid: 'y',
    });
    expect(manifestWorkMatches(c, desired)).toBe(true);
  });

  it('sees changed feedback rules, and a non-default scrape type', () => {
    const c = asServed(desired);
    c.spec.manifestConfigs?.[0]?.feedbackRules?.[0]?.jsonPaths?.pop();
    expect(manifestWorkDiff(c, desired)).toEqual(['spec.manifestConfigs']);
    const w = asServed(desired);
    (w.spec.manifestConfigs ?? [])[0]!.feedbackScrapeType = 'Watch';
    expect(manifestWorkDiff(w, desired)).toEqual(['spec.manifestConfigs']);
  });

  it('sees a stale reference to a ManagedClusterModule next to the current one', () => {
    const c = asServed(desired);
    const [owner] = c.metadata.ownerReferences ?? [];
    c.metadata.ownerReferences?.push({ ...(owner as OwnerReference), uid: 'old-uid' });
    expect(manifestWorkDiff(c, desired)).toEqual(['metadata.ownerReferences']);
  });

  it('tells whether a work carries the label of an MCM', () => {
    expect(isWorkOf(desired, 'acme')).toBe(true);
    expect(isWorkOf(desired, 'other')).toBe(false);
  });
});

/** Each change of a part kmm-hub owns, applied to a served copy of `desired`. */
const ownedChanges: [OwnedWorkPart, (w: ManifestWork) => void][] = [
  ['metadata.labels', (w) => delete w.metadata.labels?.[MCM_NAME_LABEL]],
  ['metadata.labels', (w) => (w.metadata.labels![MCM_NAME_LABEL] = 'other')],
  ['metadata.ownerReferences', (w) => (w.metadata.ownerReferences = [])],
  [
    'metadata.ownerReferences',
    (w) => (w.metadata.ownerReferences = [{ ...w.metadata.ownerReferences![0]!, uid: 'old' }]),
  ],
  ['spec.workload', (w) => (w.spec.workload = { manifests: [] })],
  [
    'spec.workload',
    (w) => ((w.spec.workload.manifests[0] as Module).spec.moduleLoader!.container.version = 'v2'),
  ],
  ['spec.manifestConfigs', (w) => delete w.spec.manifestConfigs],
  ['spec.manifestConfigs', (w) => (w.spec.manifestConfigs![0]!.feedbackScrapeType = 'Watch')],
];

/** Changes to what others own of the work. */
const foreignChanges: [string, (w: ManifestWork) => void][] = [
  ['another label', (w) => (w.metadata.labels!['team.example.com/owner'] = 'net')],
  ['an annotation', (w) => (w.metadata.annotations = { 'example.com/note': 'kept' })],
  [
    'another owner',
    (w) =>
      w.metadata.ownerReferences!.unshift({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        name: 'x',
        uid: 'cm',
      }),
  ],
  ['a finalizer', (w) => (w.metadata.finalizers = ['example.com/hold'])],
  ['deleteOption', (w) => (w.spec.deleteOption = { propagationPolicy: 'Orphan' })],
  ['the status', (w) => (w.status = { conditions: [{ type: 'Available', status: 'False' }] })],
];

describe('what to write over the current ManifestWork', () => {
  it.each(ownedChanges)(
    'a change to %s is seen, and the work to write puts the desired part back',
    (part, change) => {
      const current = asServed(desired);
      change(current);
      expect(manifestWorkDiff(current, desired)).toEqual([part]);
      const body = updatedManifestWork(current, desired);
      expect(manifestWorkDiff(body, desired)).toEqual([]);
      expect(body.metadata.resourceVersion).toBe('42');
    },
  );

  it.each(foreignChanges)(
    'a change to %s is not seen, and the work to write keeps it',
    (_, change) => {
      const current = asServed(desired);
      change(current);
      expect(manifestWorkDiff(current, desired)).toEqual([]);
      // the served copy and the desired one differ only by the CRD's default scrape type, which the write omits
      expect(updatedManifestWork(current, desired)).toEqual({
        ...current,
        spec: { ...current.spec, manifestConfigs: desired.spec.manifestConfigs },
      });
    },
  );

  it('keeps what others own while rewriting every owned part (resourceVersion too)', () => {
    const current = asServed(desired);
    // one change of each owned part (the list has two per part), and every foreign one
    for (const [, change] of [...ownedChanges.filter((_, i) => i % 2 === 1), ...foreignChanges])
      change(current);
    expect(manifestWorkDiff(current, desired)).toHaveLength(4);
    const body = updatedManifestWork(current, desired);
    expect(manifestWorkDiff(body, desired)).toEqual([]);
    expect(body.metadata).toMatchObject({
      resourceVersion: '42',
      labels: { 'team.example.com/owner': 'net', [MCM_NAME_LABEL]: 'acme' },
      annotations: { 'example.com/note': 'kept' },
      finalizers: ['example.com/hold'],
    });
    expect(body.spec.deleteOption).toEqual({ propagationPolicy: 'Orphan' });
    expect(body.status).toEqual(current.status);
    expect(body.spec.workload).toEqual(desired.spec.workload);
  });

  it('replaces a stale MCM owner reference and keeps other owners', () => {
    const current = asServed(desired);
    current.metadata.ownerReferences = [
      {
        apiVersion: 'hub.kmm.sigs.x-k8s.io/v1beta1',
        kind: 'ManagedClusterModule',
        name: 'acme',
        uid: 'old-uid',
        controller: true,
      },
      { apiVersion: 'v1', kind: 'ConfigMap', name: 'x', uid: 'cm' },
    ];
    expect(
      updatedManifestWork(current, desired).metadata.ownerReferences?.map((r) => r.uid),
    ).toEqual(['cm', 'uid-acme']);
  });

  it('modifies neither argument and shares nothing with them', () => {
    const current = asServed(desired);
    current.spec.workload = { manifests: [] };
    const before = [cloneJson(current), cloneJson(desired)];
    const body = updatedManifestWork(current, desired);
    expect([current, desired]).toEqual(before);
    expect(body.spec.workload).not.toBe(desired.spec.workload);
    expect(body.metadata.labels).not.toBe(current.metadata.labels);
  });
});
