import type { KubeConfig } from '@kubernetes/client-node';
import { MCM_INDEX, type Caches } from './caches';
import type { ControllerConfig } from './config';
import { EventRecorder, kubeEventClient, type EventClient } from './events/event-recorder';
import { startHealthServer, type HealthServer } from './http/health-server';
import { InterimImageStates, type ImageStates } from './images/image-states';
import { RegistryImageStates } from './images/registry-image-states';
import { Informer, dropManagedFields } from './kube/informer';
import { JsonInterner } from './kube/json-interner';
import { kubeListWatch, type ListWatchClient } from './kube/list-watch';
import {
  MANAGED_CLUSTER_RESOURCE,
  MANIFEST_WORK_RESOURCE,
  MCM_RESOURCE,
  PREFLIGHT_RESOURCE,
  type ResourceRef,
} from './kube/resources';
import { isConflict, retryAfterOf } from './kube/api-errors';
import { NotLeaderError, WriteGate } from './kube/write-gate';
import { AlwaysLeader, LeaseLeaderElector, type Leadership } from './leader/leader-elector';
import type { Logger } from './logging';
import { createMetrics, type ControllerMetrics } from './metrics';
import {
  MCM_NAME_LABEL,
  isStatusReport,
  mcmOfWork,
  mcmPreflightChanged,
  mcmsForClusterChange,
  samePlanInputs,
  type KernelPreflight,
  type ManagedCluster,
  type ManagedClusterModule,
  type ManifestWork,
} from './model';
import type { KubeObject } from './model/types';
import { ReportThrottle } from './queue/report-throttle';
import { WorkQueue, type HandlerResult, type Processor } from './queue/work-queue';
import { FleetSummaryPublisher } from './reconcile/fleet-summaries';
import { KubeHubWriter, type HubWriter } from './reconcile/hub-writer';
import { PlanInputs } from './reconcile/plan-inputs';
import {
  KubePreflightWriter,
  PREFLIGHT_KEY_PREFIX,
  PreflightReconciler,
  preflightKey,
  type PreflightWriter,
} from './reconcile/preflight-reconciler';
import { MCMReconciler } from './reconcile/reconciler';

/** How often at most each MCM's fleet summary is computed and written (--fleet-summary-interval). */
export const DEFAULT_FLEET_SUMMARY_INTERVAL_MS = 2000;

export interface ControllerOptions {
  config: ControllerConfig;
  /** for every request to the API server that `api` does not replace */
  kubeConfig: KubeConfig;
  logger: Logger;
  metrics?: ControllerMetrics;
  imageStates?: ImageStates;
  /** replacements for the parts that make API requests (unit tests); each defaults to client-node's */
  api?: Partial<ControllerApi>;
  /** who leads, instead of what config.leaderElection sets up (unit tests) */
  leadership?: Leadership;
}

/** Every part of the controller that makes API requests, besides leader election. */
export interface ControllerApi {
  /** the list and watch requests of one resource's informer */
  listWatch(resource: ResourceRef): ListWatchClient;
  /** the reconciler's writes, its Events included */
  writer: HubWriter;
  /** the Event recorder's requests */
  events: EventClient;
  /** the KernelPreflight status writes */
  preflightWriter: PreflightWriter;
}

/**
 * The running controller: informers feed a work queue keyed by MCM name; while this replica leads, workers
 * reconcile queued MCMs; /healthz, /readyz and /metrics report on it. `stop()` is the graceful shutdown.
 */
export class Controller {
  readonly caches: Caches;
  readonly queue: WorkQueue;
  readonly leadership: Leadership;
  readonly metrics: ControllerMetrics;
  readonly events: EventRecorder;
  readonly reconciler: MCMReconciler;
  readonly preflightReconciler: PreflightReconciler;
  readonly summaries: FleetSummaryPublisher;
  private readonly planInputs = new PlanInputs();
  private readonly reports: ReportThrottle;
  private health?: HealthServer;
  private processor?: Processor;
  private processorStopping?: Promise<void>;
  private resyncTimer?: NodeJS.Timeout;
  private unsubscribeImages?: () => void;
  private stopping = false;
  private readonly log: Logger;
  private readonly imageStates: ImageStates;

