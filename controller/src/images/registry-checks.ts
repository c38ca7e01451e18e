import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { apiFailure, isNotFound } from '../kube/api-errors';
import type { Logger } from '../logging';
import { parseImageReference, type ImageReference } from '../model/image';
import { exponentialDelay } from '../queue/backoff';
import type { RegistryClient } from './registry/client';
import { credentialsFor, type RegistryCredentials } from './registry/docker-config';
import { RegistryError, type RegistryErrorKind } from './registry/errors';

/** What is known of one image in its registry. */
export type CheckResult =
  | { kind: 'found'; digest: string }
  | { kind: 'missing' }
  | { kind: 'error'; reason: string; message: string };

/** How one image is reached: its reference, registryTLS and the MCM's imageRepoSecret. */
export interface CheckTarget {
  image: string;
  insecure?: boolean;
  insecureSkipTLSVerify?: boolean;
  pullSecret?: string;
}

interface Check {
  target: CheckTarget;
  result?: CheckResult;
  /** the last digest seen: kept through registry errors so nothing rolled out is withdrawn or unpinned */
  lastDigest?: string;
  running: boolean;
  /** a check was asked for while one ran: run again once it ends */
  again: boolean;
  timer?: NodeJS.Timeout;
  failures: number;
}

export interface RegistryChecksOptions {
  client: RegistryClient;
  kubeConfig: KubeConfig;
  /** where imageRepoSecrets live: the controller's namespace */
  namespace: string;
  logger: Logger;
  concurrency: number;
  recheckIntervalMs: number;
  /** the first retry after a registry error; doubled per failure up to recheckIntervalMs */
  errorBackoffMs?: number;
  onResult: (key: string) => void;
}

/** The image status reason of each registry error class. */
const REASONS: Record<RegistryErrorKind, string> = {
  unauthorized: 'RegistryUnauthorized',
  unreachable: 'RegistryUnreachable',
  tls: 'RegistryTLSFailed',
  other: 'RegistryError',
};

export const checkKey = (t: CheckTarget): string =>
  `${t.image}\n${t.insecure ? 'http' : 'https'}\n${t.insecureSkipTLSVerify ? 'skip' : 'verify'}\n${t.pullSecret ?? ''}`;

/**
 * Every distinct image the fleet needs, checked once for all of it (not once per cluster or MCM), with at
 * most `concurrency` checks in flight, each re-checked after `recheckIntervalMs` (sooner, with backoff, after
 * an error) and at once when asked (after a Job pushed it). Results are read synchronously; a changed result
 * is announced through `onResult`.
 */
export class RegistryChecks {
  private readonly checks = new Map<string, Check>();
  private readonly pending: string[] = [];
  private running = 0;
  private stopped = false;
  private readonly core: CoreV1Api;

  constructor(private readonly options: RegistryChecksOptions) {
    this.core = options.kubeConfig.makeApiClient(CoreV1Api);
  }

  /** Starts checking a target (once); returns its key. */
  ensure(target: CheckTarget): string {
    const key = checkKey(target);
    if (!this.checks.has(key)) {
      this.checks.set(key, { target, running: false, again: false, failures: 0 });
      this.enqueue(key);
    }
    return key;
  }

  result(key: string): CheckResult | undefined {
    return this.checks.get(key)?.result;
  }

  lastDigest(key: string): string | undefined {
    return this.checks.get(key)?.lastDigest;
  }

  /** Checks again now (a Job just pushed the image). */
  recheck(key: string): void {
    const c = this.checks.get(key);
    if (!c) return;
    if (c.running) c.again = true;
    else {
      clearTimeout(c.timer);
      this.enqueue(key);
    }
  }

  /** Drops the targets no one needs any more. */
  retain(keys: ReadonlySet<string>): void {
    for (const [key, c] of this.checks) {
      if (keys.has(key)) continue;
      clearTimeout(c.timer);
      this.checks.delete(key);
    }
  }

  get size(): number {
    return this.checks.size;
  }

  stop(): void {
    this.stopped = true;
    for (const c of this.checks.values()) clearTimeout(c.timer);
  }

  private enqueue(key: string): void {
    if (this.stopped || this.pending.includes(key)) return;
    this.pending.push(key);
    this.pump();
  }

