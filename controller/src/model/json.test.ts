import { cloneJson, jsonEqual } from './json';

describe('jsonEqual', () => {
  it('compares objects by their keys and values, whatever the key order', () => {
    expect(
      jsonEqual({ a: 1, b: { c: [1, 'x', true, null] } }, { b: { c: [1, 'x', true, null] }, a: 1 }),
    ).toBe(true);
    expect(jsonEqual({ a: 1, b: { c: [1, 'x'] } }, { a: 1, b: { c: [1, 'y'] } })).toBe(false);
  });

  it('sees a key present on one side only, on either side', () => {
    expect(jsonEqual({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(jsonEqual({ a: 1, b: 2 }, { a: 1 })).toBe(false);
    expect(jsonEqual({ a: 1, b: 2 }, { a: 1, c: 2 })).toBe(false);
  });

  it('treats a key set to undefined as missing, on either side', () => {
    expect(jsonEqual({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(jsonEqual({ a: 1 }, { a: 1, b: undefined })).toBe(true);
    expect(jsonEqual({ a: undefined }, { b: undefined })).toBe(true);
    expect(jsonEqual({ a: undefined }, { a: null })).toBe(false);
  });

  it('compares arrays in order and by length', () => {
    expect(jsonEqual([1, 2], [2, 1])).toBe(false);
    expect(jsonEqual([1, 2], [1, 2, 3])).toBe(false);
    expect(jsonEqual([], [])).toBe(true);
  });

  it('never takes one kind of value for another', () => {
    expect(jsonEqual(['a'], { 0: 'a' })).toBe(false);
    expect(jsonEqual({ 0: 'a' }, ['a'])).toBe(false);
    expect(jsonEqual(null, {})).toBe(false);
    expect(jsonEqual({}, null)).toBe(false);
    expect(jsonEqual(1, '1')).toBe(false);
    expect(jsonEqual(0, false)).toBe(false);
    expect(jsonEqual('', null)).toBe(false);
    expect(jsonEqual({}, {})).toBe(true);
  });

  it('does not see inherited properties as keys', () => {
    expect(jsonEqual({ constructor: 'x' }, {})).toBe(false);
    expect(jsonEqual({}, { toString: 'x' })).toBe(false);
    expect(jsonEqual(JSON.parse('{"__proto__": {"a": 1}}'), {})).toBe(false);
  });
});

describe('cloneJson', () => {
  it('copies deeply, dropping keys set to undefined', () => {
    const source = { a: { b: [{ c: 1 }] }, d: undefined, e: null };
    const copy = cloneJson(source);
    expect(copy).toStrictEqual({ a: { b: [{ c: 1 }] }, e: null });
    copy.a.b[0]!.c = 2;
    expect(source.a.b[0]?.c).toBe(1);
  });
});