  private constructor(private readonly options: ControllerOptions) {
    const { config, kubeConfig, logger, api = {} } = options;
    this.log = logger;
    this.metrics = options.metrics ?? createMetrics();
    this.leadership =
      options.leadership ??
      (config.leaderElection.enabled
        ? new LeaseLeaderElector(kubeConfig, config.leaderElection, logger, this.metrics)
        : new AlwaysLeader(config.leaderElection.identity));
    // One pool for every informer: cluster names, labels and claims recur across all three.
    const interner = new JsonInterner();
    const informer = <T extends KubeObject>(resource: ResourceRef, labelSelector?: string) =>
      new Informer<T>({
        resource,
        labelSelector,
        client: api.listWatch?.(resource) ?? kubeListWatch(kubeConfig, resource),
        logger,
        metrics: this.metrics,
        transform: (obj) => interner.intern(dropManagedFields(obj)),
      });
    this.caches = {
      mcms: informer<ManagedClusterModule>(MCM_RESOURCE),
      clusters: informer<ManagedCluster>(MANAGED_CLUSTER_RESOURCE),
      // Only kmm-hub's own ManifestWorks: other controllers' ManifestWorks are none of its business.
      works: informer<ManifestWork>(MANIFEST_WORK_RESOURCE, MCM_NAME_LABEL),
      preflights: informer<KernelPreflight>(PREFLIGHT_RESOURCE),
    };
    this.caches.works.store.addIndex(MCM_INDEX, (w) => {
      const mcm = mcmOfWork(w);
      return mcm ? [mcm] : [];
    });
    this.queue = new WorkQueue({
      onDepthChange: (depth) => this.metrics.queueDepth.set(depth),
      retryAfterOf,
      onError: (key, error, retryInMs) => {
        // A conflict only means the cache was a step behind; the retry reads the newer object.
        const level = isConflict(error) || error instanceof NotLeaderError ? 'debug' : 'warn';
        this.log[level]({ mcm: key, err: error, retryInMs }, 'reconcile failed; retrying');
      },
    });
    const gate = new WriteGate(this.leadership, this.metrics);
    this.events = new EventRecorder({
      client: api.events ?? kubeEventClient(kubeConfig),
      gate,
      logger,
      namespace: config.eventsNamespace,
      reportingController: 'kmm-hub-controller',
      reportingInstance: config.leaderElection.identity,
    });
    this.imageStates =
      options.imageStates ??
      (config.images
        ? new RegistryImageStates({
            ...config.images,
            kubeConfig,
            namespace: config.namespace,
            gate,
            events: this.events,
            logger: logger.child({ component: 'images' }),
            metrics: this.metrics,
          })
        : new InterimImageStates());
    const writer = api.writer ?? new KubeHubWriter(kubeConfig, this.events);
    this.summaries = new FleetSummaryPublisher({
      writer,
      gate,
      logger: logger.child({ component: 'fleet-summaries' }),
      intervalMs: config.fleetSummaryIntervalMs ?? DEFAULT_FLEET_SUMMARY_INTERVAL_MS,
    });
    this.reconciler = new MCMReconciler({
      caches: this.caches,
      writer,
      gate,
      summaries: this.summaries,
      imageStates: this.imageStates,
      planInputs: this.planInputs,
      metrics: this.metrics,
      logger,
      writeConcurrency: config.writeConcurrency,
    });
    this.preflightReconciler = new PreflightReconciler({
      preflights: this.caches.preflights,
      mcms: this.caches.mcms,
      writer: api.preflightWriter ?? new KubePreflightWriter(kubeConfig),
      gate,
      logger,
    });
    this.reports = new ReportThrottle(this.queue, config.workStatusBatchMs);
    this.wireTriggers();
  }

  static async start(options: ControllerOptions): Promise<Controller> {
    const c = new Controller(options);
    await c.startAll();
    return c;
  }

  /** Address of the /healthz, /readyz and /metrics server. */
  get httpUrl(): string {
    return this.health?.url ?? '';
  }

  get synced(): boolean {
    return Object.values(this.caches).every((i) => i.hasSynced);
  }