  private pump(): void {
    while (!this.stopped && this.running < this.options.concurrency && this.pending.length > 0) {
      const key = this.pending.shift()!;
      const c = this.checks.get(key);
      if (!c || c.running) continue;
      this.running++;
      c.running = true;
      void this.run(key, c).finally(() => {
        this.running--;
        c.running = false;
        if (c.again && this.checks.get(key) === c) {
          c.again = false;
          this.enqueue(key);
        }
        this.pump();
      });
    }
  }

  private async run(key: string, c: Check): Promise<void> {
    const result = await this.check(c.target);
    if (this.stopped || this.checks.get(key) !== c) return;
    const before = c.result;
    c.result = result;
    if (result.kind === 'found') c.lastDigest = result.digest;
    if (result.kind === 'missing') c.lastDigest = undefined;
    const { recheckIntervalMs, errorBackoffMs = 1000 } = this.options;
    const delay =
      result.kind === 'error'
        ? exponentialDelay(errorBackoffMs, recheckIntervalMs, c.failures++)
        : ((c.failures = 0), recheckIntervalMs);
    if (result.kind === 'error')
      this.options.logger.warn({ image: c.target.image, retryInMs: delay }, result.message);
    c.timer = setTimeout(() => this.enqueue(key), delay);
    c.timer.unref();
    if (JSON.stringify(before) !== JSON.stringify(result)) this.options.onResult(key);
  }

  private async check(target: CheckTarget): Promise<CheckResult> {
    const ref = parseImageReference(target.image);
    if ('error' in ref)
      return {
        kind: 'error',
        reason: 'InvalidImage',
        message: `${ref.error}: fix the kernel mapping's containerImage`,
      };
    let credentials: RegistryCredentials | undefined;
    if (target.pullSecret) {
      const found = await this.credentials(target.pullSecret, ref);
      if ('error' in found) return found.error;
      credentials = found.credentials;
    }
    try {
      return await this.options.client.resolve(target.image, ref, {
        insecure: target.insecure,
        insecureSkipTLSVerify: target.insecureSkipTLSVerify,
        credentials,
      });
    } catch (error) {
      if (error instanceof RegistryError)
        return {
          kind: 'error',
          reason: REASONS[error.kind],
          message: error.message,
        };
      return {
        kind: 'error',
        reason: 'RegistryError',
        message: `cannot check ${target.image}: ${String(error)}`,
      };
    }
  }

  /** The imageRepoSecret's credentials for the image's registry, read when needed and never kept. */
  private async credentials(
    name: string,
    ref: ImageReference,
  ): Promise<{ credentials?: RegistryCredentials } | { error: CheckResult }> {
    const { namespace } = this.options;
    const fail = (reason: string, message: string) => ({
      error: { kind: 'error' as const, reason, message },
    });
    try {
      const secret = await this.core.readNamespacedSecret({ name, namespace });
      if (secret.type !== 'kubernetes.io/dockerconfigjson')
        return fail(
          'ImageRepoSecretInvalid',
          `imageRepoSecret ${namespace}/${name} is of type ${secret.type ?? '(none)'}: it must be ` +
            'kubernetes.io/dockerconfigjson (kubectl create secret docker-registry)',
        );
      const data = secret.data?.['.dockerconfigjson'];
      if (!data)
        return fail(
          'ImageRepoSecretInvalid',
          `imageRepoSecret ${namespace}/${name} has no .dockerconfigjson key`,
        );
      const credentials = credentialsFor(
        Buffer.from(data, 'base64').toString('utf8'),
        ref.registry,
        `${namespace}/${name}`,
      );
      return credentials ? { credentials } : {};
    } catch (error) {
      if (isNotFound(error))
        return fail(
          'ImageRepoSecretMissing',
          `imageRepoSecret ${name} does not exist in the controller namespace ${namespace}: create it there ` +
            '(kubectl create secret docker-registry) or fix spec.moduleSpec.imageRepoSecret',
        );
      if (error instanceof Error && error.message.startsWith('Secret '))
        return fail('ImageRepoSecretInvalid', error.message);
      return fail(
        'ImageRepoSecretUnreadable',
        `cannot read imageRepoSecret ${namespace}/${name}: ${apiFailure(error).message}`,
      );
    }
  }
}
