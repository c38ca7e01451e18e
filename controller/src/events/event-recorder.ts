import { CoreV1Api, type CoreV1Event, type KubeConfig } from '@kubernetes/client-node';
import type { Logger } from '../logging';
import { apiFailure, isConflict, isNotFound } from '../kube/api-errors';
import { NotLeaderError, type WriteGate } from '../kube/write-gate';

export interface EventInput {
  /** the object the Event is about (a cluster-scoped MCM here) */
  regarding: { apiVersion: string; kind: string; name: string; uid: string };
  type: 'Normal' | 'Warning';
  /** CamelCase, e.g. ManifestWorksCreated */
  reason: string;
  /** what was done, e.g. Create */
  action: string;
  message: string;
}

/** The two Event requests the recorder makes; an interface so that tests can answer them. */
export interface EventClient {
  create(namespace: string, event: CoreV1Event): Promise<CoreV1Event>;
  replace(namespace: string, event: CoreV1Event): Promise<CoreV1Event>;
}

/** The client-node implementation. */
export function kubeEventClient(kubeConfig: KubeConfig): EventClient {
  const api = kubeConfig.makeApiClient(CoreV1Api);
  return {
    create: (namespace, body) => api.createNamespacedEvent({ namespace, body }),
    replace: (namespace, body) =>
      api.replaceNamespacedEvent({ name: body.metadata.name!, namespace, body }),
  };
}

/** Where Events are written: client-node through a kubeconfig, or a given client (unit tests). */
export type EventRecorderOptions = EventRecorderSettings &
  (
    { kubeConfig: KubeConfig; client?: undefined } | { client: EventClient; kubeConfig?: undefined }
  );

export interface EventRecorderSettings {
  gate: WriteGate;
  logger: Logger;
  namespace: string;
  reportingController: string;
  reportingInstance: string;
  /** repeats of the same Event within this window bump its count instead of creating a new one (client-go: 6 min) */
  seriesWindowMs?: number;
  /** at most one write per Event per interval; repeats in between are folded into the next write */
  minWriteIntervalMs?: number;
}

interface Series {
  input: EventInput;
  count: number;
  firstMs: number;
  lastMs: number;
  written?: CoreV1Event;
  lastWriteMs: number;
  writing: boolean;
  dirty: boolean;
  timer?: NodeJS.Timeout;
}

const MAX_MESSAGE = 1024;

/**
 * core/v1 Events (what `kubectl describe`, `kubectl get events` and the console's Events tab read), aggregated as
 * client-go's recorder does: the same (object, type, reason, action) within the series window updates one Event's
 * count, lastTimestamp and message, and writes are coalesced so a flapping condition costs one write per
 * interval, not one per occurrence. Recording never throws and never blocks a reconcile.
 */
export class EventRecorder {
  private readonly client: EventClient;
  private readonly series = new Map<string, Series>();
  private readonly inflight = new Set<Promise<void>>();
  private sequence = 0;
  private stopped = false;

  constructor(private readonly options: EventRecorderOptions) {
    this.client = options.client ?? kubeEventClient(options.kubeConfig);
  }

  record(input: EventInput): void {
    if (this.stopped) return;
    const now = Date.now();
    const key = `${input.regarding.uid}|${input.type}|${input.reason}|${input.action}`;
    let s = this.series.get(key);
    if (s && now - s.lastMs > (this.options.seriesWindowMs ?? 6 * 60_000)) {
      clearTimeout(s.timer);
      this.series.delete(key);
      s = undefined;
    }
    if (!s) {
      this.trim(now);
      s = {
        input,
        count: 1,
        firstMs: now,
        lastMs: now,
        lastWriteMs: 0,
        writing: false,
        dirty: true,
      };
      this.series.set(key, s);
    } else {
      s.count++;
      s.lastMs = now;
      s.input = input;
      s.dirty = true;
    }
    this.schedule(s);
  }

  /** Waits for the writes in flight (tests, shutdown). */
  async flush(): Promise<void> {
    while (this.inflight.size > 0) await Promise.all([...this.inflight]);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const s of this.series.values()) clearTimeout(s.timer);
    await this.flush();
  }

  private schedule(s: Series): void {
    if (s.writing || s.timer || !s.dirty || this.stopped) return;
    const wait = s.lastWriteMs + (this.options.minWriteIntervalMs ?? 1000) - Date.now();
    if (wait > 0) {
      s.timer = setTimeout(() => {
        s.timer = undefined;
        this.schedule(s);
      }, wait);
      s.timer.unref();
      return;
    }
    const p = this.write(s).finally(() => this.inflight.delete(p));
    this.inflight.add(p);
  }

  private async write(s: Series): Promise<void> {
    s.writing = true;
    s.dirty = false;
    const { namespace, gate, logger } = this.options;
    const input = s.input;
    try {
      if (s.written) {
        const body: CoreV1Event = {
          ...s.written,
          count: s.count,
          lastTimestamp: new Date(s.lastMs),
          message: truncate(input.message),
        };
        try {
          s.written = await gate.write('update', 'events', () =>
            this.client.replace(namespace, body),
          );
        } catch (error) {
          // Deleted or changed by someone else (e.g. event TTL): start a new Event.
          if (!isNotFound(error) && !isConflict(error)) throw error;
          s.written = undefined;
        }
      }
      if (!s.written) {
        const body = this.newEvent(s);
        s.written = await gate.write('create', 'events', () => this.client.create(namespace, body));
      }
      s.lastWriteMs = Date.now();
    } catch (error) {
      if (error instanceof NotLeaderError) {
        logger.debug({ reason: input.reason }, 'not the leader: event dropped');
      } else {
        logger.warn(
          { reason: input.reason, mcm: input.regarding.name, error: apiFailure(error).message },
          'could not record event',
        );
      }
    } finally {
      s.writing = false;
      this.schedule(s);
    }
  }

  private newEvent(s: Series): CoreV1Event {
    const { regarding, type, reason, action, message } = s.input;
    // kube names Events <object>.<unique hex>; a counter keeps two Events created in one millisecond apart.
    const unique = (BigInt(s.firstMs) * 1_000_000n + BigInt(this.sequence++ % 1_000_000)).toString(
      16,
    );
    return {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${regarding.name}.${unique}`, namespace: this.options.namespace },
      involvedObject: {
        apiVersion: regarding.apiVersion,
        kind: regarding.kind,
        name: regarding.name,
        uid: regarding.uid,
      },
      type,
      reason,
      action,
      message: truncate(message),
      count: s.count,
      firstTimestamp: new Date(s.firstMs),
      lastTimestamp: new Date(s.lastMs),
      source: { component: this.options.reportingController },
      reportingComponent: this.options.reportingController,
      reportingInstance: this.options.reportingInstance,
    };
  }

  /** Forgets idle series beyond a few thousand so memory stays bounded. */
  private trim(now: number): void {
    if (this.series.size < 4096) return;
    for (const [key, s] of this.series) {
      if (!s.writing && !s.timer && now - s.lastMs > 60_000) this.series.delete(key);
    }
  }
}

function truncate(message: string): string {
  return message.length <= MAX_MESSAGE ? message : `${message.slice(0, MAX_MESSAGE - 3)}...`;
}
