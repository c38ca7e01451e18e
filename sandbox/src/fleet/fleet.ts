// The simulated ACM fleet: N spokes generated from a seed, registered on the hub the way OCM imports them
// (cluster namespace, ManagedCluster, then its status), a work agent serving their ManifestWorks, and the
// actions tests and demos use to change the fleet while it runs.

import { timestamp, type FullCondition } from './conditions';
import { mapLimit, PooledKubeConfig } from 'kmm-hub-controller/runtime';
import { generateCluster, kernelPool, type GenerateOptions } from './generate';
import { HubClient } from './hub-client';
import { ImagePullRules, type PullRule } from './image-pull';
import { managedClusterObject, managedClusterStatus, nodeKernels } from './managed-cluster';
import { SPOKE_KMM_NAMESPACE, Spoke } from './spoke';
import type { SpokeObject } from './spoke-api';
import { loadSpokeCatalog, type SpokeCatalog } from './spoke-catalog';
import type { ClusterProfile, SpokeNode } from './types';
import { PolicyAgent } from './policy-agent';
import { withoutWorkFinalizer, WorkAgent } from './work-agent';

export interface FleetOptions {
  /** how to reach the hub (the sandbox API server): a kubeconfig YAML with a current context */
  kubeconfig: string;
  /** how many clusters to register at start (default 0) */
  clusters?: number;
  /** generation seed (default 1): the same seed gives the same fleet */
  seed?: number;
  /** exactly this many distinct node kernels (see generateCluster); default: each release's own */
  kernels?: number;
  /** how often the work agent re-reads applied resources (default 10 000 ms, as OCM) */
  statusSyncIntervalMs?: number;
  /** HTTP requests in flight while registering clusters (default 32) */
  concurrency?: number;
  /** every generated cluster without KMM (default: about 12% of them, as the generator decides) */
  withoutKmm?: boolean;
  /**
   * Evaluate ACM Policies every this many ms (default: never): an enforced Policy that installs KMM in managed
   * mode, placed on a cluster, installs KMM there (policy-agent.ts). The hub must serve the policy CRDs.
   */
  policyIntervalMs?: number;
  /** the upstream CRD folder the spoke kinds come from (default: the repository's crds/upstream) */
  crdDir?: string;
  log?: (line: string) => void;
  /**
   * While clusters register, log `fleet: registered <n>/<total> clusters` at most this often (default 1000 ms):
   * registering thousands takes long enough that a silent wait looks like a hang.
   */
  progressIntervalMs?: number;
}

export class Fleet {
  private readonly spokes = new Map<string, Spoke>();
  /** conditions last reported on each ManagedCluster, so unchanged ones keep their transition time */
  private readonly reported = new Map<string, FullCondition[]>();
  private readonly pullRules = new ImagePullRules();
  private readonly hub: HubClient;
  private readonly kubeConfig: PooledKubeConfig;
  private readonly agent: WorkAgent;
  private readonly catalog: SpokeCatalog;
  private readonly seed: number;
  private readonly generate: GenerateOptions;
  private readonly concurrency: number;
  private readonly log: (line: string) => void;
  private readonly progressIntervalMs: number;
  private readonly withoutKmm: boolean;
  private readonly policyAgent: PolicyAgent | undefined;
  private nextIndex = 1;

  private constructor(options: FleetOptions) {
    this.seed = options.seed ?? 1;
    this.generate = options.kernels !== undefined ? { kernels: options.kernels } : {};
    if (options.kernels !== undefined) kernelPool(options.kernels); // a bad count fails here, not per cluster
    this.concurrency = options.concurrency ?? 32;
    this.log = options.log ?? (() => undefined);
    this.progressIntervalMs = options.progressIntervalMs ?? 1000;
    this.withoutKmm = options.withoutKmm ?? false;
    this.catalog = loadSpokeCatalog(options.crdDir);
    this.kubeConfig = PooledKubeConfig.fromString(options.kubeconfig);
    this.hub = new HubClient(this.kubeConfig);
    this.agent = new WorkAgent({
      hub: this.hub,
      spokeFor: (namespace) => this.spokes.get(namespace),
      ...(options.statusSyncIntervalMs !== undefined
        ? { statusSyncIntervalMs: options.statusSyncIntervalMs }
        : {}),
      ...(options.log ? { log: options.log } : {}),
    });
    this.policyAgent =
      options.policyIntervalMs === undefined
        ? undefined
        : new PolicyAgent({
            kubeConfig: this.kubeConfig,
            intervalMs: options.policyIntervalMs,
            installKmm: (cluster) => this.installKmm(cluster),
            hasKmm: (cluster) => this.spokes.get(cluster)?.profile.kmm ?? false,
            ...(options.log ? { log: options.log } : {}),
          });
  }

