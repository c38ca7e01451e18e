// Shared by the integration tests: logging, kubeconfigs, polling, and the project's command-line programs.
import { spawn, type ChildProcess } from 'node:child_process';
import { delimiter, join } from 'node:path';
import { createInterface } from 'node:readline';
import { KubeConfig } from '@kubernetes/client-node';
import pino from 'pino';
import type { Logger } from 'kmm-hub-controller';
import { REPO_ROOT } from '../scripts/tools';

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

const BIN = join(REPO_ROOT, 'node_modules/.bin');

export interface Proc {
  child: ChildProcess;
  /** Its stdout and stderr lines so far, as they come. */
  lines: string[];
  exited: Promise<number | null>;
}

/**
 * Starts a program of `node_modules/.bin` from the repository root, with this process's environment plus `env`
 * (an undefined value removes a variable).
 */
export function startBin(name: string, args: string[], env: NodeJS.ProcessEnv = {}): Proc {
  // The bins run `env node`: the project's Node 24 must come first on PATH (npm run and npx do that too).
  const child = spawn(join(BIN, name), args, {
    cwd: REPO_ROOT,
    env: { ...process.env, PATH: `${BIN}${delimiter}${process.env.PATH ?? ''}`, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (l) => lines.push(l));
  createInterface({ input: child.stderr! }).on('line', (l) => lines.push(l));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, lines, exited };
}
