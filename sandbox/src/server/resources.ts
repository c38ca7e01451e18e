import { randomUUID } from 'node:crypto';
import { isPlainObject, jsonEqual } from 'kmm-hub-controller/model';
import { normalize, validate, type FieldError, type JSONSchemaProps } from '../schema';
import {
  alreadyExists,
  ApiError,
  badRequest,
  conflict,
  invalid,
  methodNotAllowed,
  notFound,
  STALE_OBJECT,
} from './errors';
import { recordUpdate, serverSideApply, type Writer } from './managed-fields';
import { generateName, validateObjectMeta } from './metadata';
import { jsonPatch, mergePatch, PATCH_TYPES, strategicMergePatch } from './patch';
import type { Registry } from './registry';
import type { FieldSelector, LabelSelector } from './selectors';
import { objectKey, type Store } from './store';
import { prepareForCreate, prepareForUpdate, specChanged, validateKind } from './strategy';
import { groupVersion, isCoreKind, resourceKey, type KubeObject, type ResourceType } from './types';
import { nowRfc3339 } from './util';

/** Paged-list snapshots kept for `continue` tokens. */
const SNAPSHOTS = 64;

/** What a request addresses. */
export interface Target {
  type: ResourceType;
  version: string;
  namespace?: string;
  name?: string;
  subresource?: string;
}

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface WriteOptions {
  dryRun: boolean;
  fieldManager: string;
  fieldValidation: FieldValidation;
  force?: boolean;
}

export interface WriteResult {
  code: number;
  object: KubeObject;
  warnings: string[];
}

export interface DeleteOptions {
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: string[];
}

/** Called after a committed write: garbage collection, namespace lifecycle, CRD registration. */
export interface WriteHooks {
  afterWrite(
    type: ResourceType,
    previous: KubeObject | undefined,
    next: KubeObject | undefined,
  ): void;
}

/** The object as seen through `version` (CRDs: conversion None, only apiVersion differs). */
export function atVersion(type: ResourceType, version: string, object: KubeObject): KubeObject {
  const apiVersion = groupVersion(type.group, version);
  return object.apiVersion === apiVersion ? object : { ...object, apiVersion };
}

function schemaOf(type: ResourceType, version: string): JSONSchemaProps | undefined {
  return (type.versions.find((v) => v.name === version) ?? type.versions[0])?.schema;
}

/** The REST semantics of kube-apiserver over the Store: CRUD, patches, apply, status, finalizers. */
export class Resources {
  /** Paged-list snapshots by id (insertion order = age). */
  private readonly snapshots = new Map<number, [string, KubeObject][]>();
  private snapshotCounter = 0;

  constructor(
    private readonly registry: Registry,
    private readonly store: Store,
    private readonly hooks: WriteHooks,
  ) {}

  private storageApiVersion(type: ResourceType): string {
    return groupVersion(type.group, type.versions[0]?.name ?? 'v1');
  }

  key(t: Target, name = t.name ?? ''): string {
    return objectKey(t.type.namespaced ? t.namespace : undefined, name);
  }

  find(t: Target): KubeObject | undefined {
    return this.store.get(resourceKey(t.type), this.key(t));
  }

  get(t: Target): KubeObject {
    const object = this.find(t);
    if (!object) throw notFound(t.type.group, t.type.plural, t.name ?? '');
    return atVersion(t.type, t.version, object);
  }