  /** Starts the work agent, then registers `clusters` clusters; resolves when every one is on the hub. */
  static async start(options: FleetOptions): Promise<Fleet> {
    if (
      options.clusters !== undefined &&
      (!Number.isInteger(options.clusters) || options.clusters < 0)
    ) {
      throw new Error(`clusters must be a whole number >= 0, got ${options.clusters}`);
    }
    const fleet = new Fleet(options);
    await fleet.agent.start();
    await fleet.addClusters(options.clusters ?? 0);
    fleet.policyAgent?.start();
    return fleet;
  }

  async stop(): Promise<void> {
    await this.policyAgent?.stop();
    await this.agent.stop();
    this.hub.stop();
    await this.kubeConfig.close();
  }

  // ---------------------------------------------------------------------------------------------------
  // Read accessors

  /** Names of the clusters in the fleet, in creation order. */
  clusterNames(): string[] {
    return [...this.spokes.keys()];
  }

  /** What the generator decided about a cluster (release, cloud, KMM installed, ...). */
  profile(cluster: string): ClusterProfile {
    return structuredClone(this.spoke(cluster).profile);
  }

  /** The cluster's nodes as they are now (copies). */
  nodes(cluster: string): SpokeNode[] {
    return structuredClone(this.spoke(cluster).nodes);
  }

  /** Distinct kernels the cluster's nodes run, sorted. */
  kernels(cluster: string): string[] {
    return nodeKernels(this.spoke(cluster).nodes);
  }

  /** The Module a ManifestWork put on the spoke, with the status the spoke KMM reports; undefined if none. */
  spokeModule(
    cluster: string,
    name: string,
    namespace: string = SPOKE_KMM_NAMESPACE,
  ): SpokeObject | undefined {
    const spoke = this.spoke(cluster);
    if (!spoke.profile.kmm || !spoke.servesModules) return undefined;
    return spoke.getObject('kmm.sigs.x-k8s.io/v1beta1', 'Module', namespace, name);
  }

  /** Any object on the spoke (e.g. a ConfigMap a ManifestWork carried). */
  spokeObject(
    cluster: string,
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    name: string,
  ): SpokeObject | undefined {
    return this.spoke(cluster).getObject(apiVersion, kind, namespace, name);
  }

  isOffline(cluster: string): boolean {
    return this.spoke(cluster).offline;
  }

  get statusSyncIntervalMs(): number {
    return this.agent.statusSyncIntervalMs;
  }

  imagePullRules(): PullRule[] {
    return this.pullRules.list();
  }

  // ---------------------------------------------------------------------------------------------------
  // Actions

  /**
   * Upgrades a cluster's kernel: every node running `from` (every node, if omitted) moves to `to`, then the
   * spoke KMM republishes the kernel claim (only once the cluster is reachable, if it is offline).
   * Returns how many nodes changed.
   */
  async upgradeKernel(cluster: string, from: string | undefined, to: string): Promise<number> {
    const spoke = this.spoke(cluster);
    if (typeof to !== 'string' || to.trim() === '') {
      throw new Error(`upgradeKernel: the target kernel "to" must be a kernel version string`);
    }
    if (from !== undefined && !spoke.nodes.some((n) => n.kernelVersion === from)) {
      throw new Error(
        `upgradeKernel: no node of ${cluster} runs kernel "${from}" (it runs: ${this.kernels(cluster).join(', ')})`,
      );
    }
    const changed = spoke.upgradeKernel(from, to);
    if (changed > 0 && !spoke.offline) await this.report(spoke);
    return changed;
  }

  /** Sets (string value) or removes (null) labels on the cluster's ManagedCluster. */
  async relabel(cluster: string, labels: Record<string, string | null>): Promise<void> {
    this.spoke(cluster);
    await this.hub.patchManagedClusterLabels(cluster, labels);
  }

  /**
   * Takes a cluster offline (its lease stops: Available=Unknown, its agent stops applying and syncing) or
   * brings it back (Available=True, fresh claims, and every ManifestWork reconciled at once).
   */
  async setOffline(cluster: string, offline: boolean): Promise<void> {
    const spoke = this.spoke(cluster);
    if (spoke.offline === offline) return;
    spoke.offline = offline;
    if (offline) {
      // Only the hub's lease controller writes now: the condition changes, the reported claims stay.
      await this.report(spoke, true);
    } else {
      await this.report(spoke);
      this.agent.resync(cluster);
    }
  }

