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

/** One request as it arrived, for listeners: its key, the object's name, and when (performance.now()). */
export interface AuditEvent extends AuditKey {
  name?: string;
  at: number;
}

/**
 * Request counts by verb and resource, for tests and benchmarks ("how many writes did the controller
 * make"). Verbs are kube-apiserver's audit verbs: get, list, watch, create, update, patch, delete,
 * deletecollection.
 */
export class Audit {
  private readonly counts = new Map<string, AuditEntry>();
  private readonly listeners = new Set<(event: AuditEvent) => void>();

  /**
   * Calls `listener` with every request from now on, timestamped at its arrival (benchmarks measure latencies
   * from these). Returns what unsubscribes it.
   */
  onRecord(listener: (event: AuditEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  record(key: AuditKey, name?: string): void {
    if (this.listeners.size > 0) {
      const event: AuditEvent = { ...key, at: performance.now() };
      if (name !== undefined) event.name = name;
      for (const listener of this.listeners) listener(event);
    }
    const id = `${key.verb}|${key.group ?? ''}|${key.resource ?? ''}|${key.subresource ?? ''}|${key.namespace ?? ''}`;
    const entry = this.counts.get(id);
    if (entry) entry.count++;
    else this.counts.set(id, { ...key, count: 1 });
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
    return ['create', 'update', 'patch', 'delete', 'deletecollection'].reduce(
      (sum, verb) => sum + this.count({ ...filter, verb }),
      0,
    );
  }

  snapshot(): AuditEntry[] {
    return [...this.counts.values()].map((e) => ({ ...e }));
  }

  reset(): void {
    this.counts.clear();
  }
}
