// What a failed API call means, whichever client-node path produced it (generated APIs throw ApiException with
// `code` and the raw Status body; Watch reports `statusCode`; network failures carry neither).

export interface ApiFailure {
  /** HTTP status, or 0 when there was no response (refused, reset, timeout) */
  code: number;
  /** metav1.Status reason, e.g. AlreadyExists, Conflict, NotFound, Expired */
  reason?: string;
  message: string;
  /**
   * How long the server asked the client to wait before trying again (a 429 from API Priority and Fairness, or
   * a 503/500 that sets it): the `Retry-After` header, else the Status's `details.retryAfterSeconds`.
   */
  retryAfterMs?: number;
}

export function apiFailure(error: unknown): ApiFailure {
  const e = error as
    | { code?: unknown; statusCode?: unknown; body?: unknown; message?: unknown; headers?: unknown }
    | undefined;
  const code =
    typeof e?.code === 'number' ? e.code : typeof e?.statusCode === 'number' ? e.statusCode : 0;
  const status = parseStatus(e?.body);
  const message =
    status?.message ??
    (code === 0 && error instanceof Error
      ? describeNetworkError(error)
      : String(e?.message ?? error));
  const retryAfterMs = retryAfterHeader(e?.headers) ?? status?.retryAfterMs;
  return retryAfterMs === undefined
    ? { code, reason: status?.reason, message }
    : { code, reason: status?.reason, message, retryAfterMs };
}

/** `Retry-After` as delay-seconds or an HTTP-date (RFC 9110 10.2.3), in ms; undefined when absent or invalid. */
function retryAfterHeader(headers: unknown): number | undefined {
  if (!headers || typeof headers !== 'object') return undefined;
  const value = Object.entries(headers as Record<string, unknown>).find(
    ([k]) => k.toLowerCase() === 'retry-after',
  )?.[1];
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

export const isNotFound = (error: unknown): boolean => apiFailure(error).code === 404;
export const isConflict = (error: unknown): boolean => apiFailure(error).code === 409;
export const isGone = (error: unknown): boolean => apiFailure(error).code === 410;

function parseStatus(
  body: unknown,
): { reason?: string; message?: string; retryAfterMs?: number } | undefined {
  let value = body;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (value && typeof value === 'object' && (value as { kind?: unknown }).kind === 'Status') {
    const s = value as {
      reason?: unknown;
      message?: unknown;
      details?: { retryAfterSeconds?: unknown };
    };
    const seconds = s.details?.retryAfterSeconds;
    return {
      reason: typeof s.reason === 'string' ? s.reason : undefined,
      message: typeof s.message === 'string' ? s.message : undefined,
      retryAfterMs: typeof seconds === 'number' && seconds > 0 ? seconds * 1000 : undefined,
    };
  }
  return undefined;
}

function describeNetworkError(error: Error): string {
  // undici wraps the socket error (ECONNREFUSED, ECONNRESET, ...) in `cause`.
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ? `${error.message}: ${cause.code}` : error.message;
}

/**
 * The wait the server asked for, of an API error or of an error that gathers several (it then carries
 * `retryAfterMs` itself, as ReconcileError does).
 */
export function retryAfterOf(error: unknown): number | undefined {
  const own = (error as { retryAfterMs?: unknown } | null | undefined)?.retryAfterMs;
  return typeof own === 'number' ? own : apiFailure(error).retryAfterMs;
}
