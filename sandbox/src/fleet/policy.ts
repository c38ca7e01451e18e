// What ACM's governance does with the spoke install Policy, reduced to what the hub can observe: which clusters
// a Policy is placed on (PlacementBinding -> Placement -> ManagedCluster labels) and whether its
// ConfigurationPolicy, enforced, installs KMM in managed mode with the work agent allowed to manage Modules.
// Pure functions over hub objects; the policy agent (policy-agent.ts) does the I/O.

interface Meta {
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string> };
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

export interface Placement extends Meta {
  spec?: { predicates?: { requiredClusterSelector?: { labelSelector?: LabelSelector } }[] };
}

export interface PlacementBinding extends Meta {
  placementRef?: { apiGroup?: string; kind?: string; name?: string };
  subjects?: { apiGroup?: string; kind?: string; name?: string }[];
}

interface ObjectTemplate {
  complianceType?: string;
  objectDefinition?: {
    apiVersion?: string;
    kind?: string;
    metadata?: { name?: string };
    spec?: { name?: string; config?: { env?: { name?: string; value?: string }[] } };
    subjects?: { kind?: string; name?: string; namespace?: string }[];
    roleRef?: { name?: string };
    rules?: { apiGroups?: string[]; resources?: string[]; verbs?: string[] }[];
  };
}

export interface Policy extends Meta {
  spec?: {
    disabled?: boolean;
    remediationAction?: string;
    'policy-templates'?: {
      objectDefinition?: {
        kind?: string;
        spec?: { remediationAction?: string; 'object-templates'?: ObjectTemplate[] };
      };
    }[];
  };
}

export type Cluster = Meta;

export const KMM_PACKAGE = 'kernel-module-management';
export const WORK_AGENT = {
  namespace: 'open-cluster-management-agent',
  name: 'klusterlet-work-sa',
};

function selects(selector: LabelSelector | undefined, labels: Record<string, string>): boolean {
  if (!selector) return true;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {}))
    if (labels[k] !== v) return false;
  return (selector.matchExpressions ?? []).every((e) => {
    const has = Object.hasOwn(labels, e.key);
    switch (e.operator) {
      case 'In':
        return has && (e.values ?? []).includes(labels[e.key]!);
      case 'NotIn':
        return !has || !(e.values ?? []).includes(labels[e.key]!);
      case 'Exists':
        return has;
      case 'DoesNotExist':
        return !has;
      default:
        return false;
    }
  });
}

/** Names of the clusters the Policy is placed on through PlacementBindings and Placements in its namespace. */
export function placedClusters(
  policy: Policy,
  bindings: PlacementBinding[],
  placements: Placement[],
  clusters: Cluster[],
): string[] {
  const namespace = policy.metadata?.namespace;
  const name = policy.metadata?.name;
  const out = new Set<string>();
  for (const b of bindings) {
    if (b.metadata?.namespace !== namespace) continue;
    const bindsPolicy = (b.subjects ?? []).some(
      (s) =>
        s.kind === 'Policy' &&
        s.apiGroup === 'policy.open-cluster-management.io' &&
        s.name === name,
    );
    const ref = b.placementRef;
    if (
      !bindsPolicy ||
      ref?.kind !== 'Placement' ||
      ref.apiGroup !== 'cluster.open-cluster-management.io'
    )
      continue;
    const placement = placements.find(
      (p) => p.metadata?.namespace === namespace && p.metadata?.name === ref.name,
    );
    if (!placement) continue;
    const predicates = placement.spec?.predicates ?? [];
    for (const c of clusters) {
      const labels = c.metadata?.labels ?? {};
      // predicates are ORed; no predicate selects every cluster
      const hit =
        predicates.length === 0 ||
        predicates.some((p) => selects(p.requiredClusterSelector?.labelSelector, labels));
      if (hit && c.metadata?.name) out.add(c.metadata.name);
    }
  }
  return [...out].sort();
}

export interface KmmInstall {
  /** enforced, not disabled, and it installs what the hub needs */
  installs: boolean;
  /** why not, when it does not */
  reason?: string;
}

/**
 * Whether the Policy, enforced, installs KMM so that the hub can use the cluster: a Subscription to the KMM
 * package with KMM_MANAGED=1 (managed mode publishes the kernel claim), and a ClusterRoleBinding that lets
 * the work agent's ServiceAccount manage Modules.
 */
export function kmmInstallOf(policy: Policy): KmmInstall {
  if (policy.spec?.disabled) return { installs: false, reason: 'the Policy is disabled' };
  const templates = (policy.spec?.['policy-templates'] ?? [])
    .map((t) => t.objectDefinition)
    .filter((d) => d?.kind === 'ConfigurationPolicy');
  for (const config of templates) {
    const action = policy.spec?.remediationAction || config?.spec?.remediationAction;
    if (action?.toLowerCase() !== 'enforce') continue;
    const objects = (config?.spec?.['object-templates'] ?? [])
      .filter((o) => o.complianceType !== 'mustnothave')
      .map((o) => o.objectDefinition ?? {});
    const subscription = objects.find(
      (o) =>
        o.kind === 'Subscription' &&
        o.apiVersion?.startsWith('operators.coreos.com/') &&
        o.spec?.name === KMM_PACKAGE,
    );
    if (!subscription) continue;
    const managed = (subscription.spec?.config?.env ?? []).some(
      (e) => e.name === 'KMM_MANAGED' && e.value === '1',
    );
    if (!managed)
      return {
        installs: false,
        reason: 'the KMM Subscription does not set KMM_MANAGED=1 (no kernel claim)',
      };
    const roles = new Map(
      objects.filter((o) => o.kind === 'ClusterRole').map((o) => [o.metadata?.name, o]),
    );
    const agentBound = objects.some(
      (o) =>
        o.kind === 'ClusterRoleBinding' &&
        (o.subjects ?? []).some(
          (s) =>
            s.kind === 'ServiceAccount' &&
            s.name === WORK_AGENT.name &&
            s.namespace === WORK_AGENT.namespace,
        ) &&
        (roles.get(o.roleRef?.name)?.rules ?? []).some(
          (r) =>
            (r.apiGroups ?? []).includes('kmm.sigs.x-k8s.io') &&
            (r.resources ?? []).includes('modules'),
        ),
    );
    if (!agentBound) {
      return {
        installs: false,
        reason: 'no ClusterRoleBinding lets the work agent (klusterlet-work-sa) manage modules',
      };
    }
    return { installs: true };
  }
  return {
    installs: false,
    reason: 'no enforced ConfigurationPolicy subscribes to kernel-module-management',
  };
}
