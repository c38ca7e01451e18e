import { Option, type Command } from 'commander';
import { dump } from 'js-yaml';
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

export interface PlanOptions {
  mcm: string[];
  clusters: string[];
  output: 'yaml' | 'json';
}

/** Where the command writes: the process streams, or a test's buffers. */
export interface Output {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const processOutput: Output = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

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

/** Reads the files, plans, prints; returns the exit status. */
export function runPlan(options: PlanOptions, out: Output = processOutput): number {
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
    out.stdout(
      options.output === 'json'
        ? `${JSON.stringify(doc, null, 2)}\n`
        : dump(doc, { noRefs: true, lineWidth: -1 }),
    );
    return doc.errors.length === 0 ? EXIT_OK : EXIT_PLAN_ERRORS;
  } catch (e) {
    if (e instanceof InputError) {
      out.stderr(`kmm-hub-controller plan: ${e.message}\n`);
      return EXIT_USAGE;
    }
    out.stderr(`kmm-hub-controller plan: internal error: ${(e as Error).stack ?? String(e)}\n`);
    return EXIT_INTERNAL;
  }
}
