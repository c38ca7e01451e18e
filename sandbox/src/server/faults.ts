import { ApiError } from './errors';

export interface RequestFilter {
  verb?: string;
  resource?: string;
  namespace?: string;
}

export interface FailRule extends RequestFilter {
  /** How many matching requests fail (default 1). */
  count?: number;
  /** HTTP status (default 500). */
  status?: number;
  reason?: string;
  message?: string;
}

const REASONS: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  409: 'Conflict',
  410: 'Expired',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

const matches = (f: RequestFilter, r: RequestFilter) =>
  (f.verb === undefined || f.verb === r.verb) &&
  (f.resource === undefined || f.resource === r.resource) &&
  (f.namespace === undefined || f.namespace === r.namespace);

/** Injected failures and latency, consulted by the HTTP layer before each request is served. */
export class FaultRules {
  private failures: (FailRule & { remaining: number })[] = [];
  private latencies: { ms: number; filter: RequestFilter }[] = [];

  failNext(rule: FailRule): void {
    this.failures.push({ ...rule, remaining: rule.count ?? 1 });
  }

  setLatency(ms: number, filter: RequestFilter = {}): void {
    this.latencies = this.latencies.filter(
      (l) => JSON.stringify(l.filter) !== JSON.stringify(filter),
    );
    if (ms > 0) this.latencies.push({ ms, filter });
  }

  clear(): void {
    this.failures = [];
    this.latencies = [];
  }

  latencyFor(request: RequestFilter): number {
    return this.latencies
      .filter((l) => matches(l.filter, request))
      .reduce((max, l) => Math.max(max, l.ms), 0);
  }

  /** The injected error for this request, consuming one count of the first matching rule. */
  failureFor(request: RequestFilter): ApiError | undefined {
    const rule = this.failures.find((f) => f.remaining > 0 && matches(f, request));
    if (!rule) return undefined;
    rule.remaining--;
    this.failures = this.failures.filter((f) => f.remaining > 0);
    const status = rule.status ?? 500;
    const reason = rule.reason ?? REASONS[status] ?? 'InternalError';
    const details = status === 429 ? { retryAfterSeconds: 1 } : undefined;
    return new ApiError(status, reason, rule.message ?? `injected fault: ${reason}`, details);
  }
}