  private async startAll(): Promise<void> {
    const { config } = this.options;
    this.health = await startHealthServer({
      host: config.httpAddress.host,
      port: config.httpAddress.port,
      registry: this.metrics.registry,
      liveness: [{ name: 'ping', check: () => ({ ok: true, message: 'ok' }) }],
      readiness: [
        {
          name: 'informers',
          check: () => {
            const pending = Object.values(this.caches)
              .filter((i) => !i.hasSynced)
              .map((i) => i.resource);
            return pending.length === 0
              ? { ok: true, message: 'ok' }
              : { ok: false, message: `not synced yet: ${pending.join(', ')}` };
          },
        },
        {
          name: 'leader-election',
          check: () => ({
            ok: !this.stopping,
            message: this.stopping
              ? 'shutting down'
              : this.leadership.isLeader
                ? 'leader'
                : 'standby',
          }),
        },
      ],
    });
    this.log.info({ url: this.health.url }, 'serving /healthz, /readyz and /metrics');
    for (const informer of Object.values(this.caches)) informer.start();
    this.unsubscribeImages = this.imageStates.onChange((names) =>
      names.forEach((n) => {
        this.planInputs.imagesChanged(n);
        this.queue.add(n);
      }),
    );
    // Caches first, then the Lease: a replica that takes the lead must already know the world.
    void Promise.all(Object.values(this.caches).map((i) => i.whenSynced())).then(() => {
      if (this.stopping) return;
      this.log.info(
        {
          mcms: this.caches.mcms.store.size,
          clusters: this.caches.clusters.store.size,
          manifestWorks: this.caches.works.store.size,
          kernelPreflights: this.caches.preflights.store.size,
        },
        'caches synced',
      );
      this.leadership.start({
        onStartedLeading: () => this.startProcessing(),
        onStoppedLeading: () => this.stopProcessing(),
      });
    });
  }

  private wireTriggers(): void {
    const { mcms, clusters, works, preflights } = this.caches;
    const add = (name: string | undefined): void => {
      if (name) this.queue.add(name);
    };
    const addPreflights = (): void => {
      for (const name of preflights.store.keys()) this.queue.add(preflightKey(name));
    };
    // An MCM's status.preflight feeds every KernelPreflight's summary.
    const mcmChanged = (
      old: ManagedClusterModule | undefined,
      m: ManagedClusterModule | undefined,
    ) => {
      add((m ?? old)?.metadata.name);
      if (mcmPreflightChanged(old, m)) addPreflights();
    };
    // A change to what kmm-hub owns of a work (or its coming or going) invalidates its MCM's plan.
    const workChanged = (w: ManifestWork): void => {
      const name = mcmOfWork(w);
      if (!name) return;
      this.planInputs.worksChanged(name);
      this.queue.add(name);
    };
    mcms.on({
      add: (m) => mcmChanged(undefined, m),
      update: (o, m) => mcmChanged(o, m),
      delete: (m) => {
        this.reports.forget(m.metadata.name ?? '');
        mcmChanged(m, undefined);
      },
    });
    // New upcoming kernels change what every MCM prepares: all are planned anew. A status-only update (the
    // summary this controller writes) changes nothing.
    const preflightChanged = (old: KernelPreflight | undefined, p: KernelPreflight | undefined) => {
      if (
        old &&
        p &&
        old.metadata.generation === p.metadata.generation &&
        !old.metadata.deletionTimestamp === !p.metadata.deletionTimestamp
      )
        return;
      this.planInputs.invalidateAll();
      for (const name of mcms.store.keys()) this.queue.add(name);
      add(preflightKey((p ?? old)!.metadata.name!));
    };
    preflights.on({
      add: (p) => preflightChanged(undefined, p),
      update: (o, p) => preflightChanged(o, p),
      delete: (p) => preflightChanged(p, undefined),
    });
    const clusterChanged = (old: ManagedCluster | undefined, c: ManagedCluster | undefined) => {
      // plans are kept across updates that change nothing a plan reads (e.g. availability: status only)
      if (!old || !c || !samePlanInputs(old, c))
        this.planInputs.clustersChanged((c ?? old)?.metadata.name);
      mcmsForClusterChange(mcms.store.list(), old, c).forEach(add);
    };
    clusters.on({
      add: (c) => clusterChanged(undefined, c),
      update: (o, c) => clusterChanged(o, c),
      delete: (c) => clusterChanged(c, undefined),
    });
    works.on({
      add: workChanged,
      update: (o, w) => {
        if (isStatusReport(o, w)) {
          const name = mcmOfWork(w);
          if (name) this.reports.report(name);
          return;
        }
        workChanged(o);
        workChanged(w);
      },
      delete: workChanged,
    });
  }

