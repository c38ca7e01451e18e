import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { Agent, fetch, type Dispatcher, type Response } from 'undici';
import type { ImageReference } from '../../model/image';
import { TokenCache, parseChallenge, type Challenge } from './auth';
import type { RegistryCredentials } from './docker-config';
import { RegistryError, describeNetworkProblem } from './errors';

/** The manifest types a tag may resolve to; an index first, so a multi-arch tag resolves to its index digest. */
export const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

/** How to reach one image's registry: the MCM's registryTLS and imageRepoSecret. */
export interface RegistryAccess {
  /** plain HTTP */
  insecure?: boolean;
  insecureSkipTLSVerify?: boolean;
  credentials?: RegistryCredentials;
}

export type ManifestAnswer = { kind: 'found'; digest: string } | { kind: 'missing' };

export interface RegistryClientOptions {
  timeoutMs: number;
  /** PEM file of extra CAs trusted for registries (added to the system ones) */
  caFile?: string;
  /** every HTTP request made, for metrics: `status` is the HTTP status or `error` */
  onRequest?: (registry: string, status: number | 'error') => void;
}

/**
 * Resolves image references to digests over the OCI distribution API (no registry SDK): a manifest HEAD with
 * every manifest type accepted, anonymous, basic or Bearer-token auth, tokens cached until they expire.
 * Answers `missing` for a 404; throws RegistryError (unauthorized / unreachable / other) with a message that
 * names the image, the registry and what to check.
 */
export class RegistryClient {
  private readonly tokens = new TokenCache();
  /** the last challenge of each registry, so later requests authenticate before being refused */
  private readonly challenges = new Map<string, Challenge>();
  private readonly verifying: Agent;
  private readonly skipVerify: Agent;

  constructor(private readonly options: RegistryClientOptions) {
    const ca = options.caFile ? readFileSync(options.caFile, 'utf8') : undefined;
    const connect = { timeout: options.timeoutMs };
    this.verifying = new Agent({
      connect: ca ? { ...connect, ca: [...rootCertificates, ca] } : connect,
    });
    this.skipVerify = new Agent({ connect: { ...connect, rejectUnauthorized: false } });
  }

  async resolve(
    image: string,
    ref: ImageReference,
    access: RegistryAccess,
  ): Promise<ManifestAnswer> {
    const reference = ref.digest ?? ref.tag ?? 'latest';
    const url = `${this.base(ref, access)}/v2/${ref.repository}/manifests/${reference}`;
    const res = await this.request(image, ref, access, url, 'HEAD');
    if (res.status === 404) return { kind: 'missing' };
    this.failUnlessOk(image, ref, access, res);
    const digest = res.headers.get('docker-content-digest');
    if (digest && digest.startsWith('sha256:')) return { kind: 'found', digest };
    // Some registries omit the header on HEAD: the digest is the sha256 of the manifest as served.
    const get = await this.request(image, ref, access, url, 'GET');
    if (get.status === 404) return { kind: 'missing' };
    this.failUnlessOk(image, ref, access, get);
    const body = Buffer.from(await get.arrayBuffer());
    const served = get.headers.get('docker-content-digest');
    if (served && served.startsWith('sha256:')) return { kind: 'found', digest: served };
    return { kind: 'found', digest: `sha256:${createHash('sha256').update(body).digest('hex')}` };
  }

  async close(): Promise<void> {
    await Promise.all([this.verifying.close(), this.skipVerify.close()]);
  }

  private base(ref: ImageReference, access: RegistryAccess): string {
    const host = ref.registry === 'docker.io' ? 'registry-1.docker.io' : ref.registry;
    return `${access.insecure ? 'http' : 'https'}://${host}`;
  }

  private dispatcher(access: RegistryAccess): Dispatcher {
    return access.insecureSkipTLSVerify ? this.skipVerify : this.verifying;
  }

  private async request(
    image: string,
    ref: ImageReference,
    access: RegistryAccess,
    url: string,
    method: 'HEAD' | 'GET',
  ): Promise<Response> {
    const scope = `repository:${ref.repository}:pull`;
    const known = this.challenges.get(ref.registry);
    let authorization: string | undefined;
    if (known) {
      try {
        authorization = await this.authorization(image, ref, access, known, scope, false);
      } catch {
        // The challenge was learnt from an earlier answer (perhaps a proxy's 401 during an outage): a token
        // service that fails now must not block a registry that may no longer ask for one. Ask without, and
        // learn its challenge again from the next 401.
        this.challenges.delete(ref.registry);
      }
    }
    let res = await this.send(image, ref, access, url, method, authorization);
    if (res.status !== 401) return res;
    const challenge = parseChallenge(res.headers.get('www-authenticate'));
    if (!challenge) return res;
    this.challenges.set(ref.registry, challenge);
    authorization = await this.authorization(image, ref, access, challenge, scope, true);
    if (authorization === undefined) return res;
    await res.body?.cancel();
    res = await this.send(image, ref, access, url, method, authorization);
    return res;
  }

