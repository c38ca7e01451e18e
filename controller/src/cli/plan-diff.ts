import { dump } from 'js-yaml';
import { loadKubeConfig } from '../kube/kubeconfig';
import type { PooledKubeConfig } from '../kube/pooled-kubeconfig';
import {
  MCM_API_VERSION,
  MCM_KIND,
  parseChangeLimit,
  planDiffDocument,
  previewMcm,
  type ManagedClusterModule,
  type PlanDiffDocument,
  type PreviewResult,
  type RegistryAnswer,
} from '../model';
import {
  EXIT_CHANGES,
  EXIT_CHANGES_OVER_LIMIT,
  EXIT_HUB,
  EXIT_INTERNAL,
  EXIT_OK,
  EXIT_PLAN_ERRORS,
  EXIT_USAGE,
} from './exit-codes';
import { HubError, HubReader } from './hub-read';
import { InputError, readAll, STDIN } from './plan-input';
import { planDiffText } from './plan-diff-text';
import { RegistryCheck } from './registry-check';
import type { Output } from './plan';

export interface PlanDiffOptions {
  mcm: string[];
  kubeconfig?: string;
  output: 'text' | 'yaml' | 'json';
  maxChangedClusters?: string;
  /** seconds the whole read of the hub may take */
  requestTimeout: number;
  /** ask the registries (anonymously) about images new to the hub */
  checkRegistry?: boolean;
  /** PEM file of extra CAs trusted for registries */
  registryCaFile?: string;
}

const PREFIX = 'kmm-hub-controller plan --diff';

/**
 * Reads the edited MCMs and the hub (read-only), prints what applying them would change; returns the exit
 * status: 0 no change, 1 an edited MCM is invalid, 2 bad input or flags, 4 the hub could not be read,
 * 5 changes, 6 changes past --max-changed-clusters.
 */
export async function runPlanDiff(
  options: PlanDiffOptions,
  out: Output,
  connect: (kubeconfig: string | undefined) => PooledKubeConfig = loadKubeConfig,
): Promise<number> {
  let kubeConfig: PooledKubeConfig | undefined;
  try {
    const limitText = options.maxChangedClusters;
    const limit = limitText === undefined ? undefined : parseChangeLimit(limitText);
    if (limitText !== undefined && !limit)
      throw new InputError(
        `--max-changed-clusters ${limitText}: give a number of clusters (10) or a percentage of the fleet (5%)`,
      );
    if (!(options.requestTimeout > 0))
      throw new InputError('--request-timeout: give a number of seconds greater than 0');
    if (options.mcm.filter((f) => f === STDIN).length > 1)
      throw new InputError('standard input (-) can be read once: give - to one --mcm');
    const mcms = readAll<ManagedClusterModule>(options.mcm, '--mcm', {
      apiVersion: MCM_API_VERSION,
      kind: MCM_KIND,
    });
    try {
      kubeConfig = connect(options.kubeconfig);
    } catch (e) {
      throw new InputError((e as Error).message);
    }
    const hub = new HubReader(kubeConfig);
    const server = kubeConfig.getCurrentCluster()?.server ?? '(no server)';
    const [schema, clusters, live] = await withTimeout(
      Promise.all([
        hub.mcmSchema(),
        hub.clusters(),
        Promise.all(mcms.map((m) => hub.mcm(m.metadata.name ?? ''))),
      ]),
      options.requestTimeout,
      `the hub at ${server} did not answer within ${options.requestTimeout} s (--request-timeout)`,
    );
    const preview = (i: number, registry?: Map<string, RegistryAnswer>) =>
      previewMcm({
        edited: mcms[i]!,
        live: live[i]!.live,
        currentWorks: live[i]!.works,
        clusters,
        schema,
        registry,
      });
    let results = mcms.map((_, i) => preview(i));
    if (options.checkRegistry) results = await withRegistry(results, preview, options);
    const doc = planDiffDocument(
      results,
      clusters.length,
      limit && limitText !== undefined ? { text: limitText, limit } : undefined,
    );
    out.stdout(render(doc, options.output));
    if (doc.errors.length > 0) return EXIT_PLAN_ERRORS;
    if (doc.limit?.exceeded) return EXIT_CHANGES_OVER_LIMIT;
    return doc.changed ? EXIT_CHANGES : EXIT_OK;
  } catch (e) {
    if (e instanceof InputError) {
      out.stderr(`${PREFIX}: ${e.message}\n`);
      return EXIT_USAGE;
    }
    if (e instanceof HubError) {
      out.stderr(`${PREFIX}: ${e.message}\n`);
      return EXIT_HUB;
    }
    out.stderr(`${PREFIX}: internal error: ${(e as Error).stack ?? String(e)}\n`);
    return EXIT_INTERNAL;
  } finally {
    await kubeConfig?.close();
  }
}

/** The previews again, with the registries' answers for the images nobody had answered for. */
async function withRegistry(
  results: PreviewResult[],
  preview: (i: number, registry: Map<string, RegistryAnswer>) => PreviewResult,
  options: PlanDiffOptions,
): Promise<PreviewResult[]> {
  let check: RegistryCheck;
  try {
    check = new RegistryCheck(options.requestTimeout * 1000, options.registryCaFile);
  } catch (e) {
    throw new InputError(`--registry-ca-file ${options.registryCaFile}: ${(e as Error).message}`);
  }
  try {
    const out: PreviewResult[] = [];
    for (const [i, r] of results.entries()) {
      if (!('diff' in r) || r.unchecked.length === 0) out.push(r);
      else out.push(preview(i, await check.answer(r.unchecked)));
    }
    return out;
  } finally {
    await check.close();
  }
}

function render(doc: PlanDiffDocument, output: PlanDiffOptions['output']): string {
  if (output === 'json') return `${JSON.stringify(doc, null, 2)}\n`;
  if (output === 'yaml') return dump(doc, { noRefs: true, lineWidth: -1 });
  return planDiffText(doc);
}

async function withTimeout<T>(work: Promise<T>, seconds: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  // a late failure of the abandoned reads (their connections are closed) is no longer anyone's concern
  work.catch(() => undefined);
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new HubError(message)), seconds * 1000);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
