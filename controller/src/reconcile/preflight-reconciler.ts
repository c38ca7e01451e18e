import { CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import type { Lister, WritableCache } from '../caches';
import { PREFLIGHT_RESOURCE } from '../kube/resources';
import type { WriteGate } from '../kube/write-gate';
import type { Logger } from '../logging';
import {
  kernelPreflightStatus,
  preflightStatusUnchanged,
  type KernelPreflight,
  type ManagedClusterModule,
} from '../model';

/** The one write the KernelPreflight reconciler makes. */
export interface PreflightWriter {
  /** Replaces the status subresource, with the object's resourceVersion: 409 if it changed since it was read. */
  updatePreflightStatus(preflight: KernelPreflight): Promise<KernelPreflight>;
}

export class KubePreflightWriter implements PreflightWriter {
  private client?: CustomObjectsApi;

  constructor(private readonly kubeConfig: KubeConfig) {}

  // Made on first use: a hub without KernelPreflights never needs it (nor do unit tests' empty kubeconfigs).
  private get api(): CustomObjectsApi {
    return (this.client ??= this.kubeConfig.makeApiClient(CustomObjectsApi));
  }

  async updatePreflightStatus(preflight: KernelPreflight): Promise<KernelPreflight> {
    const { group, version, plural } = PREFLIGHT_RESOURCE;
    const name = preflight.metadata.name!;
    return this.api.replaceClusterCustomObjectStatus({
      group,
      version,
      plural,
      name,
      body: preflight,
    });
  }
}

/** Work-queue keys of KernelPreflights: a `/` never occurs in an MCM name, so they cannot collide. */
export const PREFLIGHT_KEY_PREFIX = 'kernelpreflight/';

export const preflightKey = (name: string): string => `${PREFLIGHT_KEY_PREFIX}${name}`;

export interface PreflightReconcilerDeps {
  preflights: WritableCache<KernelPreflight>;
  mcms: { readonly store: Lister<ManagedClusterModule> };
  writer: PreflightWriter;
  gate: WriteGate;
  logger: Logger;
  now?: () => Date;
}

/**
 * Writes a KernelPreflight's status: the fleet-wide summary of what the MCM reconciles reported in each MCM's
 * status.preflight. It only reads caches, and writes only when the summary changed.
 */
export class PreflightReconciler {
  private readonly now: () => Date;

  constructor(private readonly deps: PreflightReconcilerDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  async reconcile(name: string): Promise<void> {
    const { preflights, mcms, gate, writer } = this.deps;
    const preflight = preflights.store.get(name);
    if (!preflight || preflight.metadata.deletionTimestamp) return;
    const now = this.now()
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z');
    const status = kernelPreflightStatus(preflight, mcms.store.list(), now);
    if (preflightStatusUnchanged(preflight.status, status)) return;
    const updated = await gate.write('update', `${PREFLIGHT_RESOURCE.plural}/status`, () =>
      writer.updatePreflightStatus({ ...preflight, status }),
    );
    preflights.recordWrite(updated);
    this.deps.logger.debug({ kernelPreflight: name }, 'KernelPreflight status written');
  }
}
