import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { Admission } from './admission';
import { Audit } from './audit';
import {
  ADMIN,
  attributesOf,
  Authorizer,
  selfSubjectAccessReview,
  type UserInfo,
} from './authorization';
import { Controllers } from './controllers';
import { apiGroup, apiGroupList, apiResourceList, apiVersions, VERSION_INFO } from './discovery';
import { ApiError, badRequest, gone, methodNotAllowed, noSuchResource } from './errors';
import { FaultRules } from './faults';
import { OpenApi } from './openapi';
import { PATCH_TYPES } from './patch';
import { Registry } from './registry';
import { decodeBody, parseResourcePath, readBody, type ResourceRequest } from './request';
import {
  atVersion,
  Resources,
  type DeleteOptions,
  type FieldValidation,
  type WriteOptions,
  type WriteResult,
} from './resources';
import { parseFieldSelector, parseLabelSelector } from './selectors';
import { Store } from './store';
import { columnsOf, table, type IncludeObject } from './table';
import { groupVersion, resourceKey, type KubeObject } from './types';
import { Watcher, watchTimeoutMs, type WatchEncoding, type WatchSink } from './watch';

export interface ApiOptions {
  token: string;
  watchHistorySize: number;
  bookmarkIntervalMs: number;
  minRequestTimeoutSeconds: number;
}

const JSON_TYPE = 'application/json';

/**
 * UTF-8 JSON bytes per stored object (objects are never mutated once stored): lists concatenate them
 * and watch events wrap them, so an object is serialized and encoded once, whoever reads it.
 */
const encoded = new WeakMap<object, Buffer>();
function toJson(object: object): Buffer {
  let bytes = encoded.get(object);
  if (bytes === undefined) {
    bytes = Buffer.from(JSON.stringify(object));
    encoded.set(object, bytes);
  }
  return bytes;
}

const COMMA = Buffer.from(',');

function wantsTable(accept: string | undefined): boolean {
  return !!accept && /as=Table/.test(accept) && /g=meta\.k8s\.io/.test(accept);
}

function queryFlag(query: URLSearchParams, name: string): boolean {
  const value = query.get(name);
  return value === 'true' || value === '1';
}

function fieldValidationOf(query: URLSearchParams): FieldValidation {
  const value = query.get('fieldValidation') ?? 'Warn';
  if (value !== 'Strict' && value !== 'Warn' && value !== 'Ignore') {
    throw badRequest(`fieldValidation must be one of "Ignore", "Warn", "Strict", got "${value}"`);
  }
  return value;
}

function dryRunOf(query: URLSearchParams): boolean {
  const values = query.getAll('dryRun');
  for (const v of values)
    if (v !== 'All') throw badRequest(`dryRun: Unsupported value: "${v}": supported values: "All"`);
  return values.length > 0;
}

/**
 * The HTTP face of the sandbox API server: authentication, discovery, OpenAPI, resource routing, tables,
 * watches, audit and fault injection, over Resources (semantics) and Store (data).
 */
export class Api {
  readonly registry = new Registry();
  readonly store: Store;
  readonly resources: Resources;
  readonly controllers: Controllers;
  readonly audit = new Audit();
  readonly faults = new FaultRules();
  readonly openapi: OpenApi;
  readonly watchers = new Set<Watcher>();
  readonly admission: Admission;
  readonly authorizer: Authorizer;
  /** Tokens besides the administrator's (options.token), and whom they authenticate. */
  readonly users = new Map<string, UserInfo>();
  private discoveryCache = new Map<string, string>();
  serverAddress = '127.0.0.1';

  constructor(private readonly options: ApiOptions) {
    this.store = new Store(options.watchHistorySize);
    this.openapi = new OpenApi(this.registry);
    this.controllers = new Controllers(this.registry, this.store, () => {
      this.openapi.invalidate();
      this.discoveryCache.clear();
    });
    this.resources = new Resources(this.registry, this.store, this.controllers);
    this.controllers.attach(this.resources);
    this.admission = new Admission(this.store);
    this.authorizer = new Authorizer(this.store);
  }

  private send(
    res: ServerResponse,
    code: number,
    body: string | Buffer,
    warnings: string[] = [],
  ): void {
    if (res.headersSent || res.destroyed) return;
    const headers: Record<string, string | string[]> = {
      'Content-Type': JSON_TYPE,
      'Cache-Control': 'no-cache, private',
    };
    if (warnings.length > 0) {
      headers.Warning = warnings.map((w) => `299 - ${JSON.stringify(w)}`);
    }
    res.writeHead(code, headers);
    res.end(body);
  }

