// kmm-hub-sandbox command line: `serve` starts the sandbox hub (API server + simulated ACM fleet), writes a
// kubeconfig, prints `ready <url>` on stdout (its only stdout line; logs go to stderr) and runs until
// SIGINT/SIGTERM. Exit status: 0 clean stop, 1 could not start, 2 bad flags (one-line message).

import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Command, CommanderError, Help, InvalidArgumentError, type Option } from 'commander';
import type * as SandboxModule from './index';
import type { Sandbox } from './index';
import { DEFAULT_STATUS_SYNC_INTERVAL_MS } from './fleet/defaults';
import {
  DEFAULT_BOOKMARK_INTERVAL_MS,
  DEFAULT_MIN_REQUEST_TIMEOUT_SECONDS,
} from './server/defaults';

const EXIT_START_FAILED = 1;
const EXIT_USAGE = 2;

const BANNER =
  'kmm-hub-sandbox: a TEST AND DEMO hub (in-memory API server and simulated ACM fleet), not a Kubernetes ' +
  'cluster; nothing it holds survives a restart.';

function integer(flag: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(
        max === Number.MAX_SAFE_INTEGER
          ? `${flag} must be a whole number >= ${min}.`
          : `${flag} must be a whole number from ${min} to ${max}.`,
      );
    }
    return n;
  };
}

interface ServeOptions {
  port: number;
  clusters: number;
  kubeconfig: string;
  seed: number;
  kernels?: number;
  statusSyncInterval: number;
  buildExecutor: boolean;
  buildDelay: number;
  installCrds?: boolean;
  withoutKmm?: boolean;
  policyInterval?: number;
  serviceAccountKubeconfig: { namespace: string; name: string; path: string }[];
  bookmarkInterval: number;
  minRequestTimeout: number;
}

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

