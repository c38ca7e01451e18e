import { mcm } from './__fixtures__/objects';
import { cloneJson } from './json';
import { ManifestWorkRenderer } from './manifestwork';
import type { ManifestWork, Module, OwnerReference } from './types';
import { isWorkOf, manifestWorkDiff, manifestWorkMatches } from './workmatch';

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

  it('tells whether a work carries the label of an MCM', () => {
    expect(isWorkOf(desired, 'acme')).toBe(true);
    expect(isWorkOf(desired, 'other')).toBe(false);
  });
});
