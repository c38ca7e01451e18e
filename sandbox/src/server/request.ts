import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { ApiError, badRequest, methodNotAllowed, noSuchResource } from './errors';
import { PATCH_TYPES } from './patch';
import { decodeProtobuf } from './protobuf';
import type { Registry } from './registry';
import type { Target } from './resources';
import { hasStatusSubresource, isCoreKind } from './types';

export type Verb =
  'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

/** A request for a resource, parsed from its URL path and method. */
export interface ResourceRequest extends Target {
  verb: Verb;
}

const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

/**
 * Parses `/api/v1/...` and `/apis/<group>/<version>/...` paths. Returns undefined for paths that are
 * not resource paths (discovery), throws 404 for unknown resources.
 */
export function parseResourcePath(
  registry: Registry,
  method: string,
  segments: string[],
  watchParam: boolean,
): ResourceRequest | undefined {
  let group: string;
  let version: string;
  let rest: string[];
  if (segments[0] === 'api' && segments.length >= 3) {
    group = '';
    version = segments[1] ?? '';
    rest = segments.slice(2);
  } else if (segments[0] === 'apis' && segments.length >= 4) {
    group = segments[1] ?? '';
    version = segments[2] ?? '';
    rest = segments.slice(3);
  } else return undefined;
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3 && !NAMESPACE_SUBRESOURCES.has(rest[2] ?? '')) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [plural = '', name, subresource, ...extra] = rest;
  const type = registry.find(group, version, plural);
  if (!type || extra.length > 0) {
    throw noSuchResource();
  }
  if (namespace !== undefined && !type.namespaced) {
    throw noSuchResource();
  }
  if (subresource !== undefined) {
    const allowed =
      (subresource === 'status' && hasStatusSubresource(type, version)) ||
      (subresource === 'finalize' && isCoreKind(type, 'Namespace'));
    if (!allowed) throw noSuchResource();
  }
  let verb: Verb;
  switch (method) {
    case 'GET':
      verb = name !== undefined ? 'get' : watchParam ? 'watch' : 'list';
      break;
    case 'POST':
      verb = 'create';
      if (name !== undefined) throw methodNotSupported(method);
      break;
    case 'PUT':
      verb = 'update';
      break;
    case 'PATCH':
      verb = 'patch';
      break;
    case 'DELETE':
      verb = name !== undefined ? 'delete' : 'deletecollection';
      break;
    default:
      throw methodNotSupported(method);
  }
  if ((verb === 'update' || verb === 'patch') && name === undefined)
    throw methodNotSupported(method);
  return { type, version, namespace, name, subresource, verb };
}

function methodNotSupported(method: string): ApiError {
  return methodNotAllowed(
    `the server does not allow this method on the requested resource (${method})`,
  );
}

const MAX_BODY = 16 * 1024 * 1024;

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new ApiError(413, 'RequestEntityTooLarge', 'the request body is too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Decodes a request body by its Content-Type: JSON, YAML, apply YAML or Kubernetes protobuf. */
export function decodeBody(contentType: string, body: Buffer): unknown {
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (body.length === 0) return undefined;
  if (type === 'application/vnd.kubernetes.protobuf') return decodeProtobuf(body);
  const text = body.toString('utf8');
  if (type === PATCH_TYPES.apply || type === 'application/yaml') {
    try {
      return parseYaml(text) as unknown;
    } catch (error) {
      throw badRequest(
        `error converting YAML to JSON: ${(error as Error).message.split('\n')[0] ?? ''}`,
      );
    }
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw badRequest(`couldn't get version/kind; json parse error: ${(error as Error).message}`);
  }
}
