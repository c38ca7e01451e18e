import { ApiError } from './errors';

export interface RequestFilter {
  verb?: string;
  resource?: string;
  /** `''` for the object itself, `status` for its status subresource */
  subresource?: string;
  namespace?: string;
  name?: string;
  /** the authenticated user name: faults for one client only (one replica cut off, say) */
  user?: string;
}

export interface FailRule extends RequestFilter {
  /** How many matching requests fail (default 1). */
  count?: number;
  /** HTTP status (default 500). */
  status?: number;
  reason?: string;
  message?: string;
  /** for 429: the `Retry-After` header (default 1) */
  retryAfterSeconds?: number;
  /**
   * for 429: answer as API Priority and Fairness rejects a request (the default): `Retry-After` and a plain-text
   * body, no Status. `false`: a Status with `details.retryAfterSeconds` too, as kube's other 429s.
   */
  priorityAndFairness?: boolean;
}

/** A request API Priority and Fairness rejected: kube-apiserver answers it in plain text, not with a Status. */
export class FlowControlRejection extends ApiError {
  constructor(readonly retryAfterSeconds: number) {
    super(429, 'TooManyRequests', 'Too many requests, please try again later.');
  }
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

const FIELDS = ['verb', 'resource', 'subresource', 'namespace', 'name', 'user'] as const;

const matches = (f: RequestFilter, r: RequestFilter) =>
  FIELDS.every((k) => f[k] === undefined || f[k] === (r[k] ?? ''));

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
    if (status === 429 && rule.priorityAndFairness !== false)
      return new FlowControlRejection(rule.retryAfterSeconds ?? 1);
    const reason = rule.reason ?? REASONS[status] ?? 'InternalError';
    const details = status === 429 ? { retryAfterSeconds: rule.retryAfterSeconds ?? 1 } : undefined;
    return new ApiError(status, reason, rule.message ?? `injected fault: ${reason}`, details);
  }
}
