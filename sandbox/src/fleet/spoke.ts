// One simulated spoke cluster: its nodes, its API server contents, what each ManifestWork applied there, and
// whether it is reachable. It has no I/O of its own; the fleet and the work agent drive it.

import type { ManifestWork } from 'kmm-hub-controller/model';
import type { ImagePullRules } from './image-pull';
import { SpokeApi, type SpokeObject } from './spoke-api';
import type { SpokeCatalog } from './spoke-catalog';
import { moduleStatus } from './spoke-kmm';
import type { ClusterProfile, SpokeNode } from './types';
import { NFD_KERNEL_LABEL } from './generate';
import {
  applyWork,
  removeWorkResources,
  syncAvailability,
  type AppliedResource,
  type WorkStatus,
} from './work-apply';

/** The namespace the KMM operator runs in on OpenShift spokes (the spoke install Policy creates it). */
export const SPOKE_KMM_NAMESPACE = 'openshift-kmm';

const MODULE_API_VERSION = 'kmm.sigs.x-k8s.io/v1beta1';

/** What the agent remembers about one ManifestWork (its AppliedManifestWork, plus the last status). */
interface WorkRecord {
  uid: string;
  generation: number;
  applied: AppliedResource[];
  status: WorkStatus;
  /** some manifest failed to apply: try again on the next sync, as the agent's requeue would */
  retry: boolean;
}

export class Spoke {
  readonly api: SpokeApi;
  nodes: SpokeNode[];
  offline = false;
  private readonly works = new Map<string, WorkRecord>();

  constructor(
    readonly profile: ClusterProfile,
    catalog: SpokeCatalog,
    pullRules: ImagePullRules,
  ) {
    this.nodes = structuredClone(profile.nodes);
    const kinds = profile.kmm ? [...catalog.base, ...catalog.kmm] : catalog.base;
    const namespaces = [
      'default',
      'kube-system',
      'kube-public',
      'open-cluster-management-agent',
      'open-cluster-management-agent-addon',
      ...(profile.kmm ? [SPOKE_KMM_NAMESPACE] : []),
    ];
    this.api = new SpokeApi(kinds, namespaces, (kind, object) =>
      kind.group === 'kmm.sigs.x-k8s.io' && kind.kind === 'Module'
        ? moduleStatus(
            object as SpokeObject & Parameters<typeof moduleStatus>[0],
            this.nodes,
            (image) => pullRules.isPullable(image),
          )
        : undefined,
    );
  }

  /**
   * KMM installed in managed mode (what the spoke install Policy does): the spoke serves KMM's CRDs, has its
   * namespace, and from now on publishes its kernels. Returns false if KMM was there already.
   */
  installKmm(catalog: SpokeCatalog): boolean {
    if (this.profile.kmm && this.api.serves(MODULE_API_VERSION, 'Module')) return false;
    this.profile.kmm = true;
    this.api.serve(catalog.kmm, [SPOKE_KMM_NAMESPACE]);
    return true;
  }

  /**
   * KMM's CRDs deleted (`kubectl delete crd` of kmm.sigs.x-k8s.io, or an uninstall that removes them) while its
   * kernel-versions ClusterClaim is left behind: the hub still sees kernels, the spoke has no Module kind.
   * Returns false if the spoke had no Module kind already.
   */
  removeKmmCrds(catalog: SpokeCatalog): boolean {
    if (!this.api.serves(MODULE_API_VERSION, 'Module')) return false;
    this.api.unserve(catalog.kmm);
    return true;
  }

  /** Whether the spoke serves KMM's Module kind. */
  get servesModules(): boolean {
    return this.api.serves(MODULE_API_VERSION, 'Module');
  }

  get name(): string {
    return this.profile.name;
  }

  /**
   * Moves nodes running `from` (every node if omitted) to kernel `to`; returns how many nodes changed.
   * `to` is a full node kernel (`5.14.0-570.12.1.el9_6.x86_64`).
   */
  upgradeKernel(from: string | undefined, to: string): number {
    let changed = 0;
    for (const node of this.nodes) {
      if ((from === undefined || node.kernelVersion === from) && node.kernelVersion !== to) {
        node.kernelVersion = to;
        if (node.labels[NFD_KERNEL_LABEL] !== undefined) node.labels[NFD_KERNEL_LABEL] = to;
        changed++;
      }
    }
    return changed;
  }

  /** An object on the spoke with its live status (e.g. a Module and what KMM reports for it). */
  getObject(
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    name: string,
  ): SpokeObject | undefined {
    return this.api.get(this.api.mapping(apiVersion, kind), namespace, name);
  }

  /**
   * The agent's pass over one ManifestWork: apply it if it is new, changed or failed before, then read back
   * availability and feedback. Returns the status the hub should show.
   */
  reconcileWork(work: ManifestWork, now: string): WorkStatus {
    const key = `${work.metadata.namespace}/${work.metadata.name}`;
    const uid = work.metadata.uid ?? '';
    const generation = work.metadata.generation ?? 0;
    let record = this.works.get(key);
    if (record && record.uid !== uid) {
      // Same name, new object: the old one's resources were already handed over or removed.
      record = undefined;
    }
    if (!record || record.generation !== generation || record.retry) {
      const previous = record?.status ?? hubStatus(work);
      const outcome = applyWork(this.api, work, record?.applied ?? [], previous, now);
      record = {
        uid,
        generation,
        applied: outcome.applied,
        status: outcome.status,
        retry: outcome.failed,
      };
    }
    record.status = syncAvailability(this.api, work, record.status, now);
    this.works.set(key, record);
    return record.status;
  }

  /** The work is being deleted (or is gone): remove what it applied and forget it. */
  forgetWork(work: ManifestWork): void {
    const key = `${work.metadata.namespace}/${work.metadata.name}`;
    const record = this.works.get(key);
    if (record) removeWorkResources(this.api, work, record.applied);
    this.works.delete(key);
  }

  /** Works the agent has applied here, by `namespace/name`. */
  knownWorks(): string[] {
    return [...this.works.keys()];
  }
}

function hubStatus(work: ManifestWork): WorkStatus | undefined {
  const status = work.status as WorkStatus | undefined;
  if (!status?.conditions) return undefined;
  return {
    conditions: status.conditions,
    resourceStatus: { manifests: status.resourceStatus?.manifests ?? [] },
  };
}
