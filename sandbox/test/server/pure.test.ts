import type { ApiError } from '../../src/server/errors';
import { leaves, serverSideApply, toFieldsV1 } from '../../src/server/managed-fields';
import { jsonPatch, mergePatch, strategicMergePatch } from '../../src/server/patch';
import { decodeProtobuf } from '../../src/server/protobuf';
import {
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
} from '../../src/server/selectors';
import { evaluateJsonPath, humanDuration } from '../../src/server/table';
import type { JSONSchemaProps } from '../../src/schema';
import type { KubeObject } from '../../src/server/types';

describe('patches', () => {
  it('merge patch (RFC 7386): merges maps, null deletes, lists replace', () => {
    expect(mergePatch({ a: { b: 1, c: 2 }, l: [1, 2] }, { a: { b: null, d: 3 }, l: [3] })).toEqual({
      a: { c: 2, d: 3 },
      l: [3],
    });
  });

  it('JSON patch (RFC 6902) applies ops; a failed test or a missing path is a 422', () => {
    expect(
      jsonPatch({ a: [1] }, [
        { op: 'add', path: '/a/-', value: 2 },
        { op: 'add', path: '/b', value: 1 },
      ]),
    ).toEqual({ a: [1, 2], b: 1 });
    for (const op of [
      { op: 'test', path: '/a', value: 2 },
      { op: 'replace', path: '/missing', value: 1 },
    ]) {
      expect(() => jsonPatch({ a: 1 }, [op])).toThrow(expect.objectContaining({ code: 422 }));
    }
  });

  it('strategic merge patch merges keyed lists and honours directives', () => {
    const schema: JSONSchemaProps = {
      type: 'object',
      properties: {
        containers: {
          type: 'array',
          'x-kubernetes-patch-strategy': 'merge',
          'x-kubernetes-patch-merge-key': 'name',
          items: { type: 'object' },
        },
        finalizers: {
          type: 'array',
          'x-kubernetes-patch-strategy': 'merge',
          items: { type: 'string' },
        },
        args: { type: 'array', items: { type: 'string' } },
      },
    };
    const original = {
      containers: [
        { name: 'a', image: 'a:1' },
        { name: 'b', image: 'b:1' },
      ],
      finalizers: ['x'],
      args: ['1', '2'],
    };
    const patched = strategicMergePatch(
      original,
      {
        $setElementOrder: { containers: [{ name: 'a' }, { name: 'c' }] },
        containers: [
          { name: 'a', image: 'a:2' },
          { name: 'b', $patch: 'delete' },
          { name: 'c', image: 'c:1' },
        ],
        finalizers: ['y'],
        args: ['3'],
        '$deleteFromPrimitiveList/finalizers': ['x'],
      },
      schema,
    );
    expect(patched).toEqual({
      containers: [
        { name: 'a', image: 'a:2' },
        { name: 'c', image: 'c:1' },
      ],
      finalizers: ['y'],
      args: ['3'],
    });
    expect(
      strategicMergePatch({ m: { a: 1, b: 2 } }, { m: { $patch: 'replace', c: 3 } }, undefined),
    ).toEqual({ m: { c: 3 } });
  });
});

describe('server-side apply field ownership (simplified)', () => {
  const schema: JSONSchemaProps = {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        properties: {
          a: { type: 'string' },
          b: { type: 'string' },
          items: {
            type: 'array',
            'x-kubernetes-list-type': 'map',
            'x-kubernetes-list-map-keys': ['name'],
            items: {
              type: 'object',
              properties: { name: { type: 'string' }, v: { type: 'integer' } },
            },
          },
        },
      },
    },
  };
  const writer = (manager: string) => ({
    manager,
    apiVersion: 'g/v1',
    now: '2026-01-01T00:00:00Z',
  });
  const obj = (spec: Record<string, unknown>): KubeObject => ({
    apiVersion: 'g/v1',
    kind: 'K',
    metadata: { name: 'x' },
    spec,
  });

  it('records leaves in FieldsV1, keyed list elements by their keys', () => {
    const paths = leaves(obj({ a: '1', items: [{ name: 'n', v: 1 }] }), schema, 'main');
    expect(toFieldsV1(paths.keys())).toEqual({
      'f:spec': {
        'f:a': {},
        'f:items': { 'k:{"name":"n"}': { '.': {}, 'f:name': {}, 'f:v': {} } },
      },
    });
  });

  it('conflicts when another manager owns a changed field; force takes it over', () => {
    const first = serverSideApply(undefined, obj({ a: '1', b: '1' }), schema, writer('one'), false);
    expect(() => serverSideApply(first, obj({ a: '2' }), schema, writer('two'), false)).toThrow(
      'Apply failed with 1 conflict: conflict with "one": .spec.a',
    );
    const forced = serverSideApply(first, obj({ a: '2' }), schema, writer('two'), true);
    expect(forced.spec).toEqual({ a: '2', b: '1' });
    const owners = Object.fromEntries(
      (forced.metadata.managedFields ?? []).map((e) => [e.manager, e.fieldsV1]),
    );
    expect(owners).toEqual({ one: { 'f:spec': { 'f:b': {} } }, two: { 'f:spec': { 'f:a': {} } } });
  });

  it('removes fields a manager stops applying unless someone else owns them; merges keyed lists', () => {
    const one = serverSideApply(
      undefined,
      obj({ a: '1', items: [{ name: 'x', v: 1 }] }),
      schema,
      writer('one'),
      false,
    );
    const two = serverSideApply(
      one,
      obj({ items: [{ name: 'y', v: 2 }] }),
      schema,
      writer('two'),
      false,
    );
    expect(two.spec).toEqual({
      a: '1',
      items: [
        { name: 'x', v: 1 },
        { name: 'y', v: 2 },
      ],
    });
    const shrunk = serverSideApply(
      two,
      obj({ items: [{ name: 'x', v: 1 }] }),
      schema,
      writer('one'),
      false,
    );
    expect(shrunk.spec).toEqual({
      items: [
        { name: 'x', v: 1 },
        { name: 'y', v: 2 },
      ],
    });
  });

  it('applying the same value as another owner is not a conflict (shared ownership)', () => {
    const one = serverSideApply(undefined, obj({ a: '1' }), schema, writer('one'), false);
    const both = serverSideApply(one, obj({ a: '1' }), schema, writer('two'), false);
    expect(both.metadata.managedFields?.map((e) => e.manager)).toEqual(['one', 'two']);
  });
});

