import { CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import type { EventInput } from '../events/event-recorder';
import { FLEET_SUMMARY_RESOURCE, MANIFEST_WORK_RESOURCE, MCM_RESOURCE } from '../kube/resources';
import type {
  ManagedClusterModule,
  ManagedClusterModuleFleetSummary,
  ManifestWork,
} from '../model';

/**
 * Everything the reconciler does to the hub besides reading the informer caches, kept small (as upstream KMM's
 * hub reconciler keeps its client interfaces) so that the decisions around each request (what a 409 or a 404
 * means, leadership, the cache write-through) stay in the reconciler and run in unit tests against a fake. A
 * failed request rejects with the API's error (client-node's ApiException: `code` and a metav1.Status body),
 * which the reconciler reads with apiFailure. Leadership is not this layer's business: the reconciler passes
 * every write through the WriteGate.
 */
export interface HubWriter {
  createWork(work: ManifestWork): Promise<ManifestWork>;
  /** A replace with the resourceVersion the work carries: 409 if it changed since it was read. */
  updateWork(work: ManifestWork): Promise<ManifestWork>;
  /** Deletes this incarnation only (its uid as a precondition, when known); its children in the background. */
  deleteWork(work: ManifestWork): Promise<void>;
  /**
   * The one read from the API server: after a create met 409, whose the existing work is, which the cache
   * cannot tell (it did not have the work).
   */
  getWork(namespace: string, name: string): Promise<ManifestWork>;
  /** Replaces the status subresource, with the MCM's resourceVersion: 409 if it changed since it was read. */
  updateMcmStatus(mcm: ManagedClusterModule): Promise<ManagedClusterModule>;
  /** Neither throws nor waits: Events are aggregated and written in the background. */
  recordEvent(event: EventInput): void;
  /** Read once per MCM after start or a conflict, so that an unchanged summary is not written again. */
  getFleetSummary(name: string): Promise<ManagedClusterModuleFleetSummary>;
  createFleetSummary(
    summary: ManagedClusterModuleFleetSummary,
  ): Promise<ManagedClusterModuleFleetSummary>;
  /** A replace with the resourceVersion the summary carries: 409 if it changed since it was read. */
  updateFleetSummary(
    summary: ManagedClusterModuleFleetSummary,
  ): Promise<ManagedClusterModuleFleetSummary>;
}

/** The client-node implementation: one CustomObjectsApi request per method, Events to the controller's recorder. */
export class KubeHubWriter implements HubWriter {
  private readonly api: CustomObjectsApi;

  constructor(
    kubeConfig: KubeConfig,
    private readonly events: { record(event: EventInput): void },
  ) {
    this.api = kubeConfig.makeApiClient(CustomObjectsApi);
  }

  async createWork(work: ManifestWork): Promise<ManifestWork> {
    const { group, version, plural } = MANIFEST_WORK_RESOURCE;
    const namespace = work.metadata.namespace!;
    return this.api.createNamespacedCustomObject({ group, version, plural, namespace, body: work });
  }

  async updateWork(work: ManifestWork): Promise<ManifestWork> {
    const { group, version, plural } = MANIFEST_WORK_RESOURCE;
    const { name, namespace } = work.metadata as { name: string; namespace: string };
    return this.api.replaceNamespacedCustomObject({
      group,
      version,
      plural,
      namespace,
      name,
      body: work,
    });
  }

  async deleteWork(work: ManifestWork): Promise<void> {
    const { group, version, plural } = MANIFEST_WORK_RESOURCE;
    const { name, namespace, uid } = work.metadata as {
      name: string;
      namespace: string;
      uid?: string;
    };
    await this.api.deleteNamespacedCustomObject({
      group,
      version,
      plural,
      namespace,
      name,
      propagationPolicy: 'Background',
      body: uid ? { preconditions: { uid } } : undefined,
    });
  }

  async getWork(namespace: string, name: string): Promise<ManifestWork> {
    const { group, version, plural } = MANIFEST_WORK_RESOURCE;
    return this.api.getNamespacedCustomObject({ group, version, plural, namespace, name });
  }

  async updateMcmStatus(mcm: ManagedClusterModule): Promise<ManagedClusterModule> {
    const { group, version, plural } = MCM_RESOURCE;
    const name = mcm.metadata.name!;
    return this.api.replaceClusterCustomObjectStatus({ group, version, plural, name, body: mcm });
  }

  recordEvent(event: EventInput): void {
    this.events.record(event);
  }

  async getFleetSummary(name: string): Promise<ManagedClusterModuleFleetSummary> {
    const { group, version, plural } = FLEET_SUMMARY_RESOURCE;
    return this.api.getClusterCustomObject({ group, version, plural, name });
  }

  async createFleetSummary(
    summary: ManagedClusterModuleFleetSummary,
  ): Promise<ManagedClusterModuleFleetSummary> {
    const { group, version, plural } = FLEET_SUMMARY_RESOURCE;
    return this.api.createClusterCustomObject({ group, version, plural, body: summary });
  }

  async updateFleetSummary(
    summary: ManagedClusterModuleFleetSummary,
  ): Promise<ManagedClusterModuleFleetSummary> {
    const { group, version, plural } = FLEET_SUMMARY_RESOURCE;
    const name = summary.metadata.name!;
    return this.api.replaceClusterCustomObject({ group, version, plural, name, body: summary });
  }
}
