/**
 * `npm start`: runs kmm-hub.
 * - With KUBECONFIG set: the hub controller against that cluster (`kmm-hub-controller run`) and the plugin
 *   served for a real console; first it says which server and context that is.
 * - Without: a local demo hub: the sandbox API server with a simulated fleet (`kmm-hub-sandbox serve`), its
 *   kubeconfig written to `.sandbox/kubeconfig`, the controller's namespace created, the demo MCMs of
 *   `sandbox/demo/` applied (unless --no-demo), and the controller running against it. With Debian's
 *   docker-registry installed, a local registry on 127.0.0.1 holds the demo images (prebuilt ones pushed here,
 *   the rest built and signed by the sandbox's simulated build executor); without it the controller runs with
 *   --image-checks false.
 * Both run as child processes with their own logs on stderr; Ctrl-C stops everything.
 * The console parts (the shell on :9000, or the plugin on :9001 for a real console) are in start-shell.ts.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CoreV1Api, KubernetesObjectApi, type KubernetesObject } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { loadKubeConfig } from 'kmm-hub-controller/runtime';
import { buildConsoleAssets, servePluginForConsole, startShell } from './start-shell';
import { dockerRegistryInstalled, startDockerRegistry } from './docker-registry';
import { seedDemoRegistry } from './demo-registry';

const ROOT = resolve(__dirname, '..');
const BIN = join(ROOT, 'node_modules/.bin');
const DEMO_MCMS = join(ROOT, 'sandbox/demo/managedclustermodules.yaml');
const DEMO_BUILD_INPUTS = join(ROOT, 'sandbox/demo/build-inputs.yaml');
const DEMO_PREFLIGHT = join(ROOT, 'sandbox/demo/kernelpreflight.yaml');
const CONTROLLER_NAMESPACE = 'kmm-hub';

const USAGE = `usage: npm start [-- --clusters <n>] [--port <port>] [--seed <n>] [--kubeconfig <path>]
                 [--http-address <host:port>] [--no-demo] [--shell-port <port>] [--plugin-port <port>]
  with KUBECONFIG set, runs the controller against it and serves the plugin for a console on --plugin-port
  (only --http-address and --plugin-port apply); otherwise starts the local sandbox hub and the console shell`;

/** The flags that configure the local sandbox hub, which npm start does not start when KUBECONFIG is set. */
const SANDBOX_FLAGS = ['clusters', 'port', 'seed', 'kubeconfig', 'no-demo', 'shell-port'] as const;

function run(name: string, args: string[]): ChildProcess {
  return spawn(join(BIN, name), args, {
    stdio: ['ignore', 'pipe', 'inherit'],
    // the bins run `env node`: the project's Node 24 first
    env: { ...process.env, PATH: `${BIN}${delimiter}${process.env.PATH ?? ''}` },
  });
}

function waitForReady(sandbox: ChildProcess): Promise<string> {
  return new Promise((resolveUrl, reject) => {
    let out = '';
    sandbox.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /^ready (\S+)$/m.exec(out);
      if (m) resolveUrl(m[1] as string);
    });
    sandbox.once('exit', (code) => reject(new Error(`kmm-hub-sandbox exited with ${code}`)));
  });
}

/** `registry`: the local registry's host, which the demo images are moved to. */
async function prepareHub(
  kubeconfigPath: string,
  applyDemo: boolean,
  registry: string | undefined,
): Promise<void> {
  const kc = loadKubeConfig(kubeconfigPath);
  try {
    await kc
      .makeApiClient(CoreV1Api)
      .createNamespace({ body: { metadata: { name: CONTROLLER_NAMESPACE } } });
    if (!applyDemo) return;
    const objects = KubernetesObjectApi.makeApiClient(kc);
    if (registry) await seedDemoRegistry(kc, registry);
    let text = [DEMO_BUILD_INPUTS, DEMO_MCMS, DEMO_PREFLIGHT]
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n---\n');
    if (registry) text = text.replaceAll('quay.io/demo/', `${registry}/demo/`);
    for (const doc of parseAllDocuments(text)) {
      const object = doc.toJS() as KubernetesObject | null;
      if (!object) continue;
      const container = (
        object as { spec?: { moduleSpec?: { moduleLoader?: { container?: object } } } }
      ).spec?.moduleSpec?.moduleLoader?.container;
      // the local registry speaks plain HTTP
      if (registry && container) Object.assign(container, { registryTLS: { insecure: true } });
      await objects.create(object);
    }
    process.stderr.write(
      `npm start: applied ${DEMO_BUILD_INPUTS}, ${DEMO_MCMS} and ${DEMO_PREFLIGHT}\n`,
    );
  } finally {
    await kc.close();
  }
}

/**
 * Says which cluster the controller is about to act on, before it starts writing there: with several
 * kubeconfigs around, the current context is easy to get wrong. Loaded as the controller loads it.
 */
