// The registry token flow (distribution's "token authentication specification"), as quay.io,
// registry.redhat.io and docker.io use it: a 401 names a realm, service and scope; the token endpoint,
// given basic credentials or none, answers a short-lived token that is then sent as a Bearer.

export interface Challenge {
  scheme: 'basic' | 'bearer';
  params: Record<string, string>;
}

/** Parses `WWW-Authenticate: Bearer realm="...",service="...",scope="..."` (or Basic realm="..."). */
export function parseChallenge(header: string | null): Challenge | undefined {
  if (!header) return undefined;
  const m = /^\s*(\w+)\s*(.*)$/.exec(header);
  if (!m) return undefined;
  const scheme = m[1]!.toLowerCase();
  if (scheme !== 'basic' && scheme !== 'bearer') return undefined;
  const params: Record<string, string> = {};
  for (const p of (m[2] ?? '').matchAll(/(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g))
    params[p[1]!.toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : (p[3] ?? '');
  return { scheme, params };
}

interface CachedToken {
  token: string;
  expiresAt: number;
}

/** Tokens by registry, scope and user, kept until shortly before they expire. */
export class TokenCache {
  private readonly tokens = new Map<string, CachedToken>();

  constructor(private readonly now: () => number = Date.now) {}

  get(key: string): string | undefined {
    const t = this.tokens.get(key);
    if (!t) return undefined;
    if (t.expiresAt <= this.now()) {
      this.tokens.delete(key);
      return undefined;
    }
    return t.token;
  }

  /** `expiresInSeconds` as the token endpoint says (60 when it says nothing, as the spec defines) */
  set(key: string, token: string, expiresInSeconds: number | undefined): void {
    const lifetime = (expiresInSeconds && expiresInSeconds > 0 ? expiresInSeconds : 60) * 1000;
    // renew 10% (at most 30 s) early, so a token never expires between the cache and the registry
    this.tokens.set(key, {
      token,
      expiresAt: this.now() + lifetime - Math.min(lifetime / 10, 30_000),
    });
  }

  forget(key: string): void {
    this.tokens.delete(key);
  }
}