  /**
   * Lists in `namespace/name` order. A paged list (`limit`) is a snapshot, as an etcd read at one revision
   * is: the first page keeps the matching objects (they are immutable, so only references are kept) and
   * every `continue` page reads from that snapshot. The last SNAPSHOTS snapshots are kept; a token whose
   * snapshot is gone gets 410 Expired, as a compacted continue token does.
   */
  list(
    t: Target,
    labels: LabelSelector | undefined,
    fields: FieldSelector | undefined,
    limit: number,
    continueToken: string | undefined,
  ): { items: KubeObject[]; resourceVersion: string; continue?: string; remaining?: number } {
    let rv = this.store.resourceVersion;
    let found: [string, KubeObject][];
    let offset = 0;
    let snapshotId: number | undefined;
    if (continueToken) {
      let token: { rv: number; id: number; offset: number };
      try {
        token = JSON.parse(Buffer.from(continueToken, 'base64').toString('utf8')) as typeof token;
      } catch {
        throw badRequest('continue key is not valid: illegal base64 data at input byte 0');
      }
      if (typeof token?.id !== 'number' || typeof token.offset !== 'number') {
        throw badRequest(
          'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
        );
      }
      const snapshot = this.snapshots.get(token.id);
      if (!snapshot) {
        throw new ApiError(
          410,
          'Expired',
          'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.',
        );
      }
      ({ rv } = token);
      found = snapshot;
      offset = token.offset;
      snapshotId = token.id;
    } else {
      const namespace = t.type.namespaced ? (t.namespace ?? fields?.namespace) : undefined;
      found = this.store.list(resourceKey(t.type), { namespace, labels, fields });
    }
    const end = limit > 0 ? offset + limit : found.length;
    const items = found.slice(offset, end).map(([, o]) => atVersion(t.type, t.version, o));
    if (end >= found.length) {
      if (snapshotId !== undefined) this.snapshots.delete(snapshotId);
      return { items, resourceVersion: String(rv) };
    }
    if (snapshotId === undefined) {
      snapshotId = ++this.snapshotCounter;
      this.snapshots.set(snapshotId, found);
      if (this.snapshots.size > SNAPSHOTS) {
        const oldest = this.snapshots.keys().next().value;
        if (oldest !== undefined) this.snapshots.delete(oldest);
      }
    }
    const token = Buffer.from(JSON.stringify({ rv, id: snapshotId, offset: end })).toString(
      'base64',
    );
    return { items, resourceVersion: String(rv), continue: token, remaining: found.length - end };
  }

  private checkNamespace(t: Target): void {
    if (!t.type.namespaced) return;
    if (!t.namespace) throw badRequest('the server could not find the requested resource');
    const ns = this.store.get('/namespaces', objectKey(undefined, t.namespace));
    if (!ns) throw notFound('', 'namespaces', t.namespace);
    if (ns.metadata.deletionTimestamp) {
      throw new ApiError(
        403,
        'Forbidden',
        `${t.type.plural}${t.type.group ? `.${t.type.group}` : ''} "${t.name ?? ''}" is forbidden: unable to create new content in namespace ${t.namespace} because it is being terminated`,
        { name: t.name, group: t.type.group, kind: t.type.plural },
      );
    }
  }

  /** Prunes, defaults and validates; throws 400 (strict unknown fields) or 422 (invalid). */
  private admit(
    t: Target,
    previous: KubeObject | undefined,
    candidate: KubeObject,
    options: WriteOptions,
    warnings: string[],
    applyPatch = false,
  ): KubeObject {
    const schema = schemaOf(t.type, t.version);
    let object = candidate;
    if (schema) {
      const normalized = normalize(schema, candidate);
      object = normalized.value as KubeObject;
      if (normalized.unknownFields.length > 0 && options.fieldValidation !== 'Ignore') {
        if (options.fieldValidation === 'Strict') {
          if (applyPatch) {
            throw badRequest(
              `failed to create typed patch object (${this.key(t)}; ${groupVersion(t.type.group, t.version)}, Kind=${t.type.kind}): ${normalized.unknownFields.map((f) => `.${f}: field not declared in schema`).join(', ')}`,
            );
          }
          throw badRequest(
            `${t.type.kind} in version "${t.version}" cannot be handled as a ${t.type.kind}: strict decoding error: ${normalized.unknownFields.map((f) => `unknown field "${f}"`).join(', ')}`,
          );
        }
        for (const f of normalized.unknownFields) warnings.push(`unknown field "${f}"`);
      }
    }
    object.metadata ??= {};
    const errors: FieldError[] = [];
    const isNamespace = isCoreKind(t.type, 'Namespace');
    errors.push(...validateObjectMeta(object, isNamespace));
    if (schema) errors.push(...validate(schema, object, { skipRootMetadata: true }));
    errors.push(...validateKind(t.type, previous, object));
    if (errors.length > 0) {
      throw invalid(t.type.group, t.type.kind, object.metadata.name ?? t.name ?? '', errors);
    }
    return object;
  }

  private writer(t: Target, options: WriteOptions): Writer {
    return {
      manager: options.fieldManager,
      apiVersion: groupVersion(t.type.group, t.version),
      subresource: t.subresource,
      now: nowRfc3339(),
    };
  }

