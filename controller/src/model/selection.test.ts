import { cluster, mcm } from './__fixtures__/objects';
import { selectClusters, selectorMatches } from './selection';

describe('cluster selection', () => {
  const fleet = [
    cluster('a', [], { gpu: 'acme', env: 'prod' }),
    cluster('b', [], { gpu: 'acme' }),
    cluster('c', [], { gpu: 'other' }),
    cluster('d', [], {}),
  ];
  const names = (m: ReturnType<typeof mcm>) => selectClusters(m, fleet).map((c) => c.metadata.name);

  it('selects by label equality, every pair', () => {
    expect(names(mcm('m', null, { gpu: 'acme' }))).toEqual(['a', 'b']);
    expect(names(mcm('m', null, { gpu: 'acme', env: 'prod' }))).toEqual(['a']);
  });

  it('{} selects every cluster', () => {
    expect(names(mcm('m', null, {}))).toEqual(['a', 'b', 'c', 'd']);
  });

  it('an empty label value must be present as an empty value', () => {
    expect(selectorMatches({ x: '' }, { x: '' })).toBe(true);
    expect(selectorMatches({ x: '' }, {})).toBe(false);
  });

  it('a missing or malformed selector selects nothing', () => {
    expect(selectorMatches(undefined, { a: 'b' })).toBe(false);
    expect(selectorMatches(['a'], { a: 'b' })).toBe(false);
  });

  it('ignores clusters without a name', () => {
    const unnamed = { ...cluster('x', []), metadata: { labels: { gpu: 'acme' } } };
    expect(selectClusters(mcm('m', null, {}), [unnamed])).toEqual([]);
  });
});