  private sendError(res: ServerResponse, error: unknown): void {
    const apiError =
      error instanceof ApiError
        ? error
        : new ApiError(
            500,
            'InternalError',
            `Internal error occurred: ${(error as Error).message}`,
          );
    if (apiError.code === 429 && !res.headersSent) res.setHeader('Retry-After', '1');
    this.send(res, apiError.code, JSON.stringify(apiError.toStatus()));
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      await this.route(req, res);
    } catch (error) {
      this.sendError(res, error);
    }
  }

  /** The administrator's token (system:masters) or one added with users; anything else is a 401. */
  private authenticate(req: IncomingMessage): UserInfo {
    const header = req.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
    if (token === this.options.token) return ADMIN;
    const user = token === undefined ? undefined : this.users.get(token);
    if (!user) throw new ApiError(401, 'Unauthorized', 'Unauthorized');
    return user;
  }

  private cached(key: string, build: () => unknown): string {
    let body = this.discoveryCache.get(key);
    if (body === undefined) {
      body = JSON.stringify(build());
      this.discoveryCache.set(key, body);
    }
    return body;
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    if (path === '/healthz' || path === '/readyz' || path === '/livez') {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('ok');
      return;
    }
    const user = this.authenticate(req);
    const segments = path
      .split('/')
      .filter((s) => s !== '')
      .map(decodeURIComponent);
    const query = url.searchParams;
    const method = req.method ?? 'GET';
    const resource = parseResourcePath(this.registry, method, segments, queryFlag(query, 'watch'));
    if (!resource) {
      if (method !== 'GET') throw methodNotAllowed('the server does not allow this method');
      this.audit.record({ verb: 'get' });
      this.sendNonResource(res, path, segments);
      return;
    }
    if (!resource.subresource && !resource.type.verbs.includes(resource.verb)) {
      throw methodNotAllowed();
    }
    const auditKey = {
      verb: resource.verb,
      resource: resource.type.plural,
      group: resource.type.group,
      subresource: resource.subresource,
      namespace: resource.namespace,
    };
    this.audit.record(auditKey, resource.name);
    this.authorizer.authorize(user, attributesOf(resource));
    const latency = this.faults.latencyFor(auditKey);
    if (latency > 0) {
      // A client that goes away (or a server that stops) ends the wait: the request is abandoned, as
      // kube-apiserver cancels a request whose connection closed.
      const clientLeft = new AbortController();
      res.once('close', () => clientLeft.abort());
      try {
        await delay(latency, undefined, { signal: clientLeft.signal });
      } catch {
        return;
      }
    }
    const failure = this.faults.failureFor(auditKey);
    if (failure) throw failure;
    const body =
      method === 'POST' || method === 'PUT' || method === 'PATCH' || method === 'DELETE'
        ? decodeBody(req.headers['content-type'] ?? JSON_TYPE, await readBody(req))
        : undefined;
    if (
      (resource.verb === 'create' || resource.verb === 'update' || resource.verb === 'patch') &&
      this.admission.watches(resource)
    ) {
      await this.admit(req, resource, query, body, user);
    }
    this.serve(req, res, resource, query, body, user);
  }

  /**
   * Validating admission runs on the object as it would be stored: the write is first made as a dry run (its
   * errors are left to the real write to report), then the webhooks see that object. See sandbox/README.md
   * for the window between the two.
   */
  private async admit(
    req: IncomingMessage,
    r: ResourceRequest,
    query: URLSearchParams,
    body: unknown,
    user: UserInfo,
  ): Promise<void> {
    const options = { ...this.writeOptions(req, query), dryRun: true };
    const old = r.name ? this.resources.find(r) : undefined;
    const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
    let result: WriteResult;
    try {
      const copy = structuredClone(body);
      result =
        r.verb === 'create'
          ? this.resources.create(r, copy, options)
          : r.verb === 'update'
            ? this.resources.update(r, copy, options)
            : this.resources.patch(r, contentType, copy, options);
    } catch {
      return;
    }
    const operation = result.code === 201 ? 'CREATE' : 'UPDATE';
    await this.admission.review(
      r,
      operation,
      result.object,
      operation === 'UPDATE' ? old : undefined,
      dryRunOf(query),
      user,
    );
  }

  private sendNonResource(res: ServerResponse, path: string, segments: string[]): void {
    const notFound = () => {
      throw noSuchResource();
    };
    if (path === '/version') return this.send(res, 200, JSON.stringify(VERSION_INFO));
    if (path === '/api')
      return this.send(res, 200, JSON.stringify(apiVersions(this.serverAddress)));
    if (path === '/apis')
      return this.send(
        res,
        200,
        this.cached('/apis', () => apiGroupList(this.registry)),
      );
    // `/api/<version>` (the core group) and `/apis/<group>/<version>`
    const core = segments[0] === 'api' && segments.length === 2;
    if (core || (segments[0] === 'apis' && segments.length === 3)) {
      const [group, version] = core ? ['', segments[1]] : [segments[1], segments[2]];
      const list = apiResourceList(this.registry, group ?? '', version ?? '');
      return list
        ? this.send(
            res,
            200,
            this.cached(path, () => list),
          )
        : notFound();
    }
    if (segments[0] === 'apis' && segments.length === 2) {
      const group = apiGroup(this.registry, segments[1] ?? '');
      return group ? this.send(res, 200, JSON.stringify(group)) : notFound();
    }
    if (path === '/openapi/v3') return this.send(res, 200, JSON.stringify(this.openapi.index()));
    if (segments[0] === 'openapi' && segments[1] === 'v3') {
      const [kind, a, b] = segments.slice(2);
      const doc =
        kind === 'api' && a && !b
          ? this.openapi.document('', a)
          : kind === 'apis' && a && b
            ? this.openapi.document(a, b)
            : undefined;
      return doc ? this.send(res, 200, doc.body) : notFound();
    }
    notFound();
  }

  private writeOptions(req: IncomingMessage, query: URLSearchParams): WriteOptions {
    const agent = req.headers['user-agent'] ?? 'unknown';
    return {
      dryRun: dryRunOf(query),
      fieldManager: query.get('fieldManager') ?? agent.split('/')[0] ?? 'unknown',
      fieldValidation: fieldValidationOf(query),
      force: queryFlag(query, 'force'),
    };
  }

  private sendWrite(
    req: IncomingMessage,
    res: ServerResponse,
    r: ResourceRequest,
    query: URLSearchParams,
    result: WriteResult,
  ) {
    const body = wantsTable(req.headers.accept)
      ? this.tableOf(r, [result.object], query, result.object.metadata.resourceVersion ?? '')
      : result.object;
    this.send(res, result.code, JSON.stringify(body), result.warnings);
  }

  private tableOf(
    r: ResourceRequest,
    objects: KubeObject[],
    query: URLSearchParams,
    resourceVersion: string,
    continueToken?: string,
  ): Record<string, unknown> {
    const include = (query.get('includeObject') ?? 'Metadata') as IncludeObject;
    return table(columnsOf(r.type, r.version), objects, include, {
      resourceVersion,
      ...(continueToken ? { continue: continueToken } : {}),
    });
  }

  private serve(
    req: IncomingMessage,
    res: ServerResponse,
    r: ResourceRequest,
    query: URLSearchParams,
    body: unknown,
    user: UserInfo,
  ): void {
    switch (r.verb) {
      case 'get': {
        const object = this.resources.get(r);
        if (wantsTable(req.headers.accept)) {
          return this.send(
            res,
            200,
            JSON.stringify(this.tableOf(r, [object], query, object.metadata.resourceVersion ?? '')),
          );
        }
        return this.send(res, 200, toJson(object));
      }
      case 'list':
        return this.list(req, res, r, query);
      case 'watch':
        return this.watch(req, res, r, query);
      case 'create':
        if (r.type.builtin && r.type.kind === 'SelfSubjectAccessReview') {
          return this.send(
            res,
            201,
            JSON.stringify(selfSubjectAccessReview(this.authorizer, user, body)),
          );
        }
        return this.sendWrite(
          req,
          res,
          r,
          query,
          this.resources.create(r, body, this.writeOptions(req, query)),
        );
      case 'update':
        return this.sendWrite(
          req,
          res,
          r,
          query,
          this.resources.update(r, body, this.writeOptions(req, query)),
        );
      case 'patch': {
        const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
        const options = this.writeOptions(req, query);
        if (contentType === PATCH_TYPES.apply && !query.get('fieldManager')) {
          throw badRequest(
            'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
          );
        }
        return this.sendWrite(
          req,
          res,
          r,
          query,
          this.resources.patch(r, contentType, body, options),
        );
      }
      case 'delete': {
        const options = this.deleteOptions(query, body);
        const result = this.resources.delete(r, options);
        return this.send(res, result.code, JSON.stringify(result.object));
      }
      case 'deletecollection': {
        const options = this.deleteOptions(query, body);
        const labels = parseLabelSelector(query.get('labelSelector'));
        const fields = parseFieldSelector(query.get('fieldSelector'), r.type.selectableFields);
        const listed = this.resources.list(r, labels, fields, 0, undefined);
        const deleted: KubeObject[] = [];
        for (const object of listed.items) {
          try {
            deleted.push(
              this.resources.delete(
                { ...r, namespace: object.metadata.namespace, name: object.metadata.name },
                options,
              ).object,
            );
          } catch (error) {
            if (!(error instanceof ApiError && error.code === 404)) throw error;
          }
        }
        return this.send(
          res,
          200,
          JSON.stringify({
            kind: r.type.listKind,
            apiVersion: groupVersion(r.type.group, r.version),
            metadata: { resourceVersion: String(this.store.resourceVersion) },
            items: deleted,
          }),
        );
      }
    }
  }

  private deleteOptions(query: URLSearchParams, body: unknown): DeleteOptions {
    const options = (body && typeof body === 'object' ? body : {}) as DeleteOptions & {
      orphanDependents?: boolean;
    };
    // orphanDependents is the deprecated spelling of propagationPolicy: Orphan / Background.
    const legacy =
      options.orphanDependents === undefined
        ? undefined
        : options.orphanDependents
          ? 'Orphan'
          : 'Background';
    const policy = query.get('propagationPolicy') ?? options.propagationPolicy ?? legacy;
    if (
      policy !== undefined &&
      policy !== 'Background' &&
      policy !== 'Foreground' &&
      policy !== 'Orphan'
    ) {
      throw badRequest(
        `propagationPolicy: Unsupported value: "${String(policy)}": supported values: "Foreground", "Background", "Orphan"`,
      );
    }
    const dryRun = [...query.getAll('dryRun'), ...(options.dryRun ?? [])];
    return { ...options, propagationPolicy: policy, dryRun };
  }

  private list(
    req: IncomingMessage,
    res: ServerResponse,
    r: ResourceRequest,
    query: URLSearchParams,
  ): void {
    const labels = parseLabelSelector(query.get('labelSelector'));
    const fields = parseFieldSelector(query.get('fieldSelector'), r.type.selectableFields);
    const limit = Number(query.get('limit') ?? '0') || 0;
    const rv = query.get('resourceVersion');
    const match = query.get('resourceVersionMatch');
    if (match && rv && match === 'Exact' && Number(rv) !== this.store.resourceVersion) {
      throw gone(`too old resource version: ${rv} (${this.store.resourceVersion})`);
    }
    if (rv && Number(rv) > this.store.resourceVersion) {
      throw new ApiError(
        504,
        'Timeout',
        `Too large resource version: ${rv}, current: ${this.store.resourceVersion}`,
        {
          causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
          retryAfterSeconds: 1,
        },
      );
    }
    const listed = this.resources.list(
      r,
      labels,
      fields,
      limit,
      query.get('continue') ?? undefined,
    );
    if (wantsTable(req.headers.accept)) {
      return this.send(
        res,
        200,
        JSON.stringify(
          this.tableOf(r, listed.items, query, listed.resourceVersion, listed.continue),
        ),
      );
    }
    const metadata: Record<string, unknown> = { resourceVersion: listed.resourceVersion };
    if (listed.continue) {
      metadata.continue = listed.continue;
      metadata.remainingItemCount = listed.remaining;
    }
    const head = `{"kind":${JSON.stringify(r.type.listKind)},"apiVersion":${JSON.stringify(groupVersion(r.type.group, r.version))},"metadata":${JSON.stringify(metadata)},"items":[`;
    const parts: Buffer[] = [Buffer.from(head)];
    listed.items.forEach((item, i) => {
      if (i > 0) parts.push(COMMA);
      parts.push(toJson(item));
    });
    parts.push(Buffer.from(']}'));
    this.send(res, 200, Buffer.concat(parts));
  }

  private watch(
    req: IncomingMessage,
    res: ServerResponse,
    r: ResourceRequest,
    query: URLSearchParams,
  ): void {
    const labels = parseLabelSelector(query.get('labelSelector'));
    const fields = parseFieldSelector(query.get('fieldSelector'), r.type.selectableFields);
    const resource = resourceKey(r.type);
    const rvParam = query.get('resourceVersion') ?? '';
    const sendInitialEvents = queryFlag(query, 'sendInitialEvents');
    const timeoutParam = query.get('timeoutSeconds') ?? '0';
    const timeoutSeconds = Number(timeoutParam);
    if (!/^-?\d+$/.test(timeoutParam)) {
      throw badRequest(`timeoutSeconds: invalid value "${timeoutParam}": must be an integer`);
    }
    const asTable = wantsTable(req.headers.accept);
    const include = (query.get('includeObject') ?? 'Metadata') as IncludeObject;
    const apiVersion = groupVersion(r.type.group, r.version);
    const columns = columnsOf(r.type, r.version);
    let sentColumns = false;
    const encoding: WatchEncoding = asTable
      ? {
          key: `table:${Math.random()}`,
          encode: (type, object) => {
            if (type === 'BOOKMARK') return Buffer.from(`${JSON.stringify({ type, object })}\n`);
            const t = table(
              columns,
              [atVersion(r.type, r.version, object)],
              include,
              { resourceVersion: object.metadata.resourceVersion ?? '' },
              !sentColumns,
            );
            sentColumns = true;
            return Buffer.from(`${JSON.stringify({ type, object: t })}\n`);
          },
        }
      : {
          key: `json:${apiVersion}`,
          encode: (type, object) =>
            type === 'BOOKMARK'
              ? Buffer.from(`${JSON.stringify({ type, object })}\n`)
              : Buffer.concat([
                  Buffer.from(`{"type":"${type}","object":`),
                  toJson(atVersion(r.type, r.version, object)),
                  Buffer.from('}\n'),
                ]),
        };
    const namespace = r.type.namespaced ? (r.namespace ?? fields?.namespace) : undefined;
    res.writeHead(200, {
      'Content-Type': JSON_TYPE,
      'Cache-Control': 'no-cache, private',
      'Transfer-Encoding': 'chunked',
    });
    res.flushHeaders();
    let initial: KubeObject[] | undefined;
    let history: ReturnType<Store['eventsSince']> = [];
    if (rvParam === '' || rvParam === '0' || sendInitialEvents) {
      initial = this.store.list(resource, { namespace, labels, fields }).map(([, o]) => o);
    } else {
      const since = Number(rvParam);
      if (Number.isFinite(since) && since > this.store.resourceVersion) {
        // Every version this process handed out is <= the current one: a larger one comes from an
        // earlier run of the sandbox. kube-apiserver would answer "Too large resource version" (504),
        // which client-node retries forever with the same version; 410 makes every client relist.
        const status = gone(
          `resourceVersion ${rvParam} is not in this server's history (current ${this.store.resourceVersion}): list again`,
        ).toStatus();
        res.end(`${JSON.stringify({ type: 'ERROR', object: status })}\n`);
        return;
      }
      history = Number.isFinite(since) ? this.store.eventsSince(resource, since) : undefined;
      if (!history) {
        const status = gone(
          `too old resource version: ${rvParam} (${this.store.compactedRv(resource) + 1})`,
        ).toStatus();
        res.end(`${JSON.stringify({ type: 'ERROR', object: status })}\n`);
        return;
      }
    }
    const sink: WatchSink = {
      write: (chunk) => void res.write(chunk),
      end: () => res.end(),
      get backlog() {
        return res.writableLength;
      },
      onClose: (callback) => {
        res.on('close', callback);
        req.on('close', callback);
      },
    };
    const watcher = new Watcher(
      this.store,
      {
        resource,
        namespace,
        labels,
        fields,
        encoding,
        bookmarkTemplate: queryFlag(query, 'allowWatchBookmarks')
          ? { kind: r.type.kind, apiVersion }
          : undefined,
        bookmarkIntervalMs: this.options.bookmarkIntervalMs,
        timeoutMs: watchTimeoutMs(timeoutSeconds, this.options.minRequestTimeoutSeconds),
        tags: { resource: r.type.plural, namespace },
      },
      sink,
      (w) => this.watchers.delete(w),
    );
    this.watchers.add(watcher);
    watcher.start(initial, history, sendInitialEvents && queryFlag(query, 'allowWatchBookmarks'));
  }

  /** Closes matching watches (all by default); returns how many were closed. */
  dropWatches(filter: { resource?: string; namespace?: string } = {}): number {
    let dropped = 0;
    for (const w of [...this.watchers]) {
      const tags = w.request.tags;
      if (filter.resource !== undefined && tags.resource !== filter.resource) continue;
      if (filter.namespace !== undefined && tags.namespace !== filter.namespace) continue;
      w.close();
      dropped++;
    }
    return dropped;
  }
}

/** The sandbox authorizes every authenticated request, and says so when asked. */
