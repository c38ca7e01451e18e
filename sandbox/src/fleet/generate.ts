// Deterministic fleet generation: cluster N of seed S is always the same cluster, however many clusters the
// fleet has and in whatever order they are created, because each cluster draws from its own stream (S, N).

import { randomFor, type Random } from './random';
import {
  nextRelease,
  nodeKernel,
  RELEASE_WEIGHTS,
  RELEASES,
  type Arch,
  type OpenShiftRelease,
} from './openshift-releases';
import type { Cloud, ClusterProfile, SpokeNode } from './types';

/** Shares of the fleet with a property; documented in sandbox/README.md. */
export const FLEET_SHARES = {
  gpu: 0.2,
  withoutKmm: 0.12,
  midUpgrade: 0.1,
  /** among clouds that offer arm64 machines (Amazon, Azure, bare metal) */
  arm64: 0.12,
} as const;

const CLOUDS: [Cloud, number][] = [
  ['Amazon', 35],
  ['Azure', 20],
  ['Google', 15],
  ['VSphere', 15],
  ['BareMetal', 15],
];

const REGIONS: Record<Cloud, string[]> = {
  Amazon: ['us-east-1', 'us-east-2', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-northeast-1'],
  Azure: ['eastus', 'eastus2', 'westeurope', 'northeurope', 'southeastasia'],
  Google: ['us-central1', 'us-east4', 'europe-west4', 'asia-northeast1'],
  VSphere: ['dc-dallas', 'dc-frankfurt', 'dc-singapore'],
  BareMetal: ['dc-dallas', 'dc-frankfurt', 'dc-singapore', 'store-edge'],
};

const CLUSTER_SETS: [string, number][] = [
  ['prod', 50],
  ['staging', 20],
  ['dev', 15],
  ['edge', 15],
];

const INSTANCE_TYPES: Partial<Record<Cloud, { master: string; worker: string; gpu: string }>> = {
  Amazon: { master: 'm6i.2xlarge', worker: 'm6i.4xlarge', gpu: 'g5.8xlarge' },
  Azure: { master: 'Standard_D8s_v5', worker: 'Standard_D16s_v5', gpu: 'Standard_NC24ads_A100_v4' },
  Google: { master: 'n2-standard-8', worker: 'n2-standard-16', gpu: 'a2-highgpu-1g' },
};

export const GPU_NODE_LABEL = 'feature.node.kubernetes.io/pci-10de.present';
export const NFD_KERNEL_LABEL = 'feature.node.kubernetes.io/kernel-version.full';

/** `cluster-0001`, `cluster-0002`, ... (more digits past 9999). */
export function clusterName(index: number): string {
  return `cluster-${String(index).padStart(4, '0')}`;
}

function uuid(r: Random): string {
  const hex = (n: number): string =>
    Array.from({ length: n }, () => r.int(0, 15).toString(16)).join('');
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${(8 + r.int(0, 3)).toString(16)}${hex(3)}-${hex(12)}`;
}

/** The same release always reports the same Kubernetes patch and build hash, as real clusters do. */
function kubernetesVersion(release: OpenShiftRelease): string {
  const r = randomFor('kubernetes', release.version);
  const build = Array.from({ length: 7 }, () => r.int(0, 15).toString(16)).join('');
  return `v${release.kubernetesMinor}.${r.int(1, 14)}+${build}`;
}

function zones(cloud: Cloud, region: string): string[] {
  switch (cloud) {
    case 'Amazon':
      return ['a', 'b', 'c'].map((z) => `${region}${z}`);
    case 'Azure':
      return ['1', '2', '3'].map((z) => `${region}-${z}`);
    case 'Google':
      return ['a', 'b', 'c'].map((z) => `${region}-${z}`);
    default:
      return [];
  }
}

interface NodePlan {
  role: 'master' | 'worker' | 'compact';
  gpu: boolean;
}

function planNodes(r: Random, gpuCluster: boolean): NodePlan[] {
  const count = r.int(3, 10);
  if (count === 3) {
    // A compact cluster: three schedulable control-plane nodes and no dedicated workers.
    const gpuIndex = gpuCluster ? r.int(0, 2) : -1;
    return [0, 1, 2].map((i) => ({ role: 'compact', gpu: i === gpuIndex }));
  }
  const workers: NodePlan[] = Array.from({ length: count - 3 }, () => ({
    role: 'worker' as const,
    gpu: gpuCluster && r.chance(0.5),
  }));
  if (gpuCluster && !workers.some((w) => w.gpu)) (workers[0] as NodePlan).gpu = true;
  return [...[0, 1, 2].map(() => ({ role: 'master' as const, gpu: false })), ...workers];
}

function buildNode(
  r: Random,
  plan: NodePlan,
  ordinal: number,
  profile: { cloud: Cloud; region: string; infraName: string; arch: Arch; nfd: boolean },
  kernel: string,
): SpokeNode {
  const zoneList = zones(profile.cloud, profile.region);
  const zone = zoneList.length > 0 ? zoneList[ordinal % zoneList.length] : undefined;
  const name =
    plan.role === 'worker'
      ? `${profile.infraName}-worker-${zone ?? 'x'}-${r.suffix(5)}`
      : `${profile.infraName}-master-${ordinal}`;
  const labels: Record<string, string> = {
    'beta.kubernetes.io/arch': profile.arch,
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': profile.arch,
    'kubernetes.io/hostname': name,
    'kubernetes.io/os': 'linux',
    'node.openshift.io/os_id': 'rhcos',
  };
  if (plan.role !== 'worker') {
    labels['node-role.kubernetes.io/master'] = '';
    labels['node-role.kubernetes.io/control-plane'] = '';
  }
  if (plan.role !== 'master') labels['node-role.kubernetes.io/worker'] = '';
  if (zone) {
    labels['topology.kubernetes.io/region'] = profile.region;
    labels['topology.kubernetes.io/zone'] = zone;
  }
  const types = INSTANCE_TYPES[profile.cloud];
  if (types) {
    labels['node.kubernetes.io/instance-type'] = plan.gpu
      ? types.gpu
      : plan.role === 'master'
        ? types.master
        : types.worker;
  }
  if (profile.nfd) labels[NFD_KERNEL_LABEL] = kernel;
  if (plan.gpu) {
    labels[GPU_NODE_LABEL] = 'true';
    labels['nvidia.com/gpu.present'] = 'true';
  }
  return {
    name,
    labels,
    // Dedicated control-plane nodes keep their NoSchedule taint; compact clusters drop it.
    taints:
      plan.role === 'master'
        ? [{ key: 'node-role.kubernetes.io/master', effect: 'NoSchedule' }]
        : [],
    kernelVersion: kernel,
    arch: profile.arch,
    cpu: plan.gpu ? 32 : plan.role === 'worker' ? 16 : 8,
    memoryGi: plan.gpu ? 128 : plan.role === 'worker' ? 64 : 32,
  };
}

export interface GenerateOptions {
  /**
   * Exactly this many distinct node kernels in the fleet (benchmarks that need a given matrix width): each
   * cluster's kernels are drawn from `kernelPool(kernels)` instead of following its release. Everything else
   * about the cluster (release, nodes, labels) stays as without the option.
   */
  kernels?: number;
}

/**
 * `n` distinct node kernels, alternating x86_64 and aarch64 so that both architectures have some: the real
 * RHCOS kernels first, then made-up later z-streams of the newest one when `n` asks for more.
 */
export function kernelPool(n: number): string[] {
  if (!Number.isInteger(n) || n < 2)
    throw new Error(`kernels must be a whole number >= 2, got ${n}`);
  const bases = [...new Set(RELEASES.map((r) => r.kernel))];
  const newest = bases[bases.length - 1] as string;
  for (let z = 1; bases.length * 2 < n; z++)
    bases.push(newest.replace(/^(\d+\.\d+\.\d+-\d+)\.\d+/, `$1.${900 + z}`));
  return bases.flatMap((b) => [nodeKernel(b, 'amd64'), nodeKernel(b, 'arm64')]).slice(0, n);
}

/** The pool entries a node of `arch` can run. */
const forArch = (pool: readonly string[], arch: Arch) =>
  pool.filter((k) => k.endsWith(arch === 'amd64' ? '.x86_64' : '.aarch64'));

/** Cluster number `index` (1-based) of the fleet generated from `seed`. */
export function generateCluster(
  seed: number,
  index: number,
  options: GenerateOptions = {},
): ClusterProfile {
  const r = randomFor('kmm-hub-sandbox fleet', seed, index);
  const name = clusterName(index);
  const cloud = r.weighted(CLOUDS);
  const region = r.pick(REGIONS[cloud]);
  const clusterSet = r.weighted(CLUSTER_SETS);
  const release = r.weighted(RELEASE_WEIGHTS);
  const armCapable = cloud === 'Amazon' || cloud === 'Azure' || cloud === 'BareMetal';
  const arch: Arch = armCapable && r.chance(FLEET_SHARES.arm64) ? 'arm64' : 'amd64';
  // GPU clusters are x86: the simulated fleet has no Grace-Hopper class machines.
  const gpu = arch === 'amd64' && r.chance(FLEET_SHARES.gpu);
  const kmm = !r.chance(FLEET_SHARES.withoutKmm);
  const upgradeTo = r.chance(FLEET_SHARES.midUpgrade) ? nextRelease(release) : undefined;
  const infraName = `${name}-${r.suffix(5)}`;
  const clusterId = uuid(r);

  const plans = planNodes(r, gpu);
  let oldKernel = nodeKernel(release.kernel, arch);
  let newKernel = upgradeTo ? nodeKernel(upgradeTo.kernel, arch) : oldKernel;
  if (options.kernels !== undefined) {
    // Its own stream, so that the option changes the kernels only.
    const choices = forArch(kernelPool(options.kernels), arch);
    const k = randomFor('kmm-hub-sandbox kernels', seed, index).int(0, choices.length - 1);
    oldKernel = choices[k] as string;
    newKernel = upgradeTo ? (choices[(k + 1) % choices.length] as string) : oldKernel;
  }
  // The machine-config operator rolls control-plane nodes first, then workers one at a time: mid-upgrade,
  // the control plane and some workers run the new kernel and the rest the old one.
  const workerOrdinals = plans.flatMap((p, i) => (p.role === 'master' ? [] : [i]));
  // Compact clusters have no separate control plane to be "ahead", so at least one of them moves.
  const compact = plans.every((p) => p.role === 'compact');
  const upgradedWorkers = upgradeTo ? r.int(compact ? 1 : 0, workerOrdinals.length - 1) : 0;
  const upgraded = new Set(workerOrdinals.slice(0, upgradedWorkers));
  const nodes = plans.map((plan, i) => {
    const onNew = upgradeTo !== undefined && (plan.role === 'master' || upgraded.has(i));
    return buildNode(
      r,
      plan,
      i,
      { cloud, region, infraName, arch, nfd: gpu },
      onNew ? newKernel : oldKernel,
    );
  });

  return {
    name,
    index,
    cloud,
    region,
    clusterSet,
    gpu,
    kmm,
    release,
    // The API server is upgraded before the machine-config operator starts rolling nodes.
    kubernetesVersion: kubernetesVersion(upgradeTo ?? release),
    clusterId,
    infraName,
    nodes,
  };
}
