// Builders for the API objects the plugin watches, shaped the way the hub's API server returns them:
// ManagedClusters with the spoke KMM's kernel claim, ManifestWorks rendered by the model and carrying the
// status OCM's work agent writes (Applied/Available conditions, Module status feedback values).
import {
  CLUSTER_AVAILABLE_CONDITION,
  type Condition,
  KERNEL_VERSIONS_CLAIM,
  type ManagedCluster,
  type ManagedClusterModule,
  type ManifestWork,
  ManifestWorkRenderer,
} from '../utils/model';

const T0 = '2026-05-01T10:00:00Z';

export const condition = (
  type: string,
  status: Condition['status'],
  reason = status === 'True' ? type : `Not${type}`,
  message?: string,
): Condition => ({
  type,
  status,
  reason,
  ...(message ? { message } : {}),
  lastTransitionTime: T0,
});

export const cluster = (
  name: string,
  opts: {
    labels?: Record<string, string>;
    /** the claim's value lines; undefined: no claim at all */
    kernels?: string[];
    available?: Condition['status'];
  } = {},
): ManagedCluster => ({
  apiVersion: 'cluster.open-cluster-management.io/v1',
  kind: 'ManagedCluster',
  metadata: { name, uid: `uid-${name}`, labels: { name, ...opts.labels } },
  spec: { hubAcceptsClient: true },
  status: {
    conditions: [condition(CLUSTER_AVAILABLE_CONDITION, opts.available ?? 'True')],
    clusterClaims: [
      { name: 'id.k8s.io', value: `id-${name}` },
      ...(opts.kernels ? [{ name: KERNEL_VERSIONS_CLAIM, value: opts.kernels.join('\n') }] : []),
    ],
  },
});

export type WorkStatusOptions = {
  /** kernels (with their images) the ManifestWork's Module carries */
  mappings?: { literal: string; containerImage: string }[];
  applied?: Condition['status'];
  available?: Condition['status'];
  /** Module status counters fed back as Integer values; undefined: not reported yet */
  moduleLoader?: { desired: number; available: number };
  updated?: string;
  /** the spoke's error when applying the Module (applied: 'False'), as OCM's work agent reports it */
  applyError?: string;
};

export const manifestWork = (
  mcm: ManagedClusterModule,
  clusterName: string,
  opts: WorkStatusOptions = {},
): ManifestWork => {
  const work = new ManifestWorkRenderer(mcm).render(clusterName, opts.mappings ?? []);
  const time = opts.updated ?? T0;
  const conditions: Condition[] = [];
  if (opts.applied) {
    const failed = opts.applyError
      ? condition('Applied', 'False', 'AppliedManifestWorkFailed', 'Failed to apply manifest work')
      : condition('Applied', opts.applied);
    conditions.push({ ...failed, lastTransitionTime: time });
  }
  if (opts.available) {
    conditions.push({ ...condition('Available', opts.available), lastTransitionTime: time });
  }
  const values = opts.moduleLoader
    ? [
        { name: 'moduleLoader.desiredNumber', value: opts.moduleLoader.desired },
        { name: 'moduleLoader.availableNumber', value: opts.moduleLoader.available },
        { name: 'moduleLoader.nodesMatchingSelectorNumber', value: opts.moduleLoader.desired },
      ].map((v) => ({ name: v.name, fieldValue: { type: 'Integer' as const, integer: v.value } }))
    : undefined;
  const name = mcm.metadata.name ?? '';
  return {
    ...work,
    metadata: { ...work.metadata, uid: `uid-${clusterName}-${name}`, generation: 1 },
    status: {
      conditions,
      resourceStatus: {
        manifests: [
          {
            resourceMeta: {
              ordinal: 0,
              group: 'kmm.sigs.x-k8s.io',
              version: 'v1beta1',
              kind: 'Module',
              resource: 'modules',
              name,
              namespace: mcm.spec.spokeNamespace,
            },
            conditions: conditions.map((c) =>
              c.type === 'Applied' && opts.applyError
                ? {
                    ...c,
                    reason: 'AppliedManifestFailed',
                    message: `Failed to apply manifest: ${opts.applyError}`,
                  }
                : { ...c },
            ),
            ...(values ? { statusFeedback: { values } } : {}),
          },
        ],
      },
    },
  };
};

/**
 * Gives each object a resourceVersion, as the API server does: what the kernel matrix's reuse keys on. The
 * counter is shared, so a changed object stamped again gets a version no other object has.
 */
let nextResourceVersion = 0;
export const stamp = <T extends { metadata: { resourceVersion?: string } }>(o: T): T => ({
  ...o,
  metadata: { ...o.metadata, resourceVersion: String(++nextResourceVersion) },
});
