import { JsonInterner } from './json-interner';

const work = (cluster: string, rv: string) =>
  JSON.parse(
    JSON.stringify({
      metadata: { name: 'drv', namespace: cluster, resourceVersion: rv, labels: { mcm: 'drv' } },
      spec: { workload: { manifests: [{ kind: 'Module', spec: { a: [1, 2, { b: 'c' }] } }] } },
      status: { conditions: [{ type: 'Applied', status: 'True' }] },
    }),
  ) as {
    metadata: { name: string; namespace: string; resourceVersion: string; labels: object };
    spec: { workload: { manifests: { spec: { a: unknown[] } }[] } };
    status: object;
  };

describe('JsonInterner', () => {
  it('returns an equal value', () => {
    const interner = new JsonInterner();
    const w = work('c1', '1');
    expect(interner.intern(w)).toEqual(w);
    expect(interner.intern('x')).toBe('x');
    expect(interner.intern(null)).toBeNull();
    expect(interner.intern([1, { a: 2 }])).toEqual([1, { a: 2 }]);
  });

  it('shares equal subtrees of different objects, not the objects themselves', () => {
    const interner = new JsonInterner();
    const a = interner.intern(work('c1', '1'));
    const b = interner.intern(work('c2', '2'));
    expect(a).not.toBe(b);
    expect(a.spec).toBe(b.spec);
    expect(a.status).toBe(b.status);
    expect(a.metadata.labels).toBe(b.metadata.labels);
    expect(a.metadata).not.toBe(b.metadata); // namespace and resourceVersion differ
  });

  it('freezes what it shares, so that no holder can change it for the others', () => {
    const interner = new JsonInterner();
    const a = interner.intern(work('c1', '1'));
    expect(Object.isFrozen(a.spec)).toBe(true);
    expect(Object.isFrozen(a.spec.workload.manifests[0]!.spec.a)).toBe(true);
    expect(() => {
      (a.metadata.labels as Record<string, string>).mcm = 'other';
    }).toThrow(TypeError);
    // the top-level object is the caller's own
    expect(Object.isFrozen(a)).toBe(false);
  });

  it('keeps its pools bounded, still sharing what is in common use', () => {
    const interner = new JsonInterner(100);
    let first = interner.intern(work('c0', '0'));
    for (let i = 1; i < 1000; i++) {
      const w = interner.intern(work(`c${i}`, String(i)));
      expect(w.spec).toBe(first.spec);
      first = w;
    }
    const { strings, subtrees } = interner.size;
    expect(strings).toBeLessThanOrEqual(200);
    expect(subtrees).toBeLessThanOrEqual(200);
  });

  it('does not pool what is longer than its key limit', () => {
    const interner = new JsonInterner(100, 10);
    const long = 'x'.repeat(11);
    const a = interner.intern({ v: { s: long } });
    const b = interner.intern({ v: { s: long } });
    expect(a.v).not.toBe(b.v);
    expect(a.v).toEqual(b.v);
  });
});
