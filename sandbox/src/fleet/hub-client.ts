// The fleet's writes to the hub, through @kubernetes/client-node over HTTPS like OCM's agents (registration
// agent: ManagedCluster status; work agent: ManifestWork finalizer and status), sent with undici's request()
// (request-transport.ts). Nothing here touches the API server's memory directly.

import {
  CoreV1Api,
  CustomObjectsApi,
  PatchStrategy,
  setHeaderOptions,
  type KubeConfig,
} from '@kubernetes/client-node';
import type { ManagedCluster, ManifestWork } from 'kmm-hub-controller/model';
import { isConflict, isNotFound, withRetry } from 'kmm-hub-controller/runtime';
import { makeRequestApiClient } from './request-transport';

const CLUSTER = {
  group: 'cluster.open-cluster-management.io',
  version: 'v1',
  plural: 'managedclusters',
};
const WORK = { group: 'work.open-cluster-management.io', version: 'v1', plural: 'manifestworks' };

/** The label OCM's hub puts on a cluster namespace. */
export const CLUSTER_NAMESPACE_LABEL = 'open-cluster-management.io/cluster-name';

export class HubClient {
  private readonly core;
  private readonly custom;
  private readonly mergePatch;

  constructor(readonly kubeConfig: KubeConfig) {
    this.core = makeRequestApiClient(kubeConfig, CoreV1Api);
    this.custom = makeRequestApiClient(kubeConfig, CustomObjectsApi);
    this.mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
  }

  private readonly stopping = new AbortController();

  /** Ends the retries in flight: calls already waiting to try again fail with their last error. */
  stop(): void {
    this.stopping.abort();
  }

  private retry<T>(fn: () => Promise<T>): Promise<T> {
    return withRetry(fn, this.stopping.signal);
  }

  /** Creates the cluster namespace; an existing one is fine (a restarted fleet over kept data). */
  async createClusterNamespace(name: string): Promise<void> {
    await ignoreConflict(() =>
      this.retry(() =>
        this.core.createNamespace({
          body: { metadata: { name, labels: { [CLUSTER_NAMESPACE_LABEL]: name } } },
        }),
      ),
    );
  }

  async createManagedCluster(cluster: ManagedCluster): Promise<void> {
    await ignoreConflict(() =>
      this.retry(() => this.custom.createClusterCustomObject({ ...CLUSTER, body: cluster })),
    );
  }

  /** A JSON merge patch of the status subresource, as the registration agent reports. */
  async patchManagedClusterStatus(name: string, status: object): Promise<void> {
    await this.retry(() =>
      this.custom.patchClusterCustomObjectStatus(
        { ...CLUSTER, name, body: { status } },
        this.mergePatch,
      ),
    );
  }

  /** Sets (string) or removes (null) ManagedCluster labels with a merge patch. */
  async patchManagedClusterLabels(
    name: string,
    labels: Record<string, string | null>,
  ): Promise<void> {
    await this.retry(() =>
      this.custom.patchClusterCustomObject(
        { ...CLUSTER, name, body: { metadata: { labels } } },
        this.mergePatch,
      ),
    );
  }

  async deleteManagedCluster(name: string): Promise<void> {
    await ignoreNotFound(() =>
      this.retry(() => this.custom.deleteClusterCustomObject({ ...CLUSTER, name })),
    );
  }

  async deleteNamespace(name: string): Promise<void> {
    await ignoreNotFound(() => this.retry(() => this.core.deleteNamespace({ name })));
  }

  async listManifestWorks(): Promise<{
    items: ManifestWork[];
    metadata?: { resourceVersion?: string };
  }> {
    return (await this.retry(() =>
      this.custom.listCustomObjectForAllNamespaces({
        group: WORK.group,
        version: WORK.version,
        resourcePlural: WORK.plural,
      }),
    )) as { items: ManifestWork[]; metadata?: { resourceVersion?: string } };
  }

  /** The ManifestWorks path the work agent watches (all namespaces). */
  readonly manifestWorksPath = `/apis/${WORK.group}/${WORK.version}/${WORK.plural}`;

  async patchWorkStatus(namespace: string, name: string, status: object): Promise<void> {
    await this.retry(() =>
      this.custom.patchNamespacedCustomObjectStatus(
        { ...WORK, namespace, name, body: { status } },
        this.mergePatch,
      ),
    );
  }

  /**
   * Reads the ManifestWork, lets `change` edit its finalizers (return undefined for no change) and writes
   * it back with its resourceVersion, retrying on 409 Conflict. Returns false if the work is gone.
   */
  async updateWorkFinalizers(
    namespace: string,
    name: string,
    change: (finalizers: string[]) => string[] | undefined,
  ): Promise<boolean> {
    for (;;) {
      let work: ManifestWork;
      try {
        work = (await this.retry(() =>
          this.custom.getNamespacedCustomObject({ ...WORK, namespace, name }),
        )) as ManifestWork;
      } catch (err) {
        if (isNotFound(err)) return false;
        throw err;
      }
      const next = change(work.metadata.finalizers ?? []);
      if (next === undefined) return true;
      work.metadata.finalizers = next;
      try {
        await this.retry(() =>
          this.custom.replaceNamespacedCustomObject({ ...WORK, namespace, name, body: work }),
        );
        return true;
      } catch (err) {
        if (isNotFound(err)) return false;
        if (!isConflict(err)) throw err;
      }
    }
  }
}

async function ignoreConflict(fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    if (!isConflict(err)) throw err;
  }
}

async function ignoreNotFound(fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}
