// Requests to /api/kubernetes as the console makes them: JSON in and out, and a failed request throws an
// Error whose message is the API server's Status message (what the console shows), with the Status attached.
import type * as Real from '@openshift-console/dynamic-plugin-sdk';

export const API_PREFIX = '/api/kubernetes';

export class ApiError extends Error {
  constructor(
    message: string,
    readonly response: Response,
    readonly json?: Real.Status,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const contentTypeFor = (method: string, patch?: 'json' | 'merge') =>
  method === 'PATCH'
    ? patch === 'merge'
      ? 'application/merge-patch+json'
      : 'application/json-patch+json'
    : 'application/json';

export const consoleFetch: Real.ConsoleFetch = async (url, options = {}) => {
  const response = await fetch(url, options);
  if (response.ok) return response;
  const text = await response.text();
  let status: Real.Status | undefined;
  try {
    status = JSON.parse(text) as Real.Status;
  } catch {
    status = undefined;
  }
  throw new ApiError(status?.message || text || response.statusText, response, status);
};

export async function requestJSON<T>(
  url: string,
  method = 'GET',
  body?: unknown,
  patch?: 'json' | 'merge',
): Promise<T> {
  const response = await consoleFetch(url, {
    method,
    headers: {
      Accept: 'application/json',
      ...(body === undefined ? {} : { 'Content-Type': contentTypeFor(method, patch) }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return (await response.json()) as T;
}

export const consoleFetchJSON = Object.assign(
  (url: string, method?: string) => requestJSON<unknown>(url, method),
  {
    delete: (url: string) => requestJSON<unknown>(url, 'DELETE'),
    post: (url: string, json: unknown) => requestJSON<unknown>(url, 'POST', json),
    put: (url: string, json: unknown) => requestJSON<unknown>(url, 'PUT', json),
    patch: (url: string, json: unknown) => requestJSON<unknown>(url, 'PATCH', json),
  },
) as unknown as Real.ConsoleFetchJSON;
