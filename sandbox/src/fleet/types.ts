// The simulated fleet's own vocabulary. Spokes are not on the hub: their nodes and applied resources live only
// in the sandbox's memory, as a real spoke's would live only in its own API server.

import type { Arch, OpenShiftRelease } from './openshift-releases';

export type Cloud = 'Amazon' | 'Azure' | 'Google' | 'VSphere' | 'BareMetal';

export interface Taint {
  key: string;
  value?: string;
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/** One node of a simulated spoke: what KMM and the scheduler look at. */
export interface SpokeNode {
  name: string;
  labels: Record<string, string>;
  taints: Taint[];
  /** `node.status.nodeInfo.kernelVersion` */
  kernelVersion: string;
  arch: Arch;
  cpu: number;
  memoryGi: number;
}

/** Everything the generator decides about one cluster; the same seed and index give the same profile. */
export interface ClusterProfile {
  name: string;
  index: number;
  cloud: Cloud;
  region: string;
  clusterSet: string;
  gpu: boolean;
  /** KMM installed in managed mode: the spoke publishes the kernel claim and knows the Module CRD */
  kmm: boolean;
  release: OpenShiftRelease;
  /** `status.version.kubernetes`, e.g. `v1.29.10+67d3387` */
  kubernetesVersion: string;
  /** the OpenShift ClusterVersion id (`id.openshift.io` claim, `clusterID` label) */
  clusterId: string;
  /** `infrastructure.openshift.io` infraName */
  infraName: string;
  nodes: SpokeNode[];
}
