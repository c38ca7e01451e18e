import { ApiException } from '@kubernetes/client-node';
import { apiFailure, retryAfterOf } from './api-errors';

// What a throttled request tells the client: API Priority and Fairness answers 429 with a Retry-After header
// (and a plain-text body); other 429s and 503s carry a Status with details.retryAfterSeconds.

describe('apiFailure', () => {
  it('reads Retry-After in seconds from the headers, whatever their case, over a plain-text body', () => {
    const e = new ApiException(
      429,
      'Too Many Requests',
      'Too many requests, please try again later.\n',
      {
        'retry-after': '3',
      },
    );
    expect(apiFailure(e)).toEqual({
      code: 429,
      reason: undefined,
      message: expect.stringContaining('HTTP-Code: 429'),
      retryAfterMs: 3000,
    });
    expect(apiFailure(new ApiException(429, 'x', '', { 'Retry-After': '1' })).retryAfterMs).toBe(
      1000,
    );
  });

  it('reads Retry-After as an HTTP-date', () => {
    const at = new Date(Date.now() + 5000).toUTCString();
    const wait = apiFailure(new ApiException(503, 'x', '', { 'retry-after': at })).retryAfterMs;
    expect(wait).toBeGreaterThan(3000);
    expect(wait).toBeLessThanOrEqual(5000);
  });

  it("falls back on the Status's details.retryAfterSeconds", () => {
    const body = {
      kind: 'Status',
      code: 429,
      reason: 'TooManyRequests',
      message: 'storage is (re)initializing',
      details: { retryAfterSeconds: 2 },
    };
    expect(apiFailure(new ApiException(429, 'x', body, {}))).toEqual({
      code: 429,
      reason: 'TooManyRequests',
      message: 'storage is (re)initializing',
      retryAfterMs: 2000,
    });
  });

  it('has no wait when the server asked for none, or for nonsense', () => {
    expect(apiFailure(new ApiException(500, 'x', '', {})).retryAfterMs).toBeUndefined();
    expect(apiFailure(new ApiException(429, 'x', '', { 'retry-after': 'soon' })).retryAfterMs).toBe(
      undefined,
    );
    expect(apiFailure(new Error('connect ECONNREFUSED')).retryAfterMs).toBeUndefined();
  });
});

describe('retryAfterOf', () => {
  it("prefers an error's own retryAfterMs (a reconcile's longest), else the API error's", () => {
    expect(retryAfterOf(Object.assign(new Error('x'), { retryAfterMs: 7 }))).toBe(7);
    expect(retryAfterOf(new ApiException(429, 'x', '', { 'retry-after': '2' }))).toBe(2000);
    expect(retryAfterOf(undefined)).toBeUndefined();
  });
});
