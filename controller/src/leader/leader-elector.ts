import { CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import type { LeaderElectionConfig } from '../config';
import type { Logger } from '../logging';
import type { ControllerMetrics } from '../metrics';
import { apiFailure, isConflict, isNotFound } from '../kube/api-errors';

/** Who may write. The reconciler asks before every API write. */
export interface Leadership {
  readonly isLeader: boolean;
  /** the identity holding the Lease as last observed ('' = nobody) */
  readonly leaderIdentity: string;
  start(callbacks: LeadershipCallbacks): void;
  /** Stops competing; a leader releases the Lease so a standby takes over without waiting for it to expire. */
  stop(): Promise<void>;
}

export interface LeadershipCallbacks {
  onStartedLeading(): void;
  onStoppedLeading(): void;
}

export interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

export interface Lease {
  apiVersion: 'coordination.k8s.io/v1';
  kind: 'Lease';
  metadata: { name: string; namespace: string; resourceVersion?: string };
  spec?: LeaseSpec;
}

const LEASES = { group: 'coordination.k8s.io', version: 'v1', plural: 'leases' };

/** The Lease requests of an election; an interface so that tests can play the API server and its timing. */
export interface LeaseClient {
  get(namespace: string, name: string): Promise<Lease>;
  create(namespace: string, lease: Lease): Promise<Lease>;
  /** an update with the resourceVersion the lease carries: 409 if someone wrote it meanwhile */
  update(namespace: string, name: string, lease: Lease): Promise<Lease>;
}

/** The client-node implementation. */
export function kubeLeaseClient(kubeConfig: KubeConfig): LeaseClient {
  const api = kubeConfig.makeApiClient(CustomObjectsApi);
  return {
    get: (namespace, name) => api.getNamespacedCustomObject({ ...LEASES, namespace, name }),
    create: (namespace, body) => api.createNamespacedCustomObject({ ...LEASES, namespace, body }),
    update: (namespace, name, body) =>
      api.replaceNamespacedCustomObject({ ...LEASES, namespace, name, body }),
  };
}

/** metav1.MicroTime wants six fractional digits. */
const microTime = (ms: number): string => new Date(ms).toISOString().replace(/Z$/, '000Z');

/**
 * Leader election on a coordination.k8s.io/v1 Lease, with client-go's algorithm: a candidate takes the Lease
 * when it is free or has not been renewed for its leaseDurationSeconds (judged by the local clock from the time
 * the record was last seen to change, so clock skew between replicas does not matter); the leader renews every
 * retry period and counts itself leader only while its last successful renewal (timed from when it was sent) is
 * younger than the renew deadline, so a leader cut off from the API server stops writing before anyone else may
 * take over.
 */
export class LeaseLeaderElector implements Leadership {
  private readonly client: LeaseClient;
  private readonly log: Logger;
  private leading = false;
  private lastRenewMs = 0;
  private observed?: { json: string; holder: string; durationMs: number; atMs: number };
  private stopped = true;
  private loop?: Promise<void>;
  private wake?: () => void;
  private callbacks?: LeadershipCallbacks;
  private deadlineTimer?: NodeJS.Timeout;

  constructor(
    /** a kubeconfig (client-node's requests) or the Lease requests themselves */
    api: KubeConfig | LeaseClient,
    private readonly config: LeaderElectionConfig,
    logger: Logger,
    private readonly metrics?: ControllerMetrics,
    private readonly now: () => number = Date.now,
  ) {
    this.client = api instanceof KubeConfig ? kubeLeaseClient(api) : api;
    this.log = logger.child({
      lease: `${config.namespace}/${config.leaseName}`,
      identity: config.identity,
    });
  }

  get isLeader(): boolean {
    return this.leading && this.renewedWithinDeadline();
  }

  get leaderIdentity(): string {
    return this.observed?.holder ?? '';
  }

  start(callbacks: LeadershipCallbacks): void {
    if (!this.stopped) return;
    this.callbacks = callbacks;
    this.stopped = false;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.wake?.();
    await this.loop;
    if (this.leading) {
      this.setLeading(false, 'stopping');
      await this.release();
    }
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      // The renewal counts from when it was attempted (the renewTime it writes), not from when the answer
      // came: a slow answer must not stretch this replica's term past what a standby measures.
      const attemptedMs = this.now();
      const acquired = await this.tryAcquireOrRenew(attemptedMs);
      if (this.stopped) break;
      if (acquired) {
        this.lastRenewMs = attemptedMs;
        // An answer that took longer than the renew deadline comes too late to lead on.
        if (!this.leading && this.renewedWithinDeadline())
          this.setLeading(true, 'acquired the lease');
        if (this.leading) this.armDeadline();
      } else if (this.leading) {
        const held = this.observed && this.observed.holder !== this.config.identity;
        if (held) this.setLeading(false, `lease taken by ${this.observed?.holder}`);
        else if (!this.isLeader)
          this.setLeading(false, 'could not renew the lease within the renew deadline');
      }
      const wait = this.leading
        ? this.config.retryPeriodMs
        : Math.round(this.config.retryPeriodMs * (1 + Math.random() * 0.2));
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, wait);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  private renewedWithinDeadline(): boolean {
    return this.now() - this.lastRenewMs < this.config.renewDeadlineMs;
  }

  /** Stops leading the moment the renew deadline passes, even if a renewal request is hanging. */
  private armDeadline(): void {
    clearTimeout(this.deadlineTimer);
    this.deadlineTimer = setTimeout(
      () => {
        if (!this.leading) return;
        // Timers may fire a millisecond early by the wall clock: look again rather than miss the deadline.
        if (this.renewedWithinDeadline()) this.armDeadline();
        else this.setLeading(false, 'could not renew the lease within the renew deadline');
      },
      Math.max(0, this.lastRenewMs + this.config.renewDeadlineMs - this.now()),
    );
    this.deadlineTimer.unref();
  }

  private setLeading(leading: boolean, why: string): void {
    if (this.leading === leading) return;
    this.leading = leading;
    if (leading) {
      this.log.info({ why }, 'became leader');
      this.callbacks?.onStartedLeading();
    } else {
      clearTimeout(this.deadlineTimer);
      // Handing over on shutdown is routine; losing the Lease otherwise is worth a warning.
      this.log[why === 'stopping' ? 'info' : 'warn']({ why }, 'stopped leading');
      this.callbacks?.onStoppedLeading();
    }
  }

  private async tryAcquireOrRenew(now: number): Promise<boolean> {
    const { namespace, leaseName: name, identity, leaseDurationMs } = this.config;
    const spec: LeaseSpec = {
      holderIdentity: identity,
      leaseDurationSeconds: Math.round(leaseDurationMs / 1000),
      acquireTime: microTime(now),
      renewTime: microTime(now),
      leaseTransitions: 0,
    };
    try {
      let lease: Lease;
      try {
        lease = await this.request('get', () => this.client.get(namespace, name));
      } catch (error) {
        if (!isNotFound(error)) throw error;
        const body: Lease = {
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          metadata: { name, namespace },
          spec,
        };
        await this.request('create', () => this.client.create(namespace, body));
        this.observe(spec, now);
        return true;
      }
      const old = lease.spec ?? {};
      // Another holder's term counts from when its record was seen, i.e. after the answer came (as
      // client-go's observedTime), so that a slow read cannot make it look older than it is.
      const seenMs = this.now();
      this.observe(old, seenMs);
      const holder = old.holderIdentity ?? '';
      const observed = this.observed!;
      if (holder !== '' && holder !== identity && observed.atMs + observed.durationMs > seenMs)
        return false;
      if (holder === identity) spec.acquireTime = old.acquireTime ?? spec.acquireTime;
      spec.leaseTransitions = (old.leaseTransitions ?? 0) + (holder === identity ? 0 : 1);
      const body: Lease = { ...lease, spec };
      await this.request('update', () => this.client.update(namespace, name, body));
      this.observe(spec, now);
      return true;
    } catch (error) {
      if (!isConflict(error)) {
        const f = apiFailure(error);
        this.log.warn({ code: f.code, error: f.message }, 'lease request failed');
      }
      return false;
    }
  }

  private observe(spec: LeaseSpec, now: number): void {
    const json = JSON.stringify(spec);
    if (this.observed?.json === json) return;
    this.observed = {
      json,
      holder: spec.holderIdentity ?? '',
      durationMs: (spec.leaseDurationSeconds ?? 0) * 1000,
      atMs: now,
    };
  }

  /** Gives the Lease up: empty holder and a 1 s duration, as client-go's ReleaseOnCancel does. */
  private async release(): Promise<void> {
    const { namespace, leaseName: name, identity } = this.config;
    try {
      const lease: Lease = await this.request('get', () => this.client.get(namespace, name));
      if (lease.spec?.holderIdentity !== identity) return;
      const now = microTime(this.now());
      const spec: LeaseSpec = {
        ...lease.spec,
        holderIdentity: '',
        leaseDurationSeconds: 1,
        acquireTime: now,
        renewTime: now,
      };
      await this.request('update', () => this.client.update(namespace, name, { ...lease, spec }));
      this.log.info('released the lease');
    } catch (error) {
      this.log.warn(
        { error: apiFailure(error).message },
        'could not release the lease; it expires on its own',
      );
    }
  }

  /**
   * One Lease request, counted for /metrics; it may not outlive the renew deadline: past it, the answer no
   * longer matters.
   */
  private request<T>(verb: 'get' | 'create' | 'update', run: () => Promise<T>): Promise<T> {
    // Reads are counted as made, writes once answered, with their outcome (as everywhere in the controller).
    if (verb === 'get') this.metrics?.apiReads.inc({ verb, resource: 'leases' });
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${this.config.renewDeadlineMs} ms`)),
        this.config.renewDeadlineMs,
      );
    });
    const counted = run().then(
      (result) => {
        if (verb !== 'get') this.metrics?.countWrite(verb, 'leases');
        return result;
      },
      (error: unknown) => {
        if (verb !== 'get') this.metrics?.countWrite(verb, 'leases', apiFailure(error).code);
        throw error;
      },
    );
    return Promise.race([counted, deadline]).finally(() => clearTimeout(timer));
  }
}

/** Leader election disabled: this replica always writes. */
export class AlwaysLeader implements Leadership {
  readonly isLeader = true;
  readonly leaderIdentity: string;
  constructor(identity: string) {
    this.leaderIdentity = identity;
  }
  start(callbacks: LeadershipCallbacks): void {
    callbacks.onStartedLeading();
  }
  async stop(): Promise<void> {}
}