  /** `applied`: managedFields computed by a server-side apply that creates the object. */
  create(
    t: Target,
    body: unknown,
    options: WriteOptions,
    applied?: { managedFields: KubeObject['metadata']['managedFields'] },
  ): WriteResult {
    const applyPatch = applied !== undefined;
    if (!isPlainObject(body)) throw badRequest('the body of the request must be a JSON object');
    if (t.subresource) throw methodNotAllowed();
    const warnings: string[] = [];
    // The body was decoded for this request alone (the in-process client copies its argument).
    const input = { ...(body as KubeObject) };
    this.checkKind(t, input);
    const meta: KubeObject['metadata'] = isPlainObject(input.metadata) ? { ...input.metadata } : {};
    if (t.type.namespaced) {
      if (meta.namespace && t.namespace && meta.namespace !== t.namespace) {
        throw badRequest(
          'the namespace of the provided object does not match the namespace sent on the request',
        );
      }
      meta.namespace = t.namespace ?? meta.namespace;
    } else delete meta.namespace;
    if (!meta.name && meta.generateName) meta.name = generateName(meta.generateName);
    for (const k of [
      'uid',
      'resourceVersion',
      'creationTimestamp',
      'deletionTimestamp',
      'generation',
      'managedFields',
      'selfLink',
      'deletionGracePeriodSeconds',
    ] as const) {
      delete meta[k];
    }
    const target: Target = { ...t, namespace: meta.namespace, name: meta.name };
    input.metadata = meta;
    input.apiVersion = this.storageApiVersion(t.type);
    input.kind = t.type.kind;
    prepareForCreate(t.type, input);
    let object = this.admit(target, undefined, input, options, warnings, applyPatch);
    this.checkNamespace(target);
    if (this.find(target)) throw alreadyExists(t.type.group, t.type.plural, meta.name ?? '');
    object = {
      ...object,
      metadata: {
        ...object.metadata,
        uid: randomUUID(),
        creationTimestamp: nowRfc3339(),
        ...(t.type.hasGeneration ? { generation: 1 } : {}),
      },
    };
    const managedFields = applied
      ? applied.managedFields
      : recordUpdate(undefined, object, schemaOf(t.type, t.version), {
          ...this.writer(t, options),
          subresource: undefined,
        });
    if (managedFields) object.metadata.managedFields = managedFields;
    if (options.dryRun)
      return { code: 201, object: atVersion(t.type, t.version, object), warnings };
    const stored = this.store.put(resourceKey(t.type), object);
    this.hooks.afterWrite(t.type, undefined, stored);
    return { code: 201, object: atVersion(t.type, t.version, stored), warnings };
  }

  private checkKind(t: Target, input: KubeObject): void {
    if (input.kind !== undefined && input.kind !== t.type.kind) {
      throw badRequest(
        `the kind "${String(input.kind)}" in the body does not match the resource "${t.type.plural}" (kind ${t.type.kind})`,
      );
    }
  }

  update(t: Target, body: unknown, options: WriteOptions): WriteResult {
    if (!isPlainObject(body)) throw badRequest('the body of the request must be a JSON object');
    const previous = this.find(t);
    if (!previous) throw notFound(t.type.group, t.type.plural, t.name ?? '');
    // The body was decoded for this request alone (the in-process client copies its argument).
    const input = { ...(body as KubeObject) };
    this.checkKind(t, input);
    const meta = isPlainObject(input.metadata) ? input.metadata : {};
    if (meta.name !== undefined && meta.name !== t.name) {
      throw badRequest(
        `the name of the object (${String(meta.name)}) does not match the name on the URL (${t.name ?? ''})`,
      );
    }
    if (meta.resourceVersion && meta.resourceVersion !== previous.metadata.resourceVersion) {
      throw conflict(t.type.group, t.type.plural, t.name ?? '', STALE_OBJECT);
    }
    return this.commit(t, previous, input, options, []);
  }

