import { Audit, type AuditEvent } from './audit';

describe('Audit.onRecord', () => {
  it('tells listeners of every request with its name and arrival time, until they unsubscribe', () => {
    const audit = new Audit();
    const seen: AuditEvent[] = [];
    const before = performance.now();
    const off = audit.onRecord((e) => seen.push(e));
    audit.record({ verb: 'update', resource: 'manifestworks', namespace: 'c1' }, 'drv');
    audit.record({ verb: 'get' });
    off();
    audit.record({ verb: 'delete', resource: 'manifestworks', namespace: 'c1' }, 'drv');
    expect(seen).toEqual([
      {
        verb: 'update',
        resource: 'manifestworks',
        namespace: 'c1',
        name: 'drv',
        at: expect.any(Number),
      },
      { verb: 'get', at: expect.any(Number) },
    ]);
    expect(seen[0]!.at).toBeGreaterThanOrEqual(before);
    expect(seen[1]!.at).toBeGreaterThanOrEqual(seen[0]!.at);
    // counting is unchanged by listeners
    expect(audit.count({ resource: 'manifestworks' })).toBe(2);
  });
});
