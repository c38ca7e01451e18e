import { ApiError, badRequest } from './errors';

/*
 * Decoding of Kubernetes protobuf request bodies (`application/vnd.kubernetes.protobuf`), which kubectl's
 * typed generators (`kubectl create namespace|configmap|secret|serviceaccount`) and other client-go typed
 * clients (helm's release Secrets, DeleteOptions) send since client-go 1.32.
 * Envelope: magic `k8s\0`, then runtime.Unknown {1: typeMeta{1: apiVersion, 2: kind}, 2: raw, 3:
 * contentEncoding, 4: contentType}; `raw` is the k8s.io/api generated.proto message. Only the kinds and
 * fields those generators write are described below; other fields are skipped.
 */

type Kind =
  | 'string'
  | 'bytes'
  | 'varint'
  | 'bool'
  | 'message'
  | 'stringMap'
  | 'bytesMap'
  | 'strings'
  | 'messages';
interface Field {
  name: string;
  kind: Kind;
  message?: Message;
}
type Message = Record<number, Field>;

const ownerReference: Message = {
  1: { name: 'kind', kind: 'string' },
  3: { name: 'name', kind: 'string' },
  4: { name: 'uid', kind: 'string' },
  5: { name: 'apiVersion', kind: 'string' },
  6: { name: 'controller', kind: 'bool' },
  7: { name: 'blockOwnerDeletion', kind: 'bool' },
};

const objectMeta: Message = {
  1: { name: 'name', kind: 'string' },
  2: { name: 'generateName', kind: 'string' },
  3: { name: 'namespace', kind: 'string' },
  5: { name: 'uid', kind: 'string' },
  6: { name: 'resourceVersion', kind: 'string' },
  7: { name: 'generation', kind: 'varint' },
  11: { name: 'labels', kind: 'stringMap' },
  12: { name: 'annotations', kind: 'stringMap' },
  13: { name: 'ownerReferences', kind: 'messages', message: ownerReference },
  14: { name: 'finalizers', kind: 'strings' },
};

const objectReference: Message = {
  1: { name: 'kind', kind: 'string' },
  2: { name: 'namespace', kind: 'string' },
  3: { name: 'name', kind: 'string' },
  4: { name: 'uid', kind: 'string' },
  5: { name: 'apiVersion', kind: 'string' },
  6: { name: 'resourceVersion', kind: 'string' },
  7: { name: 'fieldPath', kind: 'string' },
};

const meta = { name: 'metadata', kind: 'message' as const, message: objectMeta };

const resourceAttributes: Message = {
  1: { name: 'namespace', kind: 'string' },
  2: { name: 'verb', kind: 'string' },
  3: { name: 'group', kind: 'string' },
  4: { name: 'version', kind: 'string' },
  5: { name: 'resource', kind: 'string' },
  6: { name: 'subresource', kind: 'string' },
  7: { name: 'name', kind: 'string' },
};

const KINDS: Record<string, Message> = {
  // kubectl auth can-i
  SelfSubjectAccessReview: {
    1: meta,
    2: {
      name: 'spec',
      kind: 'message',
      message: {
        1: { name: 'resourceAttributes', kind: 'message', message: resourceAttributes },
        2: {
          name: 'nonResourceAttributes',
          kind: 'message',
          message: { 1: { name: 'path', kind: 'string' }, 2: { name: 'verb', kind: 'string' } },
        },
      },
    },
  },
  // client-go's typed clients send delete options in protobuf too (helm deleting its release Secrets).
  DeleteOptions: {
    1: { name: 'gracePeriodSeconds', kind: 'varint' },
    2: {
      name: 'preconditions',
      kind: 'message',
      message: {
        1: { name: 'uid', kind: 'string' },
        2: { name: 'resourceVersion', kind: 'string' },
      },
    },
    3: { name: 'orphanDependents', kind: 'bool' },
    4: { name: 'propagationPolicy', kind: 'string' },
    5: { name: 'dryRun', kind: 'strings' },
  },
  Namespace: {
    1: meta,
    2: { name: 'spec', kind: 'message', message: { 1: { name: 'finalizers', kind: 'strings' } } },
  },
  ConfigMap: {
    1: meta,
    2: { name: 'data', kind: 'stringMap' },
    3: { name: 'binaryData', kind: 'bytesMap' },
    4: { name: 'immutable', kind: 'bool' },
  },
  Secret: {
    1: meta,
    2: { name: 'data', kind: 'bytesMap' },
    3: { name: 'type', kind: 'string' },
    4: { name: 'stringData', kind: 'stringMap' },
    5: { name: 'immutable', kind: 'bool' },
  },
  ServiceAccount: {
    1: meta,
    2: { name: 'secrets', kind: 'messages', message: objectReference },
    3: {
      name: 'imagePullSecrets',
      kind: 'messages',
      message: { 1: { name: 'name', kind: 'string' } },
    },
    4: { name: 'automountServiceAccountToken', kind: 'bool' },
  },
};

