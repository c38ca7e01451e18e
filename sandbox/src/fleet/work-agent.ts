// The simulated OCM work agent, one for the whole fleet but behaving per cluster: it list-watches every
// ManifestWork on the hub (client-node informer, all namespaces), and for each one in a spoke's namespace
// adds the cleanup finalizer, applies the manifests to that spoke, and writes the status back; every
// status-sync interval it re-reads what it applied (feedback values) and writes only what changed.
// Offline spokes are skipped entirely until they come back, as a disconnected agent would be.

import {
  makeInformer,
  type Informer,
  type KubernetesObject,
  type ObjectCache,
} from '@kubernetes/client-node';
import type { ManifestWork } from 'kmm-hub-controller/model';
import { PerKeyBackoff, WorkQueue, type Processor } from 'kmm-hub-controller/runtime';
import { timestamp } from './conditions';
import { DEFAULT_STATUS_SYNC_INTERVAL_MS } from './defaults';
import type { HubClient } from './hub-client';
import type { Spoke } from './spoke';

/** The finalizer OCM's work agent puts on every ManifestWork it manages. */
export const WORK_FINALIZER = 'cluster.open-cluster-management.io/manifest-work-cleanup';

/** For HubClient.updateWorkFinalizers: the finalizers without the agent's (undefined: it is not there). */
export const withoutWorkFinalizer = (finalizers: string[]): string[] | undefined =>
  finalizers.includes(WORK_FINALIZER) ? finalizers.filter((f) => f !== WORK_FINALIZER) : undefined;

export interface WorkAgentOptions {
  hub: HubClient;
  /** the spoke whose cluster namespace this is, if any */
  spokeFor: (namespace: string) => Spoke | undefined;
  statusSyncIntervalMs?: number;
  /** ManifestWorks processed in parallel (HTTP requests in flight) */
  concurrency?: number;
  log?: (line: string) => void;
}

/** A failed pass over a work is tried again after this long, however often it failed. */
const RETRY_MS = 200;

const keyOf = (work: KubernetesObject): string =>
  `${work.metadata?.namespace}/${work.metadata?.name}`;

export class WorkAgent {
  // client-node's object types are looser than the model's; the cache hands out ManifestWorks.
  private readonly informer: Informer<KubernetesObject> & ObjectCache<KubernetesObject>;
  /** `namespace/name` of works to look at: each queued once, and handled by one worker at a time */
  private readonly queue: WorkQueue;
  private processor: Processor | undefined;
  /** the last object seen for works deleted from the hub, until the spoke is cleaned up */
  private readonly gone = new Map<string, ManifestWork>();
  /** the status JSON last written, by ManifestWork uid */
  private readonly written = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private interval: number;
  private readonly concurrency: number;
  private readonly log: (line: string) => void;

  constructor(private readonly options: WorkAgentOptions) {
    this.interval = options.statusSyncIntervalMs ?? DEFAULT_STATUS_SYNC_INTERVAL_MS;
    this.concurrency = options.concurrency ?? 16;
    this.log = options.log ?? (() => undefined);
    this.queue = new WorkQueue({
      backoff: new PerKeyBackoff(RETRY_MS, RETRY_MS),
      onError: (key, err) => {
        if (!this.stopped) {
          this.log(`work agent: ${key}: ${(err as Error)?.message ?? err}; will retry`);
        }
      },
    });
    const { hub } = options;
    this.informer = makeInformer<KubernetesObject>(
      hub.kubeConfig,
      hub.manifestWorksPath,
      () => hub.listManifestWorks() as never,
    );
    this.informer.on('add', (w) => this.queue.add(keyOf(w)));
    this.informer.on('update', (w) => this.queue.add(keyOf(w)));
    this.informer.on('delete', (w) => {
      this.gone.set(keyOf(w), w as ManifestWork);
      this.queue.add(keyOf(w));
    });
    this.informer.on('error', (err) => {
      if (this.stopped) return;
      this.log(`work agent: watch failed (${(err as Error)?.message ?? err}); restarting`);
      this.restartTimer = setTimeout(() => void this.informer.start(), 500);
    });
  }

  /** Lists and starts watching ManifestWorks, and starts the status-sync loop. */
  async start(): Promise<void> {
    this.processor = this.queue.process((key) => this.process(key), this.concurrency);
    await this.informer.start();
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.restartTimer);
    this.queue.close();
    // Not awaited: passes in hand finish on their own (Fleet.stop then ends their retries).
    void this.processor?.stop();
    await this.informer.stop();
  }

  get statusSyncIntervalMs(): number {
    return this.interval;
  }

  setStatusSyncInterval(ms: number): void {
    if (!Number.isFinite(ms) || ms <= 0) {
      throw new Error(`status sync interval must be a positive number of milliseconds, got ${ms}`);
    }
    this.interval = ms;
    this.schedule();
  }

  /**
   * Queues every ManifestWork (of one cluster namespace, if given) for a pass now, including works deleted
   * while their cluster was offline, whose spoke resources still need removing.
   */
  resync(namespace?: string): void {
    for (const work of this.informer.list(namespace)) this.queue.add(keyOf(work));
    for (const key of this.gone.keys()) {
      if (namespace === undefined || key.startsWith(`${namespace}/`)) this.queue.add(key);
    }
  }

  /** The hub's ManifestWorks in a namespace, as the agent's cache sees them. */
  works(namespace: string): ManifestWork[] {
    return this.informer.list(namespace) as ManifestWork[];
  }

  private schedule(): void {
    clearInterval(this.timer);
    if (this.stopped) return;
    this.timer = setInterval(() => this.resync(), this.interval);
    this.timer.unref();
  }

  private async process(key: string): Promise<void> {
    const slash = key.indexOf('/');
    const namespace = key.slice(0, slash);
    const name = key.slice(slash + 1);
    const spoke = this.options.spokeFor(namespace);
    if (!spoke) {
      // Not a cluster namespace, or a cluster removed from the fleet: nothing on a spoke to clean up.
      this.gone.delete(key);
      return;
    }
    if (spoke.offline) return;
    const { hub } = this.options;

    const work = this.informer.get(name, namespace) as ManifestWork | undefined;
    if (!work) {
      // Deleted without our finalizer being honoured (e.g. forced): the spoke still cleans up.
      const last = this.gone.get(key);
      this.gone.delete(key);
      if (last) {
        spoke.forgetWork(last);
        this.written.delete(last.metadata.uid ?? '');
      }
      return;
    }
    this.gone.delete(key);
    const finalizers = work.metadata.finalizers ?? [];

    if (work.metadata.deletionTimestamp) {
      if (!finalizers.includes(WORK_FINALIZER)) return;
      spoke.forgetWork(work);
      this.written.delete(work.metadata.uid ?? '');
      await hub.updateWorkFinalizers(namespace, name, withoutWorkFinalizer);
      return;
    }
    if (!finalizers.includes(WORK_FINALIZER)) {
      // The update event of this write brings the work back for its first apply.
      await hub.updateWorkFinalizers(namespace, name, (f) =>
        f.includes(WORK_FINALIZER) ? undefined : [...f, WORK_FINALIZER],
      );
      return;
    }

    const status = spoke.reconcileWork(work, timestamp());
    const json = JSON.stringify(status);
    const uid = work.metadata.uid ?? '';
    if (this.written.get(uid) === json) return;
    await hub.patchWorkStatus(namespace, name, status);
    this.written.set(uid, json);
  }
}
