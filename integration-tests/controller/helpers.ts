import { KubeConfig } from '@kubernetes/client-node';
import pino from 'pino';
import type { Logger } from '../../controller/src/logging';

/** A logger for tests: silent unless KMM_TEST_LOG=debug (or another level) is set. */
export function testLogger(): Logger {
  return pino({ level: process.env.KMM_TEST_LOG ?? 'silent' });
}

export function kubeConfigFrom(yaml: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromString(yaml);
  return kc;
}

/**
 * Polls `check` every `intervalMs` until it returns a value other than undefined/false, or fails after
 * `timeoutMs` with the description and the last value seen.
 */
export async function waitFor<T>(
  description: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  { timeoutMs = 20_000, intervalMs = 20 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
      last = value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${description} (last: ${String(last)})`,
      );
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
