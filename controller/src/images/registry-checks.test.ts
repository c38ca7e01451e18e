import { KubeConfig } from '@kubernetes/client-node';
import pino from 'pino';
import type { ImageReference } from '../model/image';
import { RegistryChecks } from './registry-checks';
import type { ManifestAnswer, RegistryAccess, RegistryClient } from './registry/client';
import { RegistryError } from './registry/errors';

const DIGEST = `sha256:${'a'.repeat(64)}`;

/** A registry client that fails `failures` times, then finds the image; records when it was asked. */
function flakyClient(failures: number, kind: RegistryError['kind'] = 'unreachable') {
  const calls: number[] = [];
  const client = {
    async resolve(
      _image: string,
      _ref: ImageReference,
      _a: RegistryAccess,
    ): Promise<ManifestAnswer> {
      calls.push(Date.now());
      if (calls.length <= failures)
        throw new RegistryError(kind, `cannot check: failure ${calls.length}`);
      return { kind: 'found', digest: DIGEST };
    },
  } as unknown as RegistryClient;
  return { client, calls };
}

function checks(client: RegistryClient, onResult: (key: string) => void = () => undefined) {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: 'c', server: 'https://127.0.0.1:1' }],
    users: [{ name: 'u' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  return new RegistryChecks({
    client,
    kubeConfig,
    namespace: 'kmm-hub',
    logger: pino({ level: 'silent' }),
    concurrency: 2,
    recheckIntervalMs: 400,
    errorBackoffMs: 50,
    onResult,
  });
}

const until = async (what: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!what()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('RegistryChecks after registry errors', () => {
  it('retries with doubling delays up to the re-check interval, then recovers by itself', async () => {
    const { client, calls } = flakyClient(5);
    const c = checks(client);
    const key = c.ensure({ image: 'r.io/a/b:1' });
    try {
      await until(() => c.result(key)?.kind === 'found');
      expect(calls).toHaveLength(6);
      const gaps = calls.slice(1).map((t, i) => t - calls[i]!);
      // 50, 100, 200, 400 (capped), 400 ms: backoff, never a loop
      for (const [i, min] of [50, 100, 200, 400, 400].entries())
        expect(gaps[i]).toBeGreaterThanOrEqual(min - 5);
      expect(c.result(key)).toEqual({ kind: 'found', digest: DIGEST });
    } finally {
      c.stop();
    }
  });

  it('keeps the last digest seen through errors and reports each class with its reason', async () => {
    let fail: RegistryError | undefined;
    const client = {
      async resolve(): Promise<ManifestAnswer> {
        if (fail) throw fail;
        return { kind: 'found', digest: DIGEST };
      },
    } as unknown as RegistryClient;
    const c = checks(client);
    const key = c.ensure({ image: 'r.io/a/b:1' });
    try {
      await until(() => c.result(key)?.kind === 'found');
      for (const [kind, reason] of [
        ['tls', 'RegistryTLSFailed'],
        ['unauthorized', 'RegistryUnauthorized'],
        ['unreachable', 'RegistryUnreachable'],
      ] as const) {
        fail = new RegistryError(kind, `${kind} problem`);
        c.recheck(key);
        await until(() => c.result(key)?.kind === 'error');
        expect(c.result(key)).toEqual({ kind: 'error', reason, message: `${kind} problem` });
        expect(c.lastDigest(key)).toBe(DIGEST);
        fail = undefined;
        c.recheck(key);
        await until(() => c.result(key)?.kind === 'found');
      }
    } finally {
      c.stop();
    }
  });
});
