/** One audited request. `resource` is the plural (`manifestworks`); non-resource requests have none. */
export interface AuditKey {
  verb: string;
  resource?: string;
  group?: string;
  subresource?: string;
  namespace?: string;
}

export interface AuditEntry extends AuditKey {
  count: number;
}

/**
 * One request as kube-apiserver's audit log has it (audit.k8s.io/v1 Event, flattened): who made it
 * (`user.username`, `userAgent`), on what (`objectRef`), when it arrived, and the response code once it is
 * complete (undefined while it runs, or when the client went away before an answer was sent).
 */
export interface AuditEvent extends AuditKey {
  /** order of arrival, from 1 */
  seq: number;
  /** requestReceivedTimestamp, in ms since the epoch */
  time: number;
  /** the object's name (for a create, the body's `metadata.name`) */
  name?: string;
  user: string;
  userAgent: string;
  code?: number;
  /** when the response was complete (or the connection closed), in ms since the epoch */
  completed?: number;
  /** the request body, at level `Request` only */
  requestObject?: unknown;
}

/** kube's audit levels, minus `RequestResponse`: nothing, who did what, or that plus the request body. */
export type AuditLevel = 'None' | 'Metadata' | 'Request';

export const WRITE_VERBS = ['create', 'update', 'patch', 'delete', 'deletecollection'];

/**
 * Request counts by verb and resource, for tests and benchmarks ("how many writes did the controller
 * make"), and the log of the last requests one by one (`events()`, bounded by `logSize`; `level` says how
 * much of each is kept). Verbs are kube-apiserver's audit verbs: get, list, watch, create, update, patch,
 * delete, deletecollection.
 */
export class Audit {
  private readonly counts = new Map<string, AuditEntry>();
  private log: AuditEvent[] = [];
  private seq = 0;
  private readonly listeners = new Set<(event: AuditEvent) => void>();
  level: AuditLevel = 'Metadata';
  logSize = 100_000;

  record(key: AuditKey): void {
    const id = `${key.verb}|${key.group ?? ''}|${key.resource ?? ''}|${key.subresource ?? ''}|${key.namespace ?? ''}`;
    const entry = this.counts.get(id);
    if (entry) entry.count++;
    else this.counts.set(id, { ...key, count: 1 });
  }

  /**
   * Logs one request as it arrives (unless the level is `None`) and tells the listeners, synchronously, before
   * the request is served: a test can act at that exact point (kill the client, say). Returns the entry, whose
   * `code` the HTTP layer fills in when the response is complete.
   */
  logRequest(
    event: Omit<AuditEvent, 'seq' | 'time' | 'requestObject' | 'completed' | 'code'>,
    body: unknown,
  ): AuditEvent | undefined {
    if (this.level === 'None') return undefined;
    const entry: AuditEvent = { ...event, seq: ++this.seq, time: Date.now() };
    if (this.level === 'Request' && body !== undefined) entry.requestObject = structuredClone(body);
    this.log.push(entry);
    if (this.log.length > this.logSize) this.log = this.log.slice(-Math.floor(this.logSize / 2));
    for (const listener of this.listeners) listener(entry);
    return entry;
  }

  /** Calls `listener` with every request logged from now on; returns what removes it. */
  onRequest(listener: (event: AuditEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The logged requests (oldest first) matching every given field; `writes: true` keeps writes only. */
  events(
    filter: Partial<Omit<AuditEvent, 'seq' | 'time' | 'requestObject' | 'completed'>> & {
      writes?: boolean;
    } = {},
  ): AuditEvent[] {
    const { writes, ...fields } = filter;
    return this.log.filter(
      (e) =>
        (!writes || WRITE_VERBS.includes(e.verb)) &&
        Object.entries(fields).every(
          ([k, v]) => v === undefined || (e[k as keyof AuditEvent] ?? '') === v,
        ),
    );
  }

  /** Sum of the requests matching every given field, e.g. `count({verb: 'create', resource: 'manifestworks'})`. */
  count(filter: Partial<AuditKey> = {}): number {
    let total = 0;
    for (const entry of this.counts.values()) {
      if (filter.verb !== undefined && entry.verb !== filter.verb) continue;
      if (filter.resource !== undefined && entry.resource !== filter.resource) continue;
      if (filter.group !== undefined && (entry.group ?? '') !== filter.group) continue;
      if (filter.subresource !== undefined && (entry.subresource ?? '') !== filter.subresource)
        continue;
      if (filter.namespace !== undefined && entry.namespace !== filter.namespace) continue;
      total += entry.count;
    }
    return total;
  }

  /** Writes (create, update, patch, delete, deletecollection) matching the filter. */
  writes(filter: Omit<Partial<AuditKey>, 'verb'> = {}): number {
    return WRITE_VERBS.reduce((sum, verb) => sum + this.count({ ...filter, verb }), 0);
  }

  snapshot(): AuditEntry[] {
    return [...this.counts.values()].map((e) => ({ ...e }));
  }

  /** Forgets the counts and the log (the listeners stay). */
  reset(): void {
    this.counts.clear();
    this.log = [];
  }
}