  /** Every MCM, each planned anew (a resync also guards against a change the plan inputs missed). */
  private enqueueAll(): void {
    this.planInputs.invalidateAll();
    // Plus the MCM names on ManifestWorks whose MCM is gone (deleted while no controller ran): their
    // reconcile cleans them up. One set: a name added twice while a worker holds it would run twice.
    const names = new Set(this.caches.mcms.store.keys());
    for (const name of this.caches.works.store.indexValues(MCM_INDEX)) names.add(name);
    for (const name of this.caches.preflights.store.keys()) names.add(preflightKey(name));
    for (const name of names) this.queue.add(name);
  }

  /**
   * One MCM, then the KernelPreflight summaries if its status.preflight moved: the reconciler's own status write
   * goes straight into the cache, so no informer event would announce it.
   */
  private async reconcileMcm(name: string): Promise<HandlerResult | void> {
    const before = this.caches.mcms.store.get(name);
    const result = await this.reconciler.reconcile(name);
    const after = this.caches.mcms.store.get(name);
    if (before !== after && mcmPreflightChanged(before, after))
      for (const p of this.caches.preflights.store.keys()) this.queue.add(preflightKey(p));
    return result;
  }

  private startProcessing(): void {
    if (this.stopping) return;
    this.metrics.leader.set(1);
    const start = (): void => {
      if (this.stopping || !this.leadership.isLeader || this.processor) return;
      this.enqueueAll();
      this.processor = this.queue.process(
        (key): Promise<HandlerResult | void> =>
          key.startsWith(PREFLIGHT_KEY_PREFIX)
            ? this.preflightReconciler.reconcile(key.slice(PREFLIGHT_KEY_PREFIX.length))
            : this.reconcileMcm(key),
        this.options.config.concurrency,
      );
      this.scheduleResync();
    };
    // A previous term's workers may still be finishing; begin once they have.
    if (this.processorStopping) void this.processorStopping.then(start);
    else start();
  }

  private stopProcessing(): Promise<void> {
    this.metrics.leader.set(0);
    clearTimeout(this.resyncTimer);
    const processor = this.processor;
    this.processor = undefined;
    if (!processor) return this.processorStopping ?? Promise.resolve();
    const stopping = processor.stop().finally(() => {
      if (this.processorStopping === stopping) this.processorStopping = undefined;
    });
    this.processorStopping = stopping;
    return stopping;
  }

  /** Every MCM again after the resync period (jittered by up to 10%), from the cache: no API reads. */
  private scheduleResync(): void {
    const period = this.options.config.resyncPeriodMs;
    this.resyncTimer = setTimeout(
      () => {
        if (!this.processor) return;
        this.enqueueAll();
        this.scheduleResync();
      },
      Math.round(period * (1 + Math.random() * 0.1)),
    );
    this.resyncTimer.unref();
  }

  /**
   * Graceful stop: readiness fails, workers finish the MCMs in hand (bounded by the shutdown timeout), the Lease
   * is released, informers stop, then the HTTP server closes.
   */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.log.info('shutting down');
    const timeout = this.options.config.shutdownTimeoutMs;
    const drained = await Promise.race([
      this.stopProcessing().then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), timeout).unref()),
    ]);
    if (!drained)
      this.log.warn({ timeoutMs: timeout }, 'reconciles still running at the shutdown timeout');
    this.queue.close();
    await this.summaries.stop();
    await this.leadership.stop();
    this.unsubscribeImages?.();
    await Promise.all([
      ...Object.values(this.caches).map((i) => i.stop()),
      this.events.stop(),
      this.imageStates.stop(),
    ]);
    await this.health?.close();
    this.log.info('stopped');
  }
}
