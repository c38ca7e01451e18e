// One shared watch per (kind, namespace, name, selectors): a LIST, then a websocket WATCH from its
// resourceVersion, resumed after a drop and relisted after 410 Gone. Like the console, incoming events are
// applied in batches (every 500 ms) so that a busy fleet does not re-render a page for every event.
import type * as Real from '@openshift-console/dynamic-plugin-sdk';
import { ApiError, requestJSON } from './api';
import { resourceURL } from './models';

const FLUSH_MS = 500;
const RECONNECT_MS = 1000;

type Obj = Real.K8sResourceCommon;
interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: Obj & { code?: number; message?: string };
}

export interface WatchQuery {
  model: Real.K8sModel;
  namespace?: string;
  name?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

export interface WatchSnapshot {
  list: Obj[];
  loaded: boolean;
  error: unknown;
}

const keyOf = (o: Obj) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

class SharedWatch {
  private readonly items = new Map<string, Obj>();
  private readonly listeners = new Set<() => void>();
  private snapshot: WatchSnapshot = { list: [], loaded: false, error: undefined };
  private pending: WatchEvent[] = [];
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private socket: WebSocket | undefined;
  private resourceVersion = '';
  private stopped = false;

  constructor(private readonly query: WatchQuery) {}

  private params(): Record<string, string> {
    const p: Record<string, string> = {};
    const fields = [
      this.query.fieldSelector,
      this.query.name ? `metadata.name=${this.query.name}` : '',
    ].filter(Boolean);
    if (fields.length) p.fieldSelector = fields.join(',');
    if (this.query.labelSelector) p.labelSelector = this.query.labelSelector;
    return p;
  }

  start(): void {
    void this.list();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.flushTimer);
    clearTimeout(this.retryTimer);
    this.socket?.close();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  getSnapshot = (): WatchSnapshot => this.snapshot;

  private publish(patch: Partial<WatchSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    for (const l of this.listeners) l();
  }

  private async list(): Promise<void> {
    try {
      const list = await requestJSON<{ metadata: { resourceVersion: string }; items: Obj[] }>(
        resourceURL(this.query.model, { ns: this.query.namespace, queryParams: this.params() }),
      );
      if (this.stopped) return;
      const { apiGroup, apiVersion, kind } = this.query.model;
      this.items.clear();
      // List items carry no kind; console fills it in for its pages, and so do we.
      for (const item of list.items) {
        this.items.set(keyOf(item), {
          apiVersion: apiGroup ? `${apiGroup}/${apiVersion}` : apiVersion,
          kind,
          ...item,
        });
      }
      this.resourceVersion = list.metadata.resourceVersion;
      this.publish({ list: [...this.items.values()], loaded: true, error: undefined });
      this.watch();
    } catch (error) {
      if (this.stopped) return;
      this.publish({ loaded: true, error });
      // A 403 or 404 stays until the page goes away; anything else is tried again.
      const status = error instanceof ApiError ? error.response.status : 0;
      if (status !== 403 && status !== 404) this.retry(() => void this.list());
    }
  }

  private watch(): void {
    const params = new URLSearchParams({
      ...this.params(),
      watch: 'true',
      resourceVersion: this.resourceVersion,
    });
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${resourceURL(
      this.query.model,
      { ns: this.query.namespace },
    )}?${params.toString()}`;
    const socket = new WebSocket(url);
    this.socket = socket;
    socket.onmessage = (message) => {
      const event = JSON.parse(String(message.data)) as WatchEvent;
      if (event.type === 'ERROR') {
        // 410 Gone: our resourceVersion is too old; anything else: resume after a pause.
        socket.onclose = null;
        socket.close();
        this.retry(() => void (event.object.code === 410 ? this.list() : this.watch()));
        return;
      }
      if (event.object.metadata?.resourceVersion) {
        this.resourceVersion = event.object.metadata.resourceVersion;
      }
      if (event.type === 'BOOKMARK') return;
      this.pending.push(event);
      this.flushTimer ??= setTimeout(() => this.flush(), FLUSH_MS);
    };
    socket.onclose = () => {
      if (!this.stopped) this.retry(() => this.watch());
    };
  }

  private retry(again: () => void): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      if (!this.stopped) again();
    }, RECONNECT_MS);
  }

  private flush(): void {
    this.flushTimer = undefined;
    const { apiGroup, apiVersion, kind } = this.query.model;
    for (const { type, object } of this.pending) {
      if (type === 'DELETED') this.items.delete(keyOf(object));
      else {
        this.items.set(keyOf(object), {
          apiVersion: apiGroup ? `${apiGroup}/${apiVersion}` : apiVersion,
          kind,
          ...object,
        });
      }
    }
    this.pending = [];
    this.publish({ list: [...this.items.values()] });
  }
}

const watches = new Map<string, SharedWatch>();

/** The shared watch for a query; it stops a moment after its last subscriber leaves. */
export function sharedWatch(query: WatchQuery): {
  subscribe: (l: () => void) => () => void;
  getSnapshot: () => WatchSnapshot;
} {
  const key = JSON.stringify([
    query.model.apiGroup,
    query.model.apiVersion,
    query.model.plural,
    query.namespace,
    query.name,
    query.labelSelector,
    query.fieldSelector,
  ]);
  let watch = watches.get(key);
  if (!watch) {
    const created = new SharedWatch(query);
    watches.set(key, created);
    created.start();
    watch = created;
  }
  const w = watch;
  return {
    getSnapshot: w.getSnapshot,
    subscribe: (listener) => {
      const unsubscribe = w.subscribe(listener);
      return () => {
        unsubscribe();
        // Pages that swap quickly (a tab change) keep the data instead of listing again.
        setTimeout(() => {
          if (w.listenerCount === 0 && watches.get(key) === w) {
            w.stop();
            watches.delete(key);
          }
        }, 10_000);
      };
    },
  };
}
