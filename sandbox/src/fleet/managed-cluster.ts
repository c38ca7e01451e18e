// The hub-side objects OCM keeps for a spoke: its ManagedCluster (labels ACM sets, spec as after import) and
// the status the registration agent reports (conditions, version, capacity, cluster claims).

import {
  CLUSTER_API_VERSION,
  CLUSTER_AVAILABLE_CONDITION,
  KERNEL_VERSIONS_CLAIM,
  compareStrings,
  sortedUnique,
} from 'kmm-hub-controller/model';
import type { ClusterClaim, ManagedCluster } from 'kmm-hub-controller/model';
import { setCondition, type FullCondition } from './conditions';
import type { Cloud, ClusterProfile, SpokeNode } from './types';

const PLATFORM: Record<Cloud, string> = {
  Amazon: 'AWS',
  Azure: 'Azure',
  Google: 'GCP',
  VSphere: 'VSphere',
  BareMetal: 'BareMetal',
};

export const CLUSTER_SET_LABEL = 'cluster.open-cluster-management.io/clusterset';

function baseDomain(profile: ClusterProfile): string {
  return `${profile.name}.fleet.example.com`;
}

/** The labels ACM puts on an imported OpenShift cluster (plus `gpu=true` on GPU clusters). */
export function clusterLabels(profile: ClusterProfile): Record<string, string> {
  const [major = '', minor = ''] = profile.release.version.split('.');
  const labels: Record<string, string> = {
    name: profile.name,
    cloud: profile.cloud,
    vendor: 'OpenShift',
    region: profile.region,
    clusterID: profile.clusterId,
    openshiftVersion: profile.release.version,
    'openshiftVersion-major': major,
    'openshiftVersion-major-minor': `${major}.${minor}`,
    [CLUSTER_SET_LABEL]: profile.clusterSet,
    'feature.open-cluster-management.io/addon-work-manager': 'available',
  };
  if (profile.gpu) labels.gpu = 'true';
  return labels;
}

/** A ManagedCluster as created on import: labels and an accepted spec; status comes separately. */
export function managedClusterObject(profile: ClusterProfile): ManagedCluster {
  return {
    apiVersion: CLUSTER_API_VERSION,
    kind: 'ManagedCluster',
    metadata: { name: profile.name, labels: clusterLabels(profile) },
    spec: {
      hubAcceptsClient: true,
      leaseDurationSeconds: 60,
      managedClusterClientConfigs: [{ url: `https://api.${baseDomain(profile)}:6443` }],
    },
  };
}

/** The distinct kernels the nodes run, sorted. */
export function nodeKernels(nodes: readonly SpokeNode[]): string[] {
  return sortedUnique(nodes.map((n) => n.kernelVersion));
}

/** The claim value the spoke KMM publishes: distinct node kernels, sorted, joined by newlines. */
export function kernelClaimValue(nodes: readonly SpokeNode[]): string {
  return nodeKernels(nodes).join('\n');
}

/** The ClusterClaims an OpenShift spoke reports, sorted by name as the registration agent syncs them. */
export function clusterClaims(
  profile: ClusterProfile,
  nodes: readonly SpokeNode[],
): ClusterClaim[] {
  const domain = baseDomain(profile);
  const claims: ClusterClaim[] = [
    {
      name: 'consoleurl.cluster.open-cluster-management.io',
      value: `https://console-openshift-console.apps.${domain}`,
    },
    { name: 'controlplanetopology.openshift.io', value: 'HighlyAvailable' },
    { name: 'id.k8s.io', value: profile.name },
    { name: 'id.openshift.io', value: profile.clusterId },
    {
      name: 'infrastructure.openshift.io',
      value: JSON.stringify({ infraName: profile.infraName }),
    },
    { name: 'kubeversion.open-cluster-management.io', value: profile.kubernetesVersion },
    {
      name: 'oauthredirecturis.openshift.io',
      value: `https://oauth-openshift.apps.${domain}/oauth/token/implicit`,
    },
    { name: 'platform.open-cluster-management.io', value: PLATFORM[profile.cloud] },
    { name: 'product.open-cluster-management.io', value: 'OpenShift' },
    { name: 'version.openshift.io', value: profile.release.version },
  ];
  if (profile.cloud !== 'VSphere' && profile.cloud !== 'BareMetal') {
    claims.push({ name: 'region.open-cluster-management.io', value: profile.region });
  }
  if (profile.kmm) claims.push({ name: KERNEL_VERSIONS_CLAIM, value: kernelClaimValue(nodes) });
  return claims.sort((a, b) => compareStrings(a.name, b.name));
}

export type ManagedClusterStatus = NonNullable<ManagedCluster['status']> & {
  conditions: FullCondition[];
};

/**
 * The status the registration agent (available) or the hub's lease controller (offline: lease not renewed)
 * leaves on the ManagedCluster. `previous` keeps lastTransitionTimes of unchanged conditions.
 */
export function managedClusterStatus(
  profile: ClusterProfile,
  nodes: readonly SpokeNode[],
  available: boolean,
  previous: readonly FullCondition[] | undefined,
  now: string,
): ManagedClusterStatus {
  let conditions = setCondition(
    previous,
    {
      type: 'HubAcceptedManagedCluster',
      status: 'True',
      reason: 'HubClusterAdminAccepted',
      message: 'Accepted by hub cluster admin',
    },
    now,
  );
  conditions = setCondition(
    conditions,
    {
      type: 'ManagedClusterJoined',
      status: 'True',
      reason: 'ManagedClusterJoined',
      message: 'Managed cluster joined',
    },
    now,
  );
  conditions = setCondition(
    conditions,
    available
      ? {
          type: CLUSTER_AVAILABLE_CONDITION,
          status: 'True',
          reason: 'ManagedClusterAvailable',
          message: 'Managed cluster is available',
        }
      : {
          type: CLUSTER_AVAILABLE_CONDITION,
          status: 'Unknown',
          reason: 'ManagedClusterLeaseUpdateStopped',
          message: 'Registration agent stopped updating its lease.',
        },
    now,
  );
  const cpu = nodes.reduce((sum, n) => sum + n.cpu, 0);
  const memory = nodes.reduce((sum, n) => sum + n.memoryGi, 0);
  return {
    conditions,
    version: { kubernetes: profile.kubernetesVersion },
    capacity: { cpu: String(cpu), memory: `${memory}Gi` },
    // System reservations: half a core and 1 GiB per node, as OpenShift's kubelet defaults roughly are.
    allocatable: {
      cpu: `${cpu * 1000 - nodes.length * 500}m`,
      memory: `${memory - nodes.length}Gi`,
    },
    clusterClaims: clusterClaims(profile, nodes),
  };
}