  private async send(
    image: string,
    ref: ImageReference,
    access: RegistryAccess,
    url: string,
    method: string,
    authorization: string | undefined,
  ): Promise<Response> {
    const headers: Record<string, string> = { accept: MANIFEST_ACCEPT };
    if (authorization) headers.authorization = authorization;
    try {
      const res = await fetch(url, {
        method,
        headers,
        dispatcher: this.dispatcher(access),
        signal: AbortSignal.timeout(this.options.timeoutMs),
        redirect: 'follow',
      });
      this.options.onRequest?.(ref.registry, res.status);
      return res;
    } catch (error) {
      this.options.onRequest?.(ref.registry, 'error');
      throw this.unreachable(image, ref, access, error);
    }
  }

  /** The Authorization header for a challenge; `undefined` when it cannot be met (no credentials for Basic). */
  private async authorization(
    image: string,
    ref: ImageReference,
    access: RegistryAccess,
    challenge: Challenge,
    scope: string,
    refused: boolean,
  ): Promise<string | undefined> {
    const creds = access.credentials;
    if (challenge.scheme === 'basic') {
      if (!creds) return undefined;
      return `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;
    }
    const realm = challenge.params.realm;
    if (!realm) return undefined;
    // keyed by a hash of the credentials: a changed password must not reuse the old one's token
    const who = creds
      ? createHash('sha256').update(`${creds.username}:${creds.password}`).digest('hex')
      : '';
    const key = `${ref.registry}\n${scope}\n${who}`;
    // a token the registry just refused may have been revoked: fetch a new one
    if (refused) this.tokens.forget(key);
    const cached = this.tokens.get(key);
    if (cached) return `Bearer ${cached}`;
    const tokenUrl = new URL(realm);
    if (challenge.params.service) tokenUrl.searchParams.set('service', challenge.params.service);
    tokenUrl.searchParams.set('scope', scope);
    const headers: Record<string, string> = {};
    if (creds)
      headers.authorization = `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;
    let res: Response;
    try {
      res = await fetch(tokenUrl, {
        headers,
        dispatcher: tokenUrl.protocol === 'https:' ? this.dispatcher(access) : undefined,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      this.options.onRequest?.(ref.registry, res.status);
    } catch (error) {
      this.options.onRequest?.(ref.registry, 'error');
      const problem = describeNetworkProblem(error, this.options.timeoutMs);
      throw new RegistryError(
        problem.tls ? 'tls' : 'unreachable',
        `cannot check ${image}: the token service ${tokenUrl.origin} of ${ref.registry} is unreachable ` +
          `(${problem.text})`,
      );
    }
    if (res.status === 401 || res.status === 403) {
      await res.body?.cancel();
      throw this.unauthorized(image, ref, access);
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new RegistryError(
        'other',
        `cannot check ${image}: the token service ${tokenUrl.origin} of ${ref.registry} answered HTTP ${res.status}`,
      );
    }
    const body = (await res.json().catch(() => ({}))) as {
      token?: unknown;
      access_token?: unknown;
      expires_in?: unknown;
    };
    const token = typeof body.token === 'string' ? body.token : body.access_token;
    if (typeof token !== 'string' || token === '')
      throw new RegistryError(
        'other',
        `cannot check ${image}: the token service ${tokenUrl.origin} of ${ref.registry} answered no token`,
      );
    this.tokens.set(key, token, typeof body.expires_in === 'number' ? body.expires_in : undefined);
    return `Bearer ${token}`;
  }

  private failUnlessOk(
    image: string,
    ref: ImageReference,
    access: RegistryAccess,
    res: Response,
  ): void {
    if (res.ok) return;
    void res.body?.cancel();
    if (res.status === 401 || res.status === 403) throw this.unauthorized(image, ref, access);
    throw new RegistryError(
      res.status === 429 || res.status >= 500 ? 'unreachable' : 'other',
      `cannot check ${image}: ${ref.registry} answered HTTP ${res.status} to the manifest request` +
        (res.status === 429 || res.status >= 500
          ? ' (the registry is overloaded or failing: check its health and logs; retrying with backoff)'
          : ''),
    );
  }

  private unauthorized(image: string, ref: ImageReference, access: RegistryAccess): RegistryError {
    return new RegistryError(
      'unauthorized',
      `${ref.registry} refused to show ${image}` +
        (access.credentials
          ? ': check that the imageRepoSecret holds credentials allowed to pull it'
          : ': set spec.moduleSpec.imageRepoSecret to a kubernetes.io/dockerconfigjson Secret in the controller namespace with credentials for it'),
    );
  }

  private unreachable(
    image: string,
    ref: ImageReference,
    access: RegistryAccess,
    error: unknown,
  ): RegistryError {
    const problem = describeNetworkProblem(error, this.options.timeoutMs);
    if (problem.tls)
      return new RegistryError(
        'tls',
        `cannot check ${image}: the TLS handshake with ${ref.registry} failed: ${problem.tls.fix}`,
      );
    return new RegistryError(
      'unreachable',
      `cannot check ${image}: ${ref.registry} is unreachable over ${access.insecure ? 'HTTP' : 'HTTPS'} ` +
        `(${problem.text}); check the registry address and that the hub can reach it` +
        (access.insecure ? '' : ', or set registryTLS.insecure for a plain-HTTP registry'),
    );
  }
}
