import type { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from '../logging';
import type { ControllerMetrics } from '../metrics';
import type { KubeObject } from '../model/types';
import { apiFailure, isGone } from './api-errors';
import { kubeListWatch, type ListPage, type ListWatchClient, type WatchQuery } from './list-watch';
import type { ResourceRef } from './resources';
import { exponentialDelay } from '../queue/backoff';
import { Store, objectKey } from './store';

export interface InformerHandlers<T> {
  add?(obj: T): void;
  update?(oldObj: T, newObj: T): void;
  delete?(obj: T): void;
}

/** Where an informer lists and watches: client-node through a kubeconfig, or a given client (unit tests). */
export type InformerOptions = InformerSettings &
  (
    | { kubeConfig: KubeConfig; client?: undefined }
    | { client: ListWatchClient; kubeConfig?: undefined }
  );

export interface InformerSettings {
  resource: ResourceRef;
  labelSelector?: string;
  /** one namespace of a namespaced resource (default: all namespaces) */
  namespace?: string;
  logger: Logger;
  metrics?: ControllerMetrics;
  /** list page size (`limit`); 0 lists in one request */
  pageSize?: number;
  /** first reconnect delay after an error, doubled per consecutive failure up to maxBackoffMs */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** server-side watch timeout; the actual value is drawn between it and twice it, as client-go does */
  watchTimeoutSeconds?: number;
  /** with `kubeConfig`: how long a watch may carry nothing before it is resumed (kubeListWatch's default) */
  watchIdleTimeoutMs?: number;
  /**
   * Applied to every object before it is cached (listed, watched or recorded), e.g. to drop fields the
   * controller never reads; handlers see the transformed objects.
   */
  transform?: <T extends KubeObject>(obj: T) => T;
}

/**
 * Drops metadata.managedFields, which the controller never reads (a fifth of a ManifestWork's size). Writes
 * built from cached objects then carry no managedFields, which the API server takes as "unchanged".
 */
export function dropManagedFields<T extends KubeObject>(obj: T): T {
  const metadata = obj.metadata as
    (KubeObject['metadata'] & { managedFields?: unknown }) | undefined;
  if (!metadata?.managedFields) return obj;
  const { managedFields: _dropped, ...rest } = metadata;
  return { ...obj, metadata: rest };
}

interface WatchEnd {
  events: number;
  expired: boolean;
  error?: unknown;
}

/**
 * List + watch of one resource into a Store, with the guarantees the controller needs and client-node's
 * ListWatch does not give (it stops for good on any error other than 410 and reports updates without the old
 * object):
 * - lists in pages, then watches from the list's resourceVersion, with bookmarks;
 * - a watch that ends (server timeout, dropped connection, restart, or a quiet one the client ended for
 *   inactivity) resumes from the last resourceVersion seen, with no relist and no error counted;
 * - 410 Gone (watch ERROR event or HTTP status) relists, and the relist is diffed against the cache so that
 *   handlers see exactly the adds, updates (old and new object) and deletes missed meanwhile;
 * - errors (refused connections, 5xx, failed lists) retry with exponential backoff, reset by the next success;
 * - events older than what the cache holds are ignored, so the controller can record its own writes in the
 *   cache (`recordWrite`) without later watch events moving it backwards.
 */
export class Informer<T extends KubeObject> {
  readonly store = new Store<T>();
  private readonly handlers: InformerHandlers<T>[] = [];
  private readonly client: ListWatchClient;
  private readonly log: Logger;
  private resourceVersion = '';
  private synced = false;
  private readonly syncWaiters: (() => void)[] = [];
  private stopped = true;
  private loop?: Promise<void>;
  private currentWatch?: AbortController;
  private wakeSleep?: () => void;
  private failures = 0;

  constructor(private readonly options: InformerOptions) {
    this.client =
      options.client ??
      kubeListWatch(options.kubeConfig, options.resource, {
        namespace: options.namespace,
        watchIdleTimeoutMs: options.watchIdleTimeoutMs,
      });
    this.log = options.logger.child({ informer: options.resource.plural });
  }

  get resource(): string {
    return this.options.resource.plural;
  }

  get hasSynced(): boolean {
    return this.synced;
  }

  /** The last resourceVersion seen (list, event or bookmark). */
  get lastResourceVersion(): string {
    return this.resourceVersion;
  }

  on(handlers: InformerHandlers<T>): void {
    this.handlers.push(handlers);
  }

  whenSynced(): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((resolve) => this.syncWaiters.push(resolve));
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.currentWatch?.abort();
    this.wakeSleep?.();
    await this.loop;
  }

  /**
   * Puts the result of the controller's own write into the cache at once, so the next reconcile sees it even
   * before its watch event arrives. No handler runs: the writer knows what it wrote.
   */
  recordWrite(written: T): void {
    const obj = this.transform(written);
    const old = this.store.get(objectKey(obj));
    if (old && !isNewer(obj, old)) return;
    this.store.upsert(obj);
  }

  /** Drops an object the controller deleted itself; a later watch event cannot resurrect it unless it is newer. */
  recordDelete(obj: T): void {
    this.store.remove(objectKey(obj));
  }

  private transform(obj: T): T {
    return this.options.transform ? this.options.transform(obj) : obj;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        if (!this.resourceVersion) await this.relist();
        if (this.stopped) break;
        const started = Date.now();
        const end = await this.watchOnce();
        if (this.stopped) break;
        if (end.expired) {
          this.restarted('expired', 'watch history expired (410 Gone); relisting');
          this.resourceVersion = '';
          continue;
        }
        if (end.error !== undefined) throw end.error;
        this.restarted('closed', 'watch closed; resuming');
        // A watch that closes at once without events would otherwise spin.
        if (end.events === 0 && Date.now() - started < 1000) await this.sleep(this.nextBackoff());
        else this.failures = 0;
      } catch (error) {
        if (this.stopped) break;
        if (isGone(error)) {
          this.restarted('expired', 'resourceVersion too old (410 Gone); relisting');
          this.resourceVersion = '';
          continue;
        }
        const failure = apiFailure(error);
        // Never sooner than the server asked (a 429's Retry-After).
        const delay = Math.max(this.nextBackoff(), failure.retryAfterMs ?? 0);
        this.restarted(
          'error',
          `list/watch failed (${failure.code || 'no response'}: ${failure.message}); retrying`,
          {
            retryInMs: delay,
          },
        );
        await this.sleep(delay);
      }
    }
  }

  private async relist(): Promise<void> {
    const { plural } = this.options.resource;
    const pageSize = this.options.pageSize ?? 500;
    const items: T[] = [];
    let cont: string | undefined;
    let listRv = '';
    let paged = pageSize > 0;
    // Not a do-while: its `continue` would test the emptied token and end the list with no items at all.
    for (;;) {
      let page: ListPage;
      this.options.metrics?.apiReads.inc({ verb: 'list', resource: plural });
      try {
        page = await this.client.list({
          labelSelector: this.options.labelSelector,
          limit: paged ? pageSize : undefined,
          continue: cont,
        });
      } catch (error) {
        // An expired continue token: start again in one unpaged request, as client-go's pager does.
        if (cont && isGone(error) && !this.stopped) {
          items.length = 0;
          cont = undefined;
          paged = false;
          continue;
        }
        throw error;
      }
      items.push(...((page.items ?? []) as T[]));
      listRv = page.metadata?.resourceVersion ?? listRv;
      cont = page.metadata?.continue || undefined;
      if (!cont || this.stopped) break;
    }
    if (this.stopped) return;
    this.replace(items);
    this.resourceVersion = listRv;
    this.failures = 0;
    this.log.debug({ objects: items.length, resourceVersion: listRv }, 'listed');
    if (!this.synced) {
      this.synced = true;
      this.options.metrics?.informerSynced.set({ resource: plural }, 1);
      for (const resolve of this.syncWaiters.splice(0)) resolve();
    }
  }

  /** Makes the store equal to a fresh list, telling the handlers what changed. */
  private replace(items: T[]): void {
    const seen = new Set<string>();
    for (const listed of items) {
      const obj = this.transform(listed);
      seen.add(objectKey(obj));
      this.apply(obj, true);
    }
    for (const key of [...this.store.keys()]) {
      if (seen.has(key)) continue;
      const old = this.store.remove(key);
      if (old) this.emit((h) => h.delete?.(old));
    }
  }

  private apply(obj: T, fromList = false): void {
    const old = this.store.get(objectKey(obj));
    if (old) {
      if (old.metadata?.resourceVersion === obj.metadata?.resourceVersion) return;
      // A list is authoritative; a watch event older than what we hold (our own recorded write) is stale.
      if (!fromList && !isNewer(obj, old)) return;
    }
    this.store.upsert(obj);
    if (old) this.emit((h) => h.update?.(old, obj));
    else this.emit((h) => h.add?.(obj));
  }

  private remove(obj: T): void {
    const key = objectKey(obj);
    const old = this.store.get(key);
    if (!old) return;
    if (isNewer(old, obj)) return; // the cache already holds a later incarnation (e.g. recreated by us)
    this.store.remove(key);
    this.emit((h) => h.delete?.(old));
  }

  private watchOnce(): Promise<WatchEnd> {
    const { resource, labelSelector } = this.options;
    const base = this.options.watchTimeoutSeconds ?? 300;
    const timeoutSeconds = Math.floor(base * (1 + Math.random()));
    const query: WatchQuery = {
      resourceVersion: this.resourceVersion,
      allowWatchBookmarks: true,
      timeoutSeconds,
    };
    if (labelSelector) query.labelSelector = labelSelector;
    this.options.metrics?.apiReads.inc({ verb: 'watch', resource: resource.plural });
    return new Promise<WatchEnd>((resolve) => {
      const end: WatchEnd = { events: 0, expired: false };
      const onEvent = (type: string, obj: unknown): void => {
        if (this.stopped) return;
        if (type === 'ERROR') {
          const failure = apiFailure({ code: (obj as { code?: number }).code, body: obj });
          if (failure.code === 410) end.expired = true;
          else
            end.error = Object.assign(new Error(failure.message), {
              code: failure.code,
              body: obj,
            });
          this.currentWatch?.abort();
          return;
        }
        end.events++;
        this.failures = 0;
        const o = this.transform(obj as T);
        if (type === 'ADDED' || type === 'MODIFIED') this.apply(o);
        else if (type === 'DELETED') this.remove(o);
        const rv = o.metadata?.resourceVersion;
        if (rv) this.resourceVersion = rv;
      };
      const onDone = (error: unknown): void => {
        this.currentWatch = undefined;
        if (error && !end.expired && end.error === undefined) {
          if (isGone(error)) end.expired = true;
          else if (!this.stopped) end.error = error;
        }
        resolve(end);
      };
      this.client.watch(query, onEvent, onDone).then((controller) => {
        if (this.stopped) controller.abort();
        else this.currentWatch = controller;
      }, onDone);
    });
  }

  private nextBackoff(): number {
    const min = this.options.minBackoffMs ?? 200;
    const max = this.options.maxBackoffMs ?? 30_000;
    const delay = exponentialDelay(min, max, this.failures);
    this.failures++;
    // Jitter so that many informers reconnecting after one restart do not arrive together.
    return Math.round(delay * (0.8 + Math.random() * 0.4));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wakeSleep = done;
    });
  }

  private restarted(
    reason: 'closed' | 'error' | 'expired',
    message: string,
    extra: object = {},
  ): void {
    this.options.metrics?.watchRestarts.inc({ resource: this.resource, reason });
    const level = reason === 'closed' ? 'debug' : reason === 'error' ? 'warn' : 'info';
    this.log[level]({ reason, resourceVersion: this.resourceVersion, ...extra }, message);
  }

  private emit(call: (h: InformerHandlers<T>) => void): void {
    for (const h of this.handlers) {
      try {
        call(h);
      } catch (error) {
        this.log.error({ err: error }, 'informer handler failed');
      }
    }
  }
}

/** True when a's resourceVersion is later than b's. Kubernetes calls resourceVersions opaque, but etcd's (and
 * the sandbox's) are increasing integers; anything else is treated as newer so that nothing gets stuck. */
function isNewer(a: KubeObject, b: KubeObject): boolean {
  const ra = a.metadata?.resourceVersion;
  const rb = b.metadata?.resourceVersion;
  if (!ra || !rb || !/^\d+$/.test(ra) || !/^\d+$/.test(rb)) return true;
  return ra.length !== rb.length ? ra.length > rb.length : ra > rb;
}