  /** Shared tail of update, patch and apply: server-owned fields, admission, generation, no-ops, store. */
  private commit(
    t: Target,
    previous: KubeObject,
    input: KubeObject,
    options: WriteOptions,
    warnings: string[],
    managed?: KubeObject['metadata']['managedFields'],
    applyPatch = false,
  ): WriteResult {
    const meta = isPlainObject(input.metadata) ? input.metadata : {};
    let candidate: KubeObject = {
      ...input,
      apiVersion: this.storageApiVersion(t.type),
      kind: t.type.kind,
      metadata: {
        ...meta,
        name: previous.metadata.name,
        namespace: previous.metadata.namespace,
        uid: previous.metadata.uid,
        creationTimestamp: previous.metadata.creationTimestamp,
        resourceVersion: previous.metadata.resourceVersion,
        ...(previous.metadata.generation !== undefined
          ? { generation: previous.metadata.generation }
          : {}),
        ...(previous.metadata.deletionTimestamp
          ? {
              deletionTimestamp: previous.metadata.deletionTimestamp,
              deletionGracePeriodSeconds: previous.metadata.deletionGracePeriodSeconds,
            }
          : {}),
      },
    };
    if (candidate.metadata.namespace === undefined) delete candidate.metadata.namespace;
    if (candidate.metadata.deletionTimestamp === undefined) {
      delete candidate.metadata.deletionTimestamp;
      delete candidate.metadata.deletionGracePeriodSeconds;
    }
    candidate = prepareForUpdate(t.type, previous, candidate, t.subresource);
    if (previous.metadata.deletionTimestamp) {
      const added = (candidate.metadata.finalizers ?? []).filter(
        (f) => !(previous.metadata.finalizers ?? []).includes(f),
      );
      if (added.length > 0) {
        throw invalid(t.type.group, t.type.kind, t.name ?? '', [
          {
            reason: 'FieldValueForbidden',
            field: 'metadata.finalizers',
            message: `Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{${added.map((f) => JSON.stringify(f)).join(', ')}}`,
          },
        ]);
      }
    }
    let object = this.admit(t, previous, candidate, options, warnings, applyPatch);
    if (t.type.hasGeneration && specChanged(previous, object)) {
      object = {
        ...object,
        metadata: { ...object.metadata, generation: (previous.metadata.generation ?? 0) + 1 },
      };
    }
    const schema = schemaOf(t.type, t.version);
    const managedFields =
      managed !== undefined
        ? managed
        : recordUpdate(previous, object, schema, this.writer(t, options));
    object.metadata = { ...object.metadata };
    if (managedFields) object.metadata.managedFields = managedFields;
    else delete object.metadata.managedFields;
    // A write that changes nothing but managedFields timestamps is a no-op (same resourceVersion).
    const comparable = (o: KubeObject) => ({
      ...o,
      metadata: {
        ...o.metadata,
        managedFields: o.metadata.managedFields?.map((e) => ({ ...e, time: undefined })),
      },
    });
    if (jsonEqual(comparable(previous), comparable(object))) {
      return { code: 200, object: atVersion(t.type, t.version, previous), warnings };
    }
    if (options.dryRun)
      return { code: 200, object: atVersion(t.type, t.version, object), warnings };
    const resource = resourceKey(t.type);
    if (object.metadata.deletionTimestamp && (object.metadata.finalizers ?? []).length === 0) {
      const removed = this.store.remove(resource, this.key(t)) ?? object;
      this.hooks.afterWrite(t.type, previous, undefined);
      return { code: 200, object: atVersion(t.type, t.version, removed), warnings };
    }
    const stored = this.store.put(resource, object);
    this.hooks.afterWrite(t.type, previous, stored);
    return { code: 200, object: atVersion(t.type, t.version, stored), warnings };
  }

  patch(t: Target, contentType: string, body: unknown, options: WriteOptions): WriteResult {
    const previous = this.find(t);
    const schema = schemaOf(t.type, t.version);
    if (contentType === PATCH_TYPES.apply) {
      if (!isPlainObject(body))
        throw badRequest('the body of the request must be a YAML or JSON object');
      this.checkKind(t, body as KubeObject);
      const applied = body as KubeObject;
      const writer = this.writer(t, options);
      if (!previous) {
        if (t.subresource) throw notFound(t.type.group, t.type.plural, t.name ?? '');
        const metaName = (applied.metadata as { name?: string } | undefined)?.name;
        if (metaName !== undefined && metaName !== t.name) {
          throw badRequest(
            `the name of the object (${metaName}) does not match the name on the URL (${t.name ?? ''})`,
          );
        }
        const created = serverSideApply(undefined, applied, schema, writer, true);
        const managed = created.metadata.managedFields;
        created.metadata = { ...created.metadata, name: t.name };
        delete created.metadata.managedFields;
        return this.create(t, created, options, { managedFields: managed });
      }
      const merged = serverSideApply(previous, applied, schema, writer, options.force ?? false);
      return this.commit(t, previous, merged, options, [], merged.metadata.managedFields, true);
    }
    if (!previous) throw notFound(t.type.group, t.type.plural, t.name ?? '');
    let patched: unknown;
    const current = atVersion(t.type, t.version, previous);
    switch (contentType) {
      case PATCH_TYPES.merge:
        patched = mergePatch(current, body);
        break;
      case PATCH_TYPES.json:
        patched = jsonPatch(current, body);
        break;
      case PATCH_TYPES.strategic:
        if (!t.type.builtin) throw unsupportedPatch();
        patched = strategicMergePatch(current, body, schema);
        break;
      default:
        throw unsupportedPatch();
    }
    if (!isPlainObject(patched)) throw badRequest('the patch did not produce an object');
    const result = patched as KubeObject;
    const meta = isPlainObject(result.metadata) ? result.metadata : {};
    if (meta.resourceVersion && meta.resourceVersion !== previous.metadata.resourceVersion) {
      throw conflict(t.type.group, t.type.plural, t.name ?? '', STALE_OBJECT);
    }
    if (meta.name !== previous.metadata.name) {
      throw badRequest(
        `the name of the object (${String(meta.name)}) does not match the name on the URL (${t.name ?? ''})`,
      );
    }
    return this.commit(t, previous, result, options, []);
  }