function describeTarget(kubeconfig: string): string {
  const kc = loadKubeConfig(kubeconfig);
  // Nothing was requested through it: closing frees nothing but keeps the pool's contract.
  void kc.close();
  return (
    `npm start: KUBECONFIG is set: running the controller against ${kc.getCurrentCluster()?.server} ` +
    `(context ${kc.getCurrentContext()}; KUBECONFIG=${kubeconfig})`
  );
}

async function main(): Promise<void> {
  const { values, tokens } = parseArgs({
    tokens: true,
    options: {
      clusters: { type: 'string', default: '50' },
      port: { type: 'string', default: '0' },
      seed: { type: 'string', default: '1' },
      kubeconfig: { type: 'string', default: join(ROOT, '.sandbox/kubeconfig') },
      'http-address': { type: 'string', default: '127.0.0.1:8081' },
      'no-demo': { type: 'boolean', default: false },
      'shell-port': { type: 'string', default: '9000' },
      'plugin-port': { type: 'string', default: '9001' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }

  const children: ChildProcess[] = [];
  let stopping = false;
  const stopAll = (): void => {
    stopping = true;
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
  };
  process.on('SIGINT', stopAll);
  process.on('SIGTERM', stopAll);

  if (process.env.KUBECONFIG) {
    const given = new Set(tokens.flatMap((t) => (t.kind === 'option' ? [t.name] : [])));
    const ignored = SANDBOX_FLAGS.filter((f) => given.has(f)).map((f) => `--${f}`);
    if (ignored.length > 0) {
      process.stderr.write(
        `npm start: ${ignored.join(', ')} configure the local sandbox hub, which npm start does not start ` +
          'when KUBECONFIG is set; unset KUBECONFIG to use the sandbox, or leave them out\n',
      );
      process.exit(2);
    }
    process.stderr.write(`${describeTarget(process.env.KUBECONFIG)}\n`);
    const controller = run('kmm-hub-controller', ['run', '--http-address', values['http-address']]);
    controller.stdout?.pipe(process.stdout);
    children.push(controller);
    controller.on('exit', (code) => process.exit(code ?? 1));
    const plugin = await servePluginForConsole(Number(values['plugin-port']));
    process.stderr.write(
      `npm start: the console plugin is served at ${plugin.url} (CORS open) for a console started with\n` +
        `  BRIDGE_PLUGINS=kmm-hub-console-plugin=${plugin.url}  (README: "A real console")\n`,
    );
    return;
  }

  const consoleAssets = buildConsoleAssets();

  const kubeconfig = resolve(values.kubeconfig);
  const sandbox = run('kmm-hub-sandbox', [
    'serve',
    '--port',
    values.port,
    '--clusters',
    values.clusters,
    '--seed',
    values.seed,
    '--status-sync-interval',
    '2000',
    '--kubeconfig',
    kubeconfig,
  ]);
  children.push(sandbox);
  const url = await waitForReady(sandbox);
  let registry: Awaited<ReturnType<typeof startDockerRegistry>> | undefined;
  const registryDir = mkdtempSync(join(tmpdir(), 'kmm-hub-demo-registry-'));
  process.on('exit', () => rmSync(registryDir, { recursive: true, force: true }));
  if (dockerRegistryInstalled()) {
    registry = await startDockerRegistry(registryDir);
    process.stderr.write(`npm start: demo image registry at http://${registry.host}\n`);
  } else {
    process.stderr.write(
      'npm start: docker-registry is not installed (apt-get install docker-registry): running without ' +
        'registry checks or hub builds; images are taken to exist with their tags\n',
    );
  }
  await prepareHub(kubeconfig, !values['no-demo'], registry?.host);
  const controller = run('kmm-hub-controller', [
    'run',
    '--kubeconfig',
    kubeconfig,
    '--http-address',
    values['http-address'],
    ...(registry ? [] : ['--image-checks', 'false']),
  ]);
  controller.stdout?.pipe(process.stdout);
  children.push(controller);
  await consoleAssets;
  const shell = await startShell(kubeconfig, Number(values['shell-port']));
  process.stderr.write(
    [
      '',
      `npm start: sandbox hub at ${url} with ${values.clusters} simulated clusters; controller running.`,
      `  export KUBECONFIG=${kubeconfig}`,
      '  kubectl get managedclusters            # the simulated fleet',
      '  kubectl get mcm                        # ManagedClusterModules with selected/applied/degraded',
      '  kubectl get manifestworks -A           # what the controller rolled out',
      `Console shell (the plugin as OpenShift console loads it): ${shell.url}`,
      'Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
  // Either child ending ends the demo; a clean stop of both (exit 0, or the SIGTERM we sent) exits 0.
  let failed = false;
  for (const [name, c] of [
    ['kmm-hub-sandbox', sandbox],
    ['kmm-hub-controller', controller],
  ] as const) {
    c.on('exit', (code, signal) => {
      if (code !== 0 && !(stopping && signal === 'SIGTERM')) failed = true;
      process.stderr.write(`npm start: ${name} exited (${signal ?? `code ${code}`})\n`);
      stopAll();
      void registry?.stop();
      if (children.every((child) => child.exitCode !== null || child.signalCode !== null)) {
        process.exit(failed ? 1 : 0);
      }
    });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`npm start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
