import type { FieldSelector, LabelSelector } from './selectors';
import { matchesFilter, type EventType, type Store, type StoreEvent } from './store';
import type { KubeObject } from './types';

/** Where a watch writes: one HTTP response. */
export interface WatchSink {
  write(chunk: Buffer): void;
  end(): void;
  /** Bytes buffered and not yet sent: a watcher too far behind is closed, as kube-apiserver does. */
  readonly backlog: number;
  onClose(callback: () => void): void;
}

export interface WatchEncoding {
  /** Watchers with the same key get the same bytes for the same event. */
  key: string;
  encode(type: EventType | 'BOOKMARK', object: KubeObject): Buffer;
}

export interface WatchRequest {
  resource: string;
  namespace?: string;
  labels?: LabelSelector;
  fields?: FieldSelector;
  encoding: WatchEncoding;
  /** Bookmark objects carry only kind, apiVersion and resourceVersion. */
  bookmarkTemplate?: { kind: string; apiVersion: string };
  bookmarkIntervalMs: number;
  /** When the server ends the watch: the client's `timeoutSeconds`, else a share of `--min-request-timeout`. */
  timeoutMs: number;
  /** Tag for fault injection (`dropWatches({resource})`). */
  tags: { resource: string; namespace?: string };
}

const MAX_BACKLOG = 64 * 1024 * 1024;

/** kube-apiserver's cacher sends a last bookmark this long before a watch's deadline (cache_watcher.go). */
const PRE_TIMEOUT_BOOKMARK_MS = 2000;

/**
 * How long kube-apiserver keeps a watch open (`getTimeout` in its get handler): the client's `timeoutSeconds`
 * when it is not 0, else a random duration between 1x and 2x `--min-request-timeout`, which spreads the
 * reconnections of many clients.
 */
export function watchTimeoutMs(
  timeoutSeconds: number,
  minRequestTimeoutSeconds: number,
  random: () => number = Math.random,
): number {
  if (timeoutSeconds !== 0) return timeoutSeconds * 1000;
  return minRequestTimeoutSeconds * 1000 * (1 + random());
}

/** One open watch: filters store events through its selectors and writes encoded lines to its sink. */
export class Watcher {
  private closed = false;
  private readonly timers: NodeJS.Timeout[] = [];
  private unsubscribe: (() => void) | undefined;
  private lastRv: number;
  private deadline = 0;

  constructor(
    private readonly store: Store,
    readonly request: WatchRequest,
    private readonly sink: WatchSink,
    private readonly onDone: (w: Watcher) => void,
  ) {
    this.lastRv = store.resourceVersion;
    sink.onClose(() => this.close());
  }

  private matches(object: KubeObject | undefined): boolean {
    return object !== undefined && matchesFilter(this.request, object);
  }

  private send(type: EventType | 'BOOKMARK', event: StoreEvent | undefined, object: KubeObject) {
    if (this.closed) return;
    let line: Buffer;
    if (event) {
      const cacheKey = `${this.request.encoding.key}|${type}`;
      event.lines ??= new Map();
      line = event.lines.get(cacheKey) ?? this.request.encoding.encode(type, object);
      event.lines.set(cacheKey, line);
    } else {
      line = this.request.encoding.encode(type, object);
    }
    this.sink.write(line);
    if (this.sink.backlog > MAX_BACKLOG) this.close();
  }

  /** Applies one store event, turning selector transitions into ADDED/DELETED as kube-apiserver does. */
  handle(event: StoreEvent): void {
    this.lastRv = event.rv;
    const now = event.type !== 'DELETED' && this.matches(event.object);
    const before = event.type !== 'ADDED' && this.matches(event.previous);
    if (event.type === 'DELETED') {
      if (before) this.send('DELETED', event, event.object);
    } else if (now && before) this.send('MODIFIED', event, event.object);
    else if (now) this.send('ADDED', event, event.object);
    else if (before) this.send('DELETED', event, event.object);
  }

  /**
   * Starts the watch: synthetic ADDED events for `initial` objects (resourceVersion 0 or empty), or the
   * history after `sinceRv`, then live events. `initialEventsEnd` adds the sendInitialEvents bookmark.
   */
  start(initial: KubeObject[] | undefined, history: StoreEvent[], initialEventsEnd: boolean): void {
    for (const object of initial ?? []) this.send('ADDED', undefined, object);
    for (const event of history) this.handle(event);
    if (initialEventsEnd) this.bookmark({ 'k8s.io/initial-events-end': 'true' });
    this.unsubscribe = this.store.subscribe(this.request.resource, (event) => this.handle(event));
    const { timeoutMs } = this.request;
    this.deadline = Date.now() + timeoutMs;
    const timer = setTimeout(() => this.close(), Math.max(0, timeoutMs));
    timer.unref();
    this.timers.push(timer);
    this.scheduleBookmark();
  }

  /**
   * Bookmarks as kube-apiserver's watch cache sends them (`nextBookmarkTime`): about every
   * `bookmarkIntervalMs` (a minute in kube), and once 2 s before the deadline so that the client resumes from
   * a recent resourceVersion.
   */
  private scheduleBookmark(): void {
    if (!this.request.bookmarkTemplate || this.closed) return;
    const now = Date.now();
    const next = Math.min(
      now + this.request.bookmarkIntervalMs,
      this.deadline - PRE_TIMEOUT_BOOKMARK_MS,
    );
    if (next <= now) return;
    const timer = setTimeout(() => {
      this.timers.splice(this.timers.indexOf(timer), 1);
      this.bookmark();
      this.scheduleBookmark();
    }, next - now);
    timer.unref();
    this.timers.push(timer);
  }

  private bookmark(annotations?: Record<string, string>): void {
    const template = this.request.bookmarkTemplate;
    if (!template) return;
    const rv = Math.max(this.lastRv, this.store.resourceVersion);
    this.send('BOOKMARK', undefined, {
      ...template,
      metadata: { resourceVersion: String(rv), ...(annotations ? { annotations } : {}) },
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe?.();
    for (const timer of this.timers) clearTimeout(timer);
    this.sink.end();
    this.onDone(this);
  }
}