class Reader {
  pos = 0;
  constructor(private readonly buf: Buffer) {}

  done(): boolean {
    return this.pos >= this.buf.length;
  }

  varint(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const byte = this.buf[this.pos++];
      if (byte === undefined) throw badRequest('protobuf: truncated varint');
      result += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7;
    }
  }

  bytes(): Buffer {
    const length = this.varint();
    const out = this.buf.subarray(this.pos, this.pos + length);
    if (out.length !== length) throw badRequest('protobuf: truncated field');
    this.pos += length;
    return out;
  }

  skip(wireType: number): void {
    if (wireType === 0) this.varint();
    else if (wireType === 1) this.pos += 8;
    else if (wireType === 2) this.bytes();
    else if (wireType === 5) this.pos += 4;
    else throw badRequest(`protobuf: unsupported wire type ${wireType}`);
  }
}

function mapEntry(data: Buffer): [string, Buffer] {
  const r = new Reader(data);
  let key = '';
  let value: Buffer = Buffer.alloc(0);
  while (!r.done()) {
    const tag = r.varint();
    if (tag >>> 3 === 1 && (tag & 7) === 2) key = r.bytes().toString('utf8');
    else if (tag >>> 3 === 2 && (tag & 7) === 2) value = r.bytes();
    else r.skip(tag & 7);
  }
  return [key, value];
}

function decodeMessage(data: Buffer, message: Message): Record<string, unknown> {
  const r = new Reader(data);
  const out: Record<string, unknown> = {};
  while (!r.done()) {
    const tag = r.varint();
    const field = message[tag >>> 3];
    const wireType = tag & 7;
    if (!field) {
      r.skip(wireType);
      continue;
    }
    switch (field.kind) {
      case 'varint':
        out[field.name] = r.varint();
        break;
      case 'bool':
        out[field.name] = r.varint() !== 0;
        break;
      case 'string': {
        // gogo-protobuf always writes non-pointer strings; JSON's omitempty drops the empty ones.
        const text = r.bytes().toString('utf8');
        if (text !== '') out[field.name] = text;
        break;
      }
      case 'bytes':
        out[field.name] = r.bytes().toString('base64');
        break;
      case 'strings':
        out[field.name] = [...((out[field.name] as string[]) ?? []), r.bytes().toString('utf8')];
        break;
      case 'message':
        out[field.name] = decodeMessage(r.bytes(), field.message ?? {});
        break;
      case 'messages':
        out[field.name] = [
          ...((out[field.name] as unknown[]) ?? []),
          decodeMessage(r.bytes(), field.message ?? {}),
        ];
        break;
      case 'stringMap':
      case 'bytesMap': {
        const [key, value] = mapEntry(r.bytes());
        const map = (out[field.name] as Record<string, string>) ?? {};
        map[key] = field.kind === 'stringMap' ? value.toString('utf8') : value.toString('base64');
        out[field.name] = map;
        break;
      }
    }
  }
  return out;
}

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/** Decodes a protobuf-encoded object of one of the supported kinds into its JSON form. */
export function decodeProtobuf(body: Buffer): Record<string, unknown> {
  if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC)) {
    throw badRequest('protobuf: missing the k8s\\0 envelope prefix');
  }
  const unknown = decodeMessage(body.subarray(4), {
    1: {
      name: 'typeMeta',
      kind: 'message',
      message: { 1: { name: 'apiVersion', kind: 'string' }, 2: { name: 'kind', kind: 'string' } },
    },
    2: { name: 'raw', kind: 'bytes' },
  });
  const typeMeta = (unknown.typeMeta ?? {}) as { apiVersion?: string; kind?: string };
  const kind = typeMeta.kind ?? '';
  const message = KINDS[kind];
  if (!message) {
    throw new ApiError(
      415,
      'UnsupportedMediaType',
      `the sandbox decodes protobuf bodies only for ${Object.keys(KINDS).join(', ')}, not ${kind}: send JSON`,
    );
  }
  const raw = Buffer.from((unknown.raw as string | undefined) ?? '', 'base64');
  return { apiVersion: typeMeta.apiVersion, kind, ...decodeMessage(raw, message) };
}

export const SUPPORTED_PROTOBUF_KINDS = Object.keys(KINDS);
