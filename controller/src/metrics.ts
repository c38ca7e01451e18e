import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { buildInfo } from './version';

/** How a reconcile ended, the `result` label of the reconcile metrics. */
export const RECONCILE_RESULTS = ['success', 'error', 'invalid', 'deleted', 'not_leader'] as const;
export type ReconcileResult = (typeof RECONCILE_RESULTS)[number];

/** Every metric the controller exports, on its own registry (nothing global, so tests can run several). */
export interface ControllerMetrics {
  registry: Registry;
  reconciles: Counter<'result'>;
  reconcileDuration: Histogram<'result'>;
  plans: Counter<'source'>;
  queueDepth: Gauge;
  apiReads: Counter<'verb' | 'resource'>;
  apiWrites: Counter<'verb' | 'resource' | 'code'>;
  /**
   * Counts one API write in apiWrites: with the HTTP status of its failure (0 = no response), or as
   * WRITE_SUCCEEDED when `failureCode` is undefined.
   */
  countWrite(verb: string, resource: string, failureCode?: number): void;
  selectedClusters: Gauge<'mcm'>;
  manifestWorks: Gauge<'mcm' | 'state'>;
  buildInfo: Gauge<'version' | 'commit'>;
  leader: Gauge;
  informerSynced: Gauge<'resource'>;
  watchRestarts: Counter<'resource' | 'reason'>;
  registryRequests: Counter<'registry' | 'code'>;
  imageJobs: Counter<'type' | 'event'>;
}

/**
 * The `code` of a write that succeeded. client-node hands back the object, not the response, so which 2xx it
 * was is unknown; `code=~"2.."` selects successes all the same.
 */
export const WRITE_SUCCEEDED = '2xx';

export function createMetrics(options: { processMetrics?: boolean } = {}): ControllerMetrics {
  const registry = new Registry();
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const reconciles = new Counter({
    name: 'kmm_hub_reconciles_total',
    help: `ManagedClusterModule reconciles by result (${RECONCILE_RESULTS.join(', ')})`,
    labelNames: ['result'],
    registers,
  });
  // Every result from 0, so that rate() and alerts on errors work before the first error happens.
  for (const result of RECONCILE_RESULTS) reconciles.inc({ result }, 0);
  const plans = new Counter({
    name: 'kmm_hub_plans_total',
    help:
      'ManifestWork plans made by reconciles: computed by the model, or reused because nothing they depend ' +
      'on changed since a plan that needed no write (e.g. only ManifestWork status came in)',
    labelNames: ['source'],
    registers,
  });
  for (const source of ['computed', 'reused']) plans.inc({ source }, 0);
  const apiWrites = new Counter({
    name: 'kmm_hub_api_writes_total',
    help:
      'API write requests (ManifestWorks, MCM status, Events, Leases) by verb, resource and code: the HTTP ' +
      `status of a failure (0 = no response), or ${WRITE_SUCCEEDED} for a success`,
    labelNames: ['verb', 'resource', 'code'],
    registers,
  });
  const info = new Gauge({
    name: 'kmm_hub_build_info',
    help: 'Always 1; its labels say what is running: the version and the git commit (unknown outside a checkout)',
    labelNames: ['version', 'commit'],
    registers,
  });
  const { version, commit = 'unknown' } = buildInfo();
  info.set({ version, commit }, 1);
  return {
    registry,
    reconciles,
    plans,
    reconcileDuration: new Histogram({
      name: 'kmm_hub_reconcile_duration_seconds',
      help: 'Time to reconcile one ManagedClusterModule, including its API writes',
      labelNames: ['result'],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60],
      registers,
    }),
    queueDepth: new Gauge({
      name: 'kmm_hub_workqueue_depth',
      help: 'ManagedClusterModules waiting to be reconciled',
      registers,
    }),
    apiReads: new Counter({
      name: 'kmm_hub_api_reads_total',
      help: 'API read requests made (list pages, watches, Lease gets), by verb and resource',
      labelNames: ['verb', 'resource'],
      registers,
    }),
    apiWrites,
    countWrite: (verb, resource, failureCode) =>
      apiWrites.inc({
        verb,
        resource,
        code: failureCode === undefined ? WRITE_SUCCEEDED : String(failureCode),
      }),
    selectedClusters: new Gauge({
      name: 'kmm_hub_selected_clusters',
      help: 'ManagedClusters selected by each ManagedClusterModule',
      labelNames: ['mcm'],
      registers,
    }),
    manifestWorks: new Gauge({
      name: 'kmm_hub_manifestworks',
      help:
        'ManifestWorks of each ManagedClusterModule in each state (applied, available, degraded); one work ' +
        'may be in several, so they add up to no total',
      labelNames: ['mcm', 'state'],
      registers,
    }),
    leader: new Gauge({
      name: 'kmm_hub_leader',
      help: 'Whether this replica holds the leader Lease (1; also when leader election is disabled) or not (0)',
      registers,
    }),
    informerSynced: new Gauge({
      name: 'kmm_hub_informer_synced',
      help: 'Whether the informer of a resource has listed it (1) or not yet (0)',
      labelNames: ['resource'],
      registers,
    }),
    buildInfo: info,
    watchRestarts: new Counter({
      name: 'kmm_hub_watch_restarts_total',
      help: 'Informer watch restarts by resource and reason (closed, error, expired)',
      labelNames: ['resource', 'reason'],
      registers,
    }),
    registryRequests: new Counter({
      name: 'kmm_hub_registry_requests_total',
      help: 'HTTP requests to image registries (token requests included), by registry and status code or "error"',
      labelNames: ['registry', 'code'],
      registers,
    }),
    imageJobs: new Counter({
      name: 'kmm_hub_image_jobs_total',
      help: 'Build and sign Jobs created, succeeded and failed',
      labelNames: ['type', 'event'],
      registers,
    }),
  };
}