  delete(t: Target, options: DeleteOptions): WriteResult {
    const previous = this.find(t);
    if (!previous) throw notFound(t.type.group, t.type.plural, t.name ?? '');
    const pre = options.preconditions ?? {};
    if (pre.uid && pre.uid !== previous.metadata.uid) {
      throw conflict(
        t.type.group,
        t.type.plural,
        t.name ?? '',
        `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${previous.metadata.uid ?? ''}`,
      );
    }
    if (pre.resourceVersion && pre.resourceVersion !== previous.metadata.resourceVersion) {
      throw conflict(
        t.type.group,
        t.type.plural,
        t.name ?? '',
        `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${previous.metadata.resourceVersion ?? ''}`,
      );
    }
    const dryRun = (options.dryRun ?? []).includes('All');
    const finalizers = [...(previous.metadata.finalizers ?? [])];
    const isNamespace = isCoreKind(t.type, 'Namespace');
    if (options.propagationPolicy === 'Foreground' && !finalizers.includes('foregroundDeletion')) {
      finalizers.push('foregroundDeletion');
    }
    if (options.propagationPolicy === 'Orphan' && !finalizers.includes('orphan'))
      finalizers.push('orphan');
    const resource = resourceKey(t.type);
    if (finalizers.length > 0 || isNamespace) {
      if (
        previous.metadata.deletionTimestamp &&
        jsonEqual(finalizers, previous.metadata.finalizers ?? [])
      ) {
        return { code: 200, object: atVersion(t.type, t.version, previous), warnings: [] };
      }
      const marked: KubeObject = {
        ...previous,
        metadata: {
          ...previous.metadata,
          finalizers: finalizers.length > 0 ? finalizers : undefined,
          deletionTimestamp: previous.metadata.deletionTimestamp ?? nowRfc3339(),
          deletionGracePeriodSeconds: 0,
        },
      };
      if (!marked.metadata.finalizers) delete marked.metadata.finalizers;
      if (isNamespace)
        marked.status = { ...((previous.status as object) ?? {}), phase: 'Terminating' };
      if (dryRun) return { code: 200, object: atVersion(t.type, t.version, marked), warnings: [] };
      const stored = this.store.put(resource, marked);
      this.hooks.afterWrite(t.type, previous, stored);
      return {
        code: 200,
        object: atVersion(t.type, t.version, stored),
        warnings: [],
      };
    }
    if (dryRun) return { code: 200, object: atVersion(t.type, t.version, previous), warnings: [] };
    const removed = this.store.remove(resource, this.key(t)) ?? previous;
    this.hooks.afterWrite(t.type, previous, undefined);
    return { code: 200, object: atVersion(t.type, t.version, removed), warnings: [] };
  }

  /** Removes a finalizer (used by the garbage collector and the namespace controller). */
  removeFinalizer(type: ResourceType, object: KubeObject, finalizer: string): void {
    const t: Target = {
      type,
      version: type.versions[0]?.name ?? 'v1',
      namespace: object.metadata.namespace,
      name: object.metadata.name,
    };
    const current = this.find(t);
    if (!current || !(current.metadata.finalizers ?? []).includes(finalizer)) return;
    const next = structuredClone(current);
    next.metadata.finalizers = (next.metadata.finalizers ?? []).filter((f) => f !== finalizer);
    this.commit(
      t,
      current,
      next,
      { dryRun: false, fieldManager: 'kube-controller-manager', fieldValidation: 'Ignore' },
      [],
    );
  }

  typeOf(resource: string): ResourceType | undefined {
    const slash = resource.indexOf('/');
    return this.registry.byGroupResource(resource.slice(0, slash), resource.slice(slash + 1));
  }
}

function unsupportedPatch(): ApiError {
  return new ApiError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`,
  );
}