  /** Generates and registers `n` more clusters (with new, never reused indexes); returns their names. */
  async addClusters(n: number): Promise<string[]> {
    if (!Number.isInteger(n) || n < 0) {
      throw new Error(`addClusters: n must be a whole number >= 0, got ${n}`);
    }
    const profiles = Array.from({ length: n }, () => {
      const profile = generateCluster(this.seed, this.nextIndex++, this.generate);
      return this.withoutKmm ? { ...profile, kmm: false } : profile;
    });
    const spokes = profiles.map((p) => new Spoke(p, this.catalog, this.pullRules));
    for (const spoke of spokes) this.spokes.set(spoke.name, spoke);
    let registered = 0;
    let reported = performance.now();
    await mapLimit(spokes, this.concurrency, async (spoke) => {
      await this.hub.createClusterNamespace(spoke.name);
      await this.hub.createManagedCluster(managedClusterObject(spoke.profile));
      await this.report(spoke);
      registered++;
      // The last one is left to the caller, which says how long the whole took.
      if (registered < n && performance.now() - reported >= this.progressIntervalMs) {
        reported = performance.now();
        this.log(`fleet: registered ${registered}/${n} clusters`);
      }
    });
    return spokes.map((s) => s.name);
  }

  /**
   * Detaches a cluster as OCM does: its agent goes away (its ManifestWorks lose their finalizer), then the
   * ManagedCluster and the cluster namespace (with everything in it) are deleted.
   */
  async removeCluster(cluster: string): Promise<void> {
    this.spoke(cluster);
    this.spokes.delete(cluster);
    this.reported.delete(cluster);
    await mapLimit(this.agent.works(cluster), this.concurrency, (work) =>
      this.hub.updateWorkFinalizers(cluster, work.metadata.name ?? '', withoutWorkFinalizer),
    );
    await this.hub.deleteManagedCluster(cluster);
    await this.hub.deleteNamespace(cluster);
  }

  /**
   * Installs KMM in managed mode on the cluster (what the spoke install Policy does; the policy agent calls
   * this): the spoke serves KMM's kinds, publishes its kernel claim, and its agent retries ManifestWorks that
   * failed for want of the Module kind. Resolves false if KMM was installed already.
   */
  async installKmm(cluster: string): Promise<boolean> {
    const spoke = this.spoke(cluster);
    if (!spoke.installKmm(this.catalog)) return false;
    if (!spoke.offline) {
      await this.report(spoke);
      this.agent.resync(cluster);
    }
    return true;
  }

  /**
   * Deletes KMM's CRDs on the cluster (and so its Modules) but leaves its kernel-versions ClusterClaim, which
   * no one owns: the hub still selects the cluster, and its work agent reports `the server doesn't have a
   * resource type "Module"` for every ManifestWork. installKmm brings the CRDs back. Resolves false if the
   * cluster had no Module kind.
   */
  async removeKmmCrds(cluster: string): Promise<boolean> {
    const spoke = this.spoke(cluster);
    if (!spoke.removeKmmCrds(this.catalog)) return false;
    if (!spoke.offline) this.agent.resync(cluster);
    return true;
  }

  /** Evaluates the hub's Policies now (with policyIntervalMs set); tests use it to skip a wait. */
  async evaluatePolicies(): Promise<void> {
    await this.policyAgent?.pass();
  }

  /** Marks an image, or every image matching a `*` glob, (un)pullable on every spoke. */
  setImagePullable(pattern: string, pullable: boolean): void {
    this.pullRules.set(pattern, pullable);
  }

  /** Changes how often the work agent re-reads applied resources and reports feedback. */
  setStatusSyncInterval(ms: number): void {
    this.agent.setStatusSyncInterval(ms);
  }

  // ---------------------------------------------------------------------------------------------------

  private spoke(cluster: string): Spoke {
    const spoke = this.spokes.get(cluster);
    if (!spoke) {
      throw new Error(
        `no cluster named "${cluster}" in the fleet (it has ${this.spokes.size} clusters, e.g. ${[...this.spokes.keys()].slice(0, 3).join(', ')})`,
      );
    }
    return spoke;
  }

  /**
   * The registration agent's full status report (conditions, version, capacity, claims), or with
   * `conditionsOnly` what the hub's lease controller writes for an unreachable cluster.
   */
  private async report(spoke: Spoke, conditionsOnly = false): Promise<void> {
    const status = managedClusterStatus(
      spoke.profile,
      spoke.nodes,
      !spoke.offline,
      this.reported.get(spoke.name),
      timestamp(),
    );
    this.reported.set(spoke.name, status.conditions);
    await this.hub.patchManagedClusterStatus(
      spoke.name,
      conditionsOnly ? { conditions: status.conditions } : status,
    );
  }
}
