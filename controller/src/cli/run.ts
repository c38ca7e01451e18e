import type { Command } from 'commander';
import type { Controller } from '../controller';
import type { PooledKubeConfig } from '../kube/pooled-kubeconfig';
import type { WebhookServer } from '../webhook/server';
import { sizeHeapFromCgroup } from '../heap/size-heap';
import { EXIT_USAGE } from './exit-codes';
import { runOptions, toConfig, type RunOptions } from './run-options';

/**
 * `kmm-hub-controller run` (also the default command): runs the hub controller until SIGTERM or SIGINT, then
 * stops gracefully (reconciles in hand finish, the Lease is released, informers and the HTTP server close) and
 * exits 0. A configuration error exits 2 with one line on stderr; a failure to start exits 1.
 */
export function registerRunCommand(program: Command): void {
  // command() (not addCommand) so that run inherits the program's exitOverride: a bad flag exits 2.
  const cmd = program
    .command('run', { isDefault: true })
    .description(
      'run the hub controller (the default command): ManagedClusterModules to ManifestWorks across the fleet. ' +
        'Every flag can also be set through the environment variable named in its description ' +
        '(`kmm-hub-controller run --help` lists them all, with their defaults).',
    )
    .showHelpAfterError(
      '(run with --help for every flag, its environment variable and its default)',
    );
  for (const o of runOptions()) cmd.addOption(o);
  cmd.action(async (opts: RunOptions) => {
    let config;
    try {
      config = toConfig(opts);
      // Before anything big is loaded: the process may replace itself with a sized heap.
      sizeHeapFromCgroup();
    } catch (error) {
      process.stderr.write(
        `kmm-hub-controller run: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      process.exit(EXIT_USAGE);
    }
    // Loaded only when run runs: the Kubernetes client takes seconds to load, which `plan` and --help need not pay.
    const [{ Controller }, { loadKubeConfig }, { createLogger }] = await Promise.all([
      import('../controller'),
      import('../kube/kubeconfig'),
      import('../logging'),
    ]);
    const logger = createLogger(config.logLevel);
    let controller: Controller;
    let kubeConfig: PooledKubeConfig;
    let webhook: WebhookServer | undefined;
    try {
      kubeConfig = loadKubeConfig(config.kubeconfig);
      logger.info(
        {
          server: kubeConfig.getCurrentCluster()?.server,
          namespace: config.namespace,
          identity: config.leaderElection.identity,
          leaderElection: config.leaderElection.enabled,
        },
        'starting kmm-hub-controller',
      );
      controller = await Controller.start({ config, kubeConfig, logger });
      // Every replica serves the webhook, leader or not: the Service spreads the API server's calls.
      if (opts.webhookAddress) {
        const { startWebhookServer } = await import('../webhook/server');
        webhook = await startWebhookServer({
          ...opts.webhookAddress,
          certDir: opts.webhookCertDir,
          logger,
        });
      }
    } catch (error) {
      logger.fatal({ err: error }, 'could not start');
      logger.flush();
      process.stderr.write(
        `kmm-hub-controller run: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      process.exit(1);
    }
    await new Promise<void>((resolve) => {
      const onSignal = (signal: NodeJS.Signals): void => {
        logger.info({ signal }, 'signal received');
        process.off('SIGTERM', onSignal);
        process.off('SIGINT', onSignal);
        resolve();
      };
      process.on('SIGTERM', onSignal);
      process.on('SIGINT', onSignal);
    });
    await webhook?.close();
    await controller.stop();
    await kubeConfig.close();
    logger.flush();
    // Keep-alive sockets of the HTTP client may hold the event loop for a while; the work is done.
    process.exit(0);
  });
}
