import { createHash } from 'node:crypto';
import type { JSONSchemaProps } from '../schema';
import { OBJECT_META_SCHEMA } from './builtins';
import type { Registry } from './registry';
import { VERSION_INFO } from './discovery';
import { hasStatusSubresource, type ResourceType } from './types';

const OBJECT_META_ID = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

/** The schema id kube-apiserver uses: reversed group, version, kind (`io.open-cluster-management.cluster.v1.ManagedCluster`). */
export function schemaId(type: ResourceType, version: string): string {
  if (type.builtin) {
    const pkg: Record<string, string> = {
      '': 'io.k8s.api.core',
      'events.k8s.io': 'io.k8s.api.events',
      'coordination.k8s.io': 'io.k8s.api.coordination',
      batch: 'io.k8s.api.batch',
      'apiextensions.k8s.io': 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions',
    };
    return `${pkg[type.group] ?? type.group}.${version}.${type.kind}`;
  }
  return `${type.group.split('.').reverse().join('.')}.${version}.${type.kind}`;
}

function kindSchema(
  type: ResourceType,
  version: string,
  schema: JSONSchemaProps,
): Record<string, unknown> {
  const properties = { ...(schema.properties ?? {}) } as Record<string, unknown>;
  properties.apiVersion ??= {
    type: 'string',
    description:
      'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values.',
  };
  properties.kind ??= {
    type: 'string',
    description:
      'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. In CamelCase.',
  };
  properties.metadata = {
    description: "Standard object's metadata.",
    allOf: [{ $ref: `#/components/schemas/${OBJECT_META_ID}` }],
  };
  return {
    ...schema,
    type: 'object',
    properties,
    'x-kubernetes-group-version-kind': [{ group: type.group, version, kind: type.kind }],
  };
}

const param = (name: string, description: string, where: 'query' | 'path' = 'query') => ({
  name,
  in: where,
  description,
  ...(where === 'path' ? { required: true } : {}),
  schema: { type: 'string', uniqueItems: true },
});

function operation(
  type: ResourceType,
  version: string,
  verb: string,
  action: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const ref = { $ref: `#/components/schemas/${schemaId(type, version)}` };
  return {
    description: `${verb} ${type.kind}`,
    operationId: `${verb}${type.kind}`,
    responses: { '200': { description: 'OK', content: { 'application/json': { schema: ref } } } },
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': { group: type.group, version, kind: type.kind },
    ...extra,
  };
}

function paths(type: ResourceType, version: string): Record<string, unknown> {
  const prefix = type.group ? `/apis/${type.group}/${version}` : `/api/${version}`;
  const ref = { $ref: `#/components/schemas/${schemaId(type, version)}` };
  const body = { content: { '*/*': { schema: ref } }, required: true };
  const patchTypes = [
    'application/json-patch+json',
    'application/merge-patch+json',
    ...(type.builtin ? ['application/strategic-merge-patch+json'] : []),
    'application/apply-patch+yaml',
  ];
  const patchBody = {
    content: Object.fromEntries(patchTypes.map((t) => [t, { schema: { type: 'object' } }])),
    required: true,
  };
  const writeParams = [
    param('dryRun', 'When present, indicates that modifications should not be persisted.'),
    param(
      'fieldManager',
      'fieldManager is a name associated with the actor or entity that is making these changes.',
    ),
    param(
      'fieldValidation',
      'fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields: Ignore, Warn (default) or Strict.',
    ),
  ];
  const collection = type.namespaced
    ? `${prefix}/namespaces/{namespace}/${type.plural}`
    : `${prefix}/${type.plural}`;
  const nsParams = type.namespaced
    ? [param('namespace', 'object name and auth scope', 'path')]
    : [];
  const out: Record<string, unknown> = {
    [collection]: {
      get: operation(type, version, 'list', 'list'),
      post: operation(type, version, 'create', 'post', {
        requestBody: body,
        parameters: writeParams,
      }),
      delete: operation(type, version, 'deletecollection', 'deletecollection'),
      parameters: nsParams,
    },
    [`${collection}/{name}`]: {
      get: operation(type, version, 'read', 'get'),
      put: operation(type, version, 'replace', 'put', {
        requestBody: body,
        parameters: writeParams,
      }),
      patch: operation(type, version, 'patch', 'patch', {
        requestBody: patchBody,
        parameters: [...writeParams, param('force', 'Force is going to "force" Apply requests.')],
      }),
      delete: operation(type, version, 'delete', 'delete'),
      parameters: [param('name', `name of the ${type.kind}`, 'path'), ...nsParams],
    },
  };
  if (type.namespaced)
    out[`${prefix}/${type.plural}`] = {
      get: operation(type, version, 'listForAllNamespaces', 'list'),
    };
  if (hasStatusSubresource(type, version)) {
    out[`${collection}/{name}/status`] = {
      get: operation(type, version, 'read', 'get'),
      put: operation(type, version, 'replace', 'put', {
        requestBody: body,
        parameters: writeParams,
      }),
      patch: operation(type, version, 'patch', 'patch', {
        requestBody: patchBody,
        parameters: writeParams,
      }),
      parameters: [param('name', `name of the ${type.kind}`, 'path'), ...nsParams],
    };
  }
  return out;
}

/** The OpenAPI v3 document of one group/version, as kubectl's explain and validation detection read it. */
export function groupVersionDocument(
  registry: Registry,
  group: string,
  version: string,
): Record<string, unknown> | undefined {
  const types = registry.inGroupVersion(group, version);
  if (types.length === 0) return undefined;
  const schemas: Record<string, unknown> = { [OBJECT_META_ID]: OBJECT_META_SCHEMA };
  let allPaths: Record<string, unknown> = {};
  for (const type of types) {
    const v = type.versions.find((x) => x.name === version);
    if (!v) continue;
    schemas[schemaId(type, version)] = kindSchema(type, version, v.schema);
    allPaths = { ...allPaths, ...paths(type, version) };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: VERSION_INFO.gitVersion },
    paths: allPaths,
    components: { schemas },
  };
}

/** Caches the documents (and their hashes) until the registry changes. */
export class OpenApi {
  private cache = new Map<string, { body: string; hash: string } | null>();

  constructor(private readonly registry: Registry) {}

  invalidate(): void {
    this.cache.clear();
  }

  document(group: string, version: string): { body: string; hash: string } | undefined {
    const key = `${group}/${version}`;
    if (!this.cache.has(key)) {
      const doc = groupVersionDocument(this.registry, group, version);
      if (!doc) this.cache.set(key, null);
      else {
        const body = JSON.stringify(doc);
        const hash = createHash('sha512').update(body).digest('hex').slice(0, 128).toUpperCase();
        this.cache.set(key, { body, hash });
      }
    }
    return this.cache.get(key) ?? undefined;
  }

  index(): Record<string, unknown> {
    const entries: Record<string, unknown> = {};
    for (const [group, versions] of this.registry.groups()) {
      for (const version of versions) {
        const doc = this.document(group, version);
        if (!doc) continue;
        const path = group ? `apis/${group}/${version}` : `api/${version}`;
        entries[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${doc.hash}` };
      }
    }
    return { paths: entries };
  }
}