async function serve(options: ServeOptions): Promise<void> {
  log(BANNER);
  // Signals are handled from the start: one that arrives while the fleet registers stops it as soon as it is up.
  const state: { signalled?: string; sandbox?: Sandbox } = {};
  /** `why`: what happened, e.g. "SIGTERM received" */
  const stop = (why: string): void => {
    // Stop once: a second Ctrl-C, or a signal plus the parent's exit, must not stop twice.
    if (state.signalled) return;
    state.signalled = why;
    const { sandbox } = state;
    if (!sandbox) {
      log(`kmm-hub-sandbox: ${why} while starting; stopping once started`);
      return;
    }
    log(`kmm-hub-sandbox: ${why}, stopping`);
    sandbox.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log(`kmm-hub-sandbox: error while stopping: ${(err as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT received'));
  process.on('SIGTERM', () => stop('SIGTERM received'));
  // npx (and npm scripts) run this process through `sh -c`, which passes no signal on: SIGTERM to npx's pid
  // ends npx and the shell but would leave this server running, holding its port. Stop when orphaned.
  if (process.env.npm_command) {
    const parent = process.ppid;
    setInterval(() => {
      if (process.ppid !== parent) stop(`parent process ${parent} (npm) exited`);
    }, 1000).unref();
  }

  let started: Sandbox;
  try {
    // Loaded here, not at the top, so flag errors and --help answer without loading the server. A
    // require, because the bin registers tsx for CommonJS only and import() would bypass it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const sandboxModule = require('./index') as typeof SandboxModule;
    const { startSandbox, defaultCrdFiles, installCrdFiles } = sandboxModule;
    started = await startSandbox({
      port: options.port,
      clusters: options.clusters,
      seed: options.seed,
      ...(options.kernels !== undefined ? { kernels: options.kernels } : {}),
      statusSyncIntervalMs: options.statusSyncInterval,
      bookmarkIntervalMs: options.bookmarkInterval,
      minRequestTimeoutSeconds: options.minRequestTimeout,
      log,
      buildExecutor: options.buildExecutor ? { delayMs: options.buildDelay } : false,
      ...(options.installCrds ? { crdFiles: [...defaultCrdFiles(), ...installCrdFiles()] } : {}),
      ...(options.withoutKmm ? { withoutKmm: true } : {}),
      ...(options.policyInterval !== undefined ? { policyIntervalMs: options.policyInterval } : {}),
    });
  } catch (err) {
    log(`kmm-hub-sandbox: cannot start: ${(err as Error).message}`);
    process.exit(EXIT_START_FAILED);
  }
  log(
    `kmm-hub-sandbox: ${options.clusters} clusters (seed ${options.seed}) registered in ` +
      `${Math.round(started.fleetStartMs)} ms; status sync every ${options.statusSyncInterval} ms`,
  );
  const kubeconfig = resolve(options.kubeconfig);
  try {
    await mkdir(dirname(kubeconfig), { recursive: true });
    await started.writeKubeconfig(kubeconfig);
  } catch (err) {
    log(`kmm-hub-sandbox: cannot write --kubeconfig ${kubeconfig}: ${(err as Error).message}`);
    await started.stop();
    process.exit(EXIT_START_FAILED);
  }
  log(`kmm-hub-sandbox: kubeconfig written to ${kubeconfig}`);
  for (const sa of options.serviceAccountKubeconfig) {
    const path = resolve(sa.path);
    try {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, started.server.serviceAccountToken(sa.namespace, sa.name).kubeconfig, {
        mode: 0o600,
      });
    } catch (err) {
      log(`kmm-hub-sandbox: cannot write ${path}: ${(err as Error).message}`);
      await started.stop();
      process.exit(EXIT_START_FAILED);
    }
    log(
      `kmm-hub-sandbox: kubeconfig of ServiceAccount ${sa.namespace}/${sa.name} (RBAC applies) written to ${path}`,
    );
  }
  state.sandbox = started;
  if (state.signalled) {
    const why = state.signalled;
    delete state.signalled;
    stop(why);
    return;
  }
  log(
    `kmm-hub-sandbox: serving ${started.url} (plain HTTP too: ${started.httpUrl}) as pid ` +
      `${process.pid}; stop it with SIGINT or SIGTERM`,
  );
  process.stdout.write(`ready ${started.url}\n`);
}

const VERSION = (
  JSON.parse(readFileSync(join(__dirname, '../package.json'), 'utf8')) as { version: string }
).version;

function buildProgram(): Command {
  const program = new Command('kmm-hub-sandbox')
    .description(
      'kmm-hub sandbox: a local test and demo hub (Kubernetes API server + simulated ACM fleet)',
    )
    .version(VERSION, '-V, --version', 'print the version')
    // commander lists a required option like any other: say which ones `serve` cannot start without.
    .configureHelp({
      optionDescription(this: Help, option: Option): string {
        const text = Help.prototype.optionDescription.call(this, option);
        return option.mandatory ? `${text} (required)` : text;
      },
    })
    .exitOverride()
    .showSuggestionAfterError(false);
  program
    .command('serve')
    .description(
      'start the API server on 127.0.0.1 with the upstream CRDs and a simulated fleet; write the kubeconfig ' +
        'once ready, print "ready <url>" on stdout, and run until SIGINT/SIGTERM',
    )
    .requiredOption(
      '--port <port>',
      'TCP port on 127.0.0.1; 0 picks a free one',
      integer('--port', 0, 65535),
    )
    .requiredOption('--clusters <n>', 'simulated clusters to register', integer('--clusters', 0))
    .requiredOption('--kubeconfig <path>', 'where to write the kubeconfig for the hub')
    .option(
      '--seed <n>',
      'fleet generation seed: the same seed gives the same fleet',
      integer('--seed', 0),
      1,
    )
    .option(
      '--kernels <n>',
      'exactly this many distinct node kernels in the fleet (default: each OpenShift release its own)',
      integer('--kernels', 2),
    )
    .option(
      '--status-sync-interval <ms>',
      'how often the simulated work agents report status feedback (OCM uses 10000)',
      integer('--status-sync-interval', 1),
      DEFAULT_STATUS_SYNC_INTERVAL_MS,
    )
    .option(
      '--no-build-executor',
      "do not simulate kmm-hub's build and sign Jobs (by default they finish after --build-delay and push an image)",
    )
    .option(
      '--build-delay <ms>',
      'how long a simulated build or sign Job runs',
      integer('--build-delay', 0),
      2000,
    )
    .option(
      '--install-crds',
      'also serve the CRDs the charts and the OLM bundle need (ConsolePlugin, ServiceMonitor, Policy, ' +
        'PlacementBinding, ClusterServiceVersion, cert-manager): `helm template charts/... | kubectl apply -f -`',
    )
    .option(
      '--service-account-kubeconfig <namespace/name=path>',
      'also write a kubeconfig whose token is the ServiceAccount namespace/name, authorized by the RBAC ' +
        'objects applied to the server (repeatable)',
      (value: string, previous: ServeOptions['serviceAccountKubeconfig']) => {
        const m = /^([a-z0-9][-a-z0-9]*)\/([a-z0-9][-a-z0-9.]*)=(.+)$/.exec(value);
        if (!m) {
          throw new InvalidArgumentError(
            'expected <namespace>/<serviceaccount>=<kubeconfig path>, e.g. kmm-hub/kmm-hub=/tmp/sa.kubeconfig',
          );
        }
        return [...previous, { namespace: m[1]!, name: m[2]!, path: m[3]! }];
      },
      [] as ServeOptions['serviceAccountKubeconfig'],
    )
    .option(
      '--without-kmm',
      'no simulated cluster runs KMM until a spoke install Policy installs it',
    )
    .option(
      '--policy-interval <ms>',
      'evaluate ACM Policies this often: an enforced KMM install Policy installs KMM on the clusters it is ' +
        'placed on (needs --install-crds)',
      integer('--policy-interval', 1),
    )
    .option(
      '--bookmark-interval <ms>',
      'how often a watch that allows bookmarks gets one (kube-apiserver: about every minute)',
      integer('--bookmark-interval', 1),
      DEFAULT_BOOKMARK_INTERVAL_MS,
    )
    .option(
      '--min-request-timeout <seconds>',
      "as kube-apiserver's flag: a watch without timeoutSeconds is closed after 1x to 2x this",
      integer('--min-request-timeout', 1),
      DEFAULT_MIN_REQUEST_TIMEOUT_SECONDS,
    )
    .action(serve);
  return program;
}

async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      process.exitCode = e.exitCode === 0 ? 0 : EXIT_USAGE;
      return;
    }
    throw e;
  }
}

void main(process.argv);
