// ACM's governance in the simulated fleet, reduced to the spoke install Policy: every interval it reads the
// hub's Policies, PlacementBindings, Placements and ManagedClusters, installs KMM (managed mode) on the spokes
// an enforced install Policy is placed on, and reports each Policy's compliance per cluster in its status.

import { CustomObjectsApi, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { isNotFound } from 'kmm-hub-controller/runtime';
import type { PooledKubeConfig } from 'kmm-hub-controller/runtime';
import {
  kmmInstallOf,
  placedClusters,
  type Cluster,
  type Placement,
  type PlacementBinding,
  type Policy,
} from './policy';

const POLICIES = { group: 'policy.open-cluster-management.io', version: 'v1', plural: 'policies' };
const BINDINGS = {
  group: 'policy.open-cluster-management.io',
  version: 'v1',
  plural: 'placementbindings',
};
const PLACEMENTS = {
  group: 'cluster.open-cluster-management.io',
  version: 'v1beta1',
  plural: 'placements',
};
const CLUSTERS = {
  group: 'cluster.open-cluster-management.io',
  version: 'v1',
  plural: 'managedclusters',
};

export interface PolicyAgentOptions {
  kubeConfig: PooledKubeConfig;
  intervalMs: number;
  /** installs KMM on the cluster's spoke; resolves true if it was not installed before */
  installKmm(cluster: string): Promise<boolean>;
  hasKmm(cluster: string): boolean;
  log?: (line: string) => void;
}

export class PolicyAgent {
  private readonly api: CustomObjectsApi;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private running: Promise<void> | undefined;
  private readonly reported = new Map<string, string>();

  constructor(private readonly options: PolicyAgentOptions) {
    this.api = options.kubeConfig.makeApiClient(CustomObjectsApi);
  }

  start(): void {
    const tick = () => {
      if (this.stopped) return;
      this.running = this.pass()
        .catch((error: unknown) => this.options.log?.(`policy agent: ${String(error)}`))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, this.options.intervalMs);
        });
    };
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private async listAll<T>(r: { group: string; version: string; plural: string }): Promise<T[]> {
    try {
      const list = (await this.api.listCustomObjectForAllNamespaces({
        ...r,
        resourcePlural: r.plural,
      })) as {
        items: T[];
      };
      return list.items;
    } catch (error) {
      // the hub does not serve the policy kinds (their CRDs were not loaded): nothing to do
      if (isNotFound(error)) return [];
      throw error;
    }
  }

  /** One evaluation of every Policy; exported through the fleet for tests that do not want to wait. */
  async pass(): Promise<void> {
    const policies = await this.listAll<Policy>(POLICIES);
    if (policies.length === 0) return;
    const [bindings, placements, clusters] = await Promise.all([
      this.listAll<PlacementBinding>(BINDINGS),
      this.listAll<Placement>(PLACEMENTS),
      this.listAll<Cluster>(CLUSTERS),
    ]);
    for (const policy of policies) {
      const placed = placedClusters(policy, bindings, placements, clusters);
      const install = kmmInstallOf(policy);
      if (install.installs) {
        for (const cluster of placed) {
          if (await this.options.installKmm(cluster))
            this.options.log?.(`policy agent: installed KMM on ${cluster}`);
        }
      }
      await this.report(policy, placed);
    }
  }

  private async report(policy: Policy, placed: string[]): Promise<void> {
    const perCluster = placed.map((c) => ({
      clustername: c,
      clusternamespace: c,
      compliant: this.options.hasKmm(c) ? 'Compliant' : 'NonCompliant',
    }));
    const status = {
      compliant:
        perCluster.length === 0
          ? undefined
          : perCluster.every((c) => c.compliant === 'Compliant')
            ? 'Compliant'
            : 'NonCompliant',
      status: perCluster,
    };
    const key = `${policy.metadata?.namespace}/${policy.metadata?.name}`;
    const text = JSON.stringify(status);
    if (this.reported.get(key) === text) return;
    await this.api.patchNamespacedCustomObjectStatus(
      {
        ...POLICIES,
        namespace: policy.metadata?.namespace ?? '',
        name: policy.metadata?.name ?? '',
        body: { status },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    this.reported.set(key, text);
  }
}