describe('selectors', () => {
  it('parses and matches equality and set-based label selectors', () => {
    const s = parseLabelSelector('env in (prod, qa),tier!=web,gpu,!legacy');
    expect(matchesLabels(s, { env: 'qa', gpu: '' })).toBe(true);
    expect(matchesLabels(s, { env: 'qa', gpu: '', tier: 'web' })).toBe(false);
    expect(matchesLabels(s, { env: 'dev', gpu: '' })).toBe(false);
    expect(matchesLabels(s, { env: 'qa', gpu: '', legacy: 'yes' })).toBe(false);
    expect(parseLabelSelector('a==b')?.equalities).toEqual([['a', 'b']]);
    expect(() => parseLabelSelector('bad key=1')).toThrow(/unable to parse requirement/);
  });

  it('supports metadata.name/namespace field selectors and 400s on other fields', () => {
    const s = parseFieldSelector('metadata.name=a,metadata.namespace!=b');
    expect(s?.name).toBe('a');
    const object = { metadata: { name: 'a', namespace: 'c' } };
    expect(matchesFields(s, object)).toBe(true);
    expect(matchesFields(s, { metadata: { name: 'a', namespace: 'b' } })).toBe(false);
    expect(() => parseFieldSelector('spec.x=1')).toThrow('field label not supported: spec.x');
    expect(parseFieldSelector('type=Opaque', ['type'])?.requirements).toHaveLength(1);
  });
});

describe('tables', () => {
  it('formats ages as kubectl does', () => {
    expect(
      [
        5e3,
        125e3,
        65 * 60e3,
        5 * 3600e3 + 60e3,
        30 * 3600e3,
        3 * 86400e3 + 3600e3,
        400 * 86400e3,
      ].map(humanDuration),
    ).toEqual(['5s', '2m5s', '65m', '5h1m', '30h', '3d1h', '400d']);
  });

  it('evaluates printer-column JSONPaths with filters', () => {
    const object = {
      status: {
        conditions: [
          { type: 'A', status: 'False' },
          { type: 'B', status: 'True' },
        ],
      },
    };
    expect(evaluateJsonPath(object, '.status.conditions[?(@.type=="B")].status')).toEqual(['True']);
    expect(evaluateJsonPath(object, '.status.missing')).toEqual([]);
  });
});

describe('protobuf request bodies', () => {
  // A tiny protobuf writer, just enough to build the envelope kubectl sends.
  const varint = (n: number) => {
    const out: number[] = [];
    do {
      out.push((n & 0x7f) | (n > 0x7f ? 0x80 : 0));
      n >>>= 7;
    } while (n > 0);
    return Buffer.from(out);
  };
  const field = (no: number, payload: Buffer | string) => {
    const bytes = typeof payload === 'string' ? Buffer.from(payload) : payload;
    return Buffer.concat([varint((no << 3) | 2), varint(bytes.length), bytes]);
  };
  const envelope = (apiVersion: string, kind: string, raw: Buffer) =>
    Buffer.concat([
      Buffer.from('k8s\0', 'binary'),
      field(1, Buffer.concat([field(1, apiVersion), field(2, kind)])),
      field(2, raw),
    ]);

  it('decodes a Secret with metadata, bytes data and type', () => {
    const meta = Buffer.concat([
      field(1, 's'),
      field(2, ''),
      field(3, 'ns'),
      field(11, Buffer.concat([field(1, 'app'), field(2, 'x')])),
    ]);
    const raw = Buffer.concat([
      field(1, meta),
      field(2, Buffer.concat([field(1, 'k'), field(2, Buffer.from([0, 1, 2]))])),
      field(3, 'Opaque'),
    ]);
    expect(decodeProtobuf(envelope('v1', 'Secret', raw))).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', namespace: 'ns', labels: { app: 'x' } },
      data: { k: 'AAEC' },
      type: 'Opaque',
    });
  });

  it('rejects bodies without the envelope and kinds it does not know (415)', () => {
    expect(() => decodeProtobuf(Buffer.from('{}'))).toThrow(/k8s\\0 envelope/);
    try {
      decodeProtobuf(envelope('apps/v1', 'Deployment', Buffer.alloc(0)));
      throw new Error('expected a failure');
    } catch (error) {
      expect((error as ApiError).code).toBe(415);
    }
  });
});
