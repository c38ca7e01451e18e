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
import { InputError, readAll, STDIN } from './plan-input';

export interface PlanOptions {
  mcm: string[];
  clusters: string[];
  output: 'yaml' | 'json';
}

/** Where the command writes: the process streams, or a test's buffers. */
export interface Output {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /**
   * Whether to end with a one-line summary on stderr. The process does when its stdout is not a terminal:
   * someone who redirects 50 MB of YAML to a file or a pipe still sees what it holds.
   */
  summary?: boolean;
}

const processOutput: Output = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  summary: !process.stdout.isTTY,
};

const EXAMPLES = `
Examples:
  # the repository's examples: two MCMs and a fleet of ManagedClusters
  kmm-hub-controller plan --mcm controller/examples/mcm-gpu-driver.yaml \\
    --mcm controller/examples/mcm-device-plugin.yaml --clusters controller/examples/fleet.yaml

  # a hub's live fleet, the MCM read from standard input, JSON out
  oc get managedclusters -o yaml > fleet.yaml
  cat gpu-driver.yaml | kmm-hub-controller plan --mcm - --clusters fleet.yaml --output json
`;

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
      'ManagedClusterModule documents (YAML, multi-document YAML, JSON or a List); repeatable; ' +
        '- reads standard input',
      collect,
    )
    .requiredOption(
      '--clusters <file>',
      'ManagedCluster documents with their status (same formats); repeatable; - reads standard input',
      collect,
    )
    .addOption(
      new Option('--output <format>', 'output format').choices(['yaml', 'json']).default('yaml'),
    )
    .addHelpText('after', EXAMPLES)
    .action((options: PlanOptions) => {
      process.exitCode = runPlan(options);
    });
}

/** Reads the files, plans, prints; returns the exit status. */
export function runPlan(options: PlanOptions, out: Output = processOutput): number {
  try {
    if ([...options.mcm, ...options.clusters].filter((f) => f === STDIN).length > 1) {
      throw new InputError(
        'standard input (-) can be read once: give - to one --mcm or --clusters',
      );
    }
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
    if (out.summary) {
      const n = (count: number, what: string) => `${count} ${what}${count === 1 ? '' : 's'}`;
      out.stderr(
        `kmm-hub-controller plan: ${n(mcms.length, 'MCM')}, ${n(clusters.length, 'cluster')}, ` +
          `${n(doc.manifestWorks.length, 'ManifestWork')}, ${n(doc.images.length, 'image')}, ` +
          `${doc.skipped.length} skipped, ${n(doc.errors.length, 'error')}\n`,
      );
    }
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
