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

/** Every flag of the command as commander parses them: offline plan or, with --diff, the preview. */
export interface PlanFlags {
  mcm: string[];
  clusters?: string[];
  output?: 'text' | 'yaml' | 'json';
  diff?: boolean;
  kubeconfig?: string;
  maxChangedClusters?: string;
  requestTimeout: string;
  checkRegistry?: boolean;
  registryCaFile?: string;
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

  # impact preview: what applying an edited MCM would change on a live hub (read-only); exit 5 when
  # something changes, 6 when more than 10% of the fleet would
  kmm-hub-controller plan --diff --kubeconfig hub.kubeconfig --mcm gpu-driver.yaml --max-changed-clusters 10%
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
        '2 unreadable or malformed input or bad flags. ' +
        'With --diff (or --kubeconfig): read a live hub instead of --clusters and print only what applying the ' +
        'MCMs would change; exit 0 no change, 1 an MCM is invalid, 2 bad input or flags, 4 the hub could not be ' +
        'read, 5 changes, 6 changes past --max-changed-clusters.',
    )
    .requiredOption(
      '--mcm <file>',
      'ManagedClusterModule documents (YAML, multi-document YAML, JSON or a List); repeatable; ' +
        '- reads standard input',
      collect,
    )
    .option(
      '--clusters <file>',
      'ManagedCluster documents with their status (same formats); repeatable; - reads standard input ' +
        '(required without --diff)',
      collect,
    )
    .option(
      '--diff',
      "impact preview: compare with what is rolled out now on the hub (read-only: the hub's ManagedClusters, " +
        'and each MCM of the same name with its ManifestWorks)',
    )
    .option(
      '--kubeconfig <file>',
      'the hub to compare with (implies --diff; default: KUBECONFIG, the service account, ~/.kube/config)',
    )
    .option(
      '--max-changed-clusters <N|P%>',
      'with --diff: exit 6 when more than N clusters, or more than P% of the fleet, would change',
    )
    .option(
      '--check-registry',
      'with --diff: ask the registries (anonymously) whether images new to the hub exist, so the preview says ' +
        'which builds would start; without it they are reported as not checked',
    )
    .option(
      '--registry-ca-file <file>',
      'with --check-registry: extra CAs (PEM) trusted for registries',
    )
    .option(
      '--request-timeout <seconds>',
      'with --diff: how long reading the hub (and each registry connection) may take',
      '30',
    )
    .addOption(
      new Option(
        '-o, --output <format>',
        'output format (default: yaml; text with --diff, for people)',
      ).choices(['text', 'yaml', 'json']),
    )
    .addHelpText('after', EXAMPLES)
    .action(async (flags: PlanFlags) => {
      process.exitCode = await runPlanCommand(flags);
    });
}

/** Dispatches to the offline plan or the preview, refusing flags that belong to the other. */
export async function runPlanCommand(
  flags: PlanFlags,
  out: Output = processOutput,
): Promise<number> {
  const diff = flags.diff === true || flags.kubeconfig !== undefined;
  const refuse = (message: string) => {
    out.stderr(`kmm-hub-controller plan: ${message}\n`);
    return EXIT_USAGE;
  };
  if (diff) {
    if (flags.clusters)
      return refuse(
        "--clusters cannot be used with --diff: the preview reads the hub's ManagedClusters",
      );
    // loaded only for a preview: the Kubernetes client takes seconds to load, which the offline plan need not pay
    const { runPlanDiff } = await import('./plan-diff');
    return runPlanDiff(
      {
        mcm: flags.mcm,
        kubeconfig: flags.kubeconfig,
        output: flags.output ?? 'text',
        maxChangedClusters: flags.maxChangedClusters,
        requestTimeout: Number(flags.requestTimeout),
        checkRegistry: flags.checkRegistry,
        registryCaFile: flags.registryCaFile,
      },
      { ...out, summary: false },
    );
  }
  if (flags.maxChangedClusters !== undefined)
    return refuse('--max-changed-clusters needs --diff (it limits what a preview may change)');
  if (flags.checkRegistry || flags.registryCaFile !== undefined)
    return refuse(
      '--check-registry and --registry-ca-file need --diff (the offline plan asks no registry)',
    );
  if (!flags.clusters)
    return refuse(
      "required option '--clusters <file>' not specified (or --diff, to compare with a live hub)",
    );
  if (flags.output === 'text') return refuse('--output text needs --diff; use yaml or json');
  return runPlan({ mcm: flags.mcm, clusters: flags.clusters, output: flags.output ?? 'yaml' }, out);
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
