// What a failed API call means, whichever client-node path produced it (generated APIs throw ApiException with
// `code` and the raw Status body; Watch reports `statusCode`; network failures carry neither).

export interface ApiFailure {
  /** HTTP status, or 0 when there was no response (refused, reset, timeout) */
  code: number;
  /** metav1.Status reason, e.g. AlreadyExists, Conflict, NotFound, Expired */
  reason?: string;
  message: string;
}

export function apiFailure(error: unknown): ApiFailure {
  const e = error as
    { code?: unknown; statusCode?: unknown; body?: unknown; message?: unknown } | undefined;
  const code =
    typeof e?.code === 'number' ? e.code : typeof e?.statusCode === 'number' ? e.statusCode : 0;
  const status = parseStatus(e?.body);
  const message =
    status?.message ??
    (code === 0 && error instanceof Error
      ? describeNetworkError(error)
      : String(e?.message ?? error));
  return { code, reason: status?.reason, message };
}

export const isNotFound = (error: unknown): boolean => apiFailure(error).code === 404;
export const isConflict = (error: unknown): boolean => apiFailure(error).code === 409;
export const isGone = (error: unknown): boolean => apiFailure(error).code === 410;

function parseStatus(body: unknown): { reason?: string; message?: string } | undefined {
  let value = body;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (value && typeof value === 'object' && (value as { kind?: unknown }).kind === 'Status') {
    const s = value as { reason?: unknown; message?: unknown };
    return {
      reason: typeof s.reason === 'string' ? s.reason : undefined,
      message: typeof s.message === 'string' ? s.message : undefined,
    };
  }
  return undefined;
}

function describeNetworkError(error: Error): string {
  // undici wraps the socket error (ECONNREFUSED, ECONNRESET, ...) in `cause`.
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ? `${error.message}: ${cause.code}` : error.message;
}
