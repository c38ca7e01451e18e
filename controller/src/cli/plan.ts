import { Option, type Command } from 'commander';
import { stringify } from 'yaml';
import {
  CLUSTER_API_VERSION,
  MCM_API_VERSION,
  MCM_KIND,
  plan,
  planDocument,
  type ManagedCluster,
  type ManagedClusterModule,
} from '../model';
import { EXIT_INTERNAL, EXIT_OK, EXIT_PLAN_ERRORS, EXIT_USAGE } from './exit-codes';
import { InputError, readAll } from './plan-input';

interface PlanOptions {
  mcm: string[];
  clusters: string[];
  output: 'yaml' | 'json';
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** `plan`: print, offline, what a set of MCMs would roll out to a fleet. */
export function registerPlanCommand(program: Command): void {
  program
    .command('plan')
    .description(
      'print the ManifestWorks, images, skipped clusters and validation errors that ManagedClusterModules ' +
        'would produce for a fleet of ManagedClusters (offline: contacts no cluster and no registry). ' +
        'Exit status: 0 no errors, 1 validation errors (the document is still printed), ' +
        '2 unreadable or malformed input or bad flags.',
    )
    .requiredOption(
      '--mcm <file>',
      'ManagedClusterModule documents (YAML, multi-document YAML, JSON or a List); repeatable',
      collect,
    )
    .requiredOption(
      '--clusters <file>',
      'ManagedCluster documents with their status (same formats); repeatable',
      collect,
    )
    .addOption(
      new Option('--output <format>', 'output format').choices(['yaml', 'json']).default('yaml'),
    )
    .action((options: PlanOptions) => {
      process.exitCode = runPlan(options);
    });
}

function runPlan(options: PlanOptions): number {
  try {
    const mcms = readAll<ManagedClusterModule>(options.mcm, '--mcm', {
      apiVersion: MCM_API_VERSION,
      kind: MCM_KIND,
    });
    const clusters = readAll<ManagedCluster>(options.clusters, '--clusters', {
      apiVersion: CLUSTER_API_VERSION,
      kind: 'ManagedCluster',
    });
    const doc = planDocument(plan(mcms, clusters));
    process.stdout.write(
      options.output === 'json'
        ? `${JSON.stringify(doc, null, 2)}\n`
        : stringify(doc, { aliasDuplicateObjects: false, lineWidth: 0 }),
    );
    return doc.errors.length === 0 ? EXIT_OK : EXIT_PLAN_ERRORS;
  } catch (e) {
    if (e instanceof InputError) {
      process.stderr.write(`kmm-hub-controller plan: ${e.message}\n`);
      return EXIT_USAGE;
    }
    process.stderr.write(
      `kmm-hub-controller plan: internal error: ${(e as Error).stack ?? String(e)}\n`,
    );
    return EXIT_INTERNAL;
  }
}
