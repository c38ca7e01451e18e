import { CoreV1Api, CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { startSandbox, type Sandbox, type SandboxOptions } from 'kmm-hub-sandbox';
import {
  Controller,
  MANAGED_CLUSTER_RESOURCE,
  MANIFEST_WORK_RESOURCE,
  MCM_RESOURCE,
  createMetrics,
  type ControllerConfig,
  type ImageStates,
  type LeaderElectionConfig,
} from 'kmm-hub-controller';
import { PooledKubeConfig } from 'kmm-hub-controller/runtime';
import {
  MCM_NAME_LABEL,
  type Condition,
  type ManagedCluster,
  type ManagedClusterModule,
  type ManifestWork,
} from 'kmm-hub-controller/model';
import { kubeConfigFrom, testLogger, waitFor } from '../helpers';

// A sandbox hub with a small simulated fleet, the controller in-process, and the API calls a scenario makes
// (as a user would, through the API server).

const MCM = MCM_RESOURCE;
const WORK = MANIFEST_WORK_RESOURCE;
const CLUSTER = MANAGED_CLUSTER_RESOURCE;

export const NAMESPACE = 'kmm-hub';

export interface Hub {
  sandbox: Sandbox;
  kubeConfig: KubeConfig;
  api: CustomObjectsApi;
  core: CoreV1Api;
  /** The controllers started against this hub (startController), running or stopped. */
  controllers: Controller[];
  /** Stops the controllers still running, then the sandbox. */
  stop(): Promise<void>;
}

export async function startHub(
  clusters: number,
  statusSyncIntervalMs = 30,
  options: Partial<SandboxOptions> = {},
): Promise<Hub> {
  const sandbox = await startSandbox({ clusters, seed: 7, statusSyncIntervalMs, ...options });
  const kubeConfig = kubeConfigFrom(sandbox.kubeconfig);
  const core = kubeConfig.makeApiClient(CoreV1Api);
  await core.createNamespace({ body: { metadata: { name: NAMESPACE } } });
  const controllers: Controller[] = [];
  return {
    sandbox,
    kubeConfig,
    api: kubeConfig.makeApiClient(CustomObjectsApi),
    core,
    controllers,
    async stop() {
      // Controller.stop() does nothing the second time.
      await Promise.all(controllers.map((c) => c.stop()));
      await sandbox.stop();
    },
  };
}

/** What a test changes of the controller's configuration (leader election field by field). */
export type ConfigChanges = Partial<Omit<ControllerConfig, 'leaderElection'>> & {
  leaderElection?: Partial<LeaderElectionConfig>;
};

export function testConfig(
  over: ConfigChanges = {},
  identity = 'test-controller',
): ControllerConfig {
  return {
    namespace: NAMESPACE,
    concurrency: 4,
    writeConcurrency: 16,
    resyncPeriodMs: 600_000,
    workStatusBatchMs: 20,
    fleetSummaryIntervalMs: 100,
    httpAddress: { host: '127.0.0.1', port: 0 },
    eventsNamespace: 'default',
    shutdownTimeoutMs: 5000,
    logLevel: 'silent',
    ...over,
    // Off unless a test turns it on; timings short enough for a test.
    leaderElection: {
      enabled: false,
      leaseName: 'kmm-hub-controller',
      namespace: NAMESPACE,
      identity,
      leaseDurationMs: 1000,
      renewDeadlineMs: 600,
      retryPeriodMs: 100,
      ...over.leaderElection,
    },
  };
}

export async function startController(
  hub: Hub,
  over: ConfigChanges = {},
  identity?: string,
  imageStates?: ImageStates,
) {
  // Its own connection pool, as a separate process would have.
  const kubeConfig = new PooledKubeConfig();
  kubeConfig.loadFromString(hub.sandbox.kubeconfig);
  const controller = await Controller.start({
    config: testConfig(over, identity),
    kubeConfig,
    logger: testLogger(),
    metrics: createMetrics({ processMetrics: false }),
    imageStates,
  });
  hub.controllers.push(controller);
  await waitFor('caches to sync', () => controller.synced);
  const stop = controller.stop.bind(controller);
  controller.stop = async () => {
    await stop();
    await kubeConfig.close();
  };
  return controller;
}

/**
 * Counts, per MCM, the reconciles the controller finishes from now on, so that a test waits for "two more
 * reconciles of X" (resyncs, say) instead of sleeping for as long as it hopes they take.
 */
export function reconcileCounter(controller: Controller): (mcm: string) => number {
  const done = new Map<string, number>();
  const reconciler = controller.reconciler;
  const reconcile = reconciler.reconcile.bind(reconciler);
  reconciler.reconcile = (name) =>
    reconcile(name).finally(() => done.set(name, (done.get(name) ?? 0) + 1));
  return (mcm) => done.get(mcm) ?? 0;
}

/** An MCM whose one regexp mapping matches every RHCOS kernel of the simulated fleet. */
export function driverMcm(
  name: string,
  selector: Record<string, string>,
  tag = 'v1',
): ManagedClusterModule {
  return {
    apiVersion: 'hub.kmm.sigs.x-k8s.io/v1beta1',
    kind: 'ManagedClusterModule',
    metadata: { name },
    spec: {
      spokeNamespace: 'openshift-kmm',
      selector,
      moduleSpec: {
        selector: { 'node-role.kubernetes.io/worker': '' },
        moduleLoader: {
          container: {
            modprobe: { moduleName: 'acme_drv' },
            kernelMappings: [
              {
                regexp: '^5\\.14\\.0-.*\\.el9',
                containerImage: `quay.io/acme/drv-${tag}:\${KERNEL_FULL_VERSION}`,
              },
            ],
          },
        },
      },
    },
  };
}

export const createMcm = async (
  hub: Hub,
  mcm: ManagedClusterModule,
): Promise<ManagedClusterModule> =>
  (await hub.api.createClusterCustomObject({ ...MCM, body: mcm })) as ManagedClusterModule;

export const getMcm = async (hub: Hub, name: string): Promise<ManagedClusterModule> =>
  (await hub.api.getClusterCustomObject({ ...MCM, name })) as ManagedClusterModule;

export async function updateMcm(hub: Hub, name: string, change: (m: ManagedClusterModule) => void) {
  const m = await getMcm(hub, name);
  change(m);
  return (await hub.api.replaceClusterCustomObject({
    ...MCM,
    name,
    body: m,
  })) as ManagedClusterModule;
}

/** Deletes an MCM; `Orphan` makes the API server's garbage collector leave its ManifestWorks. */
export const deleteMcm = (hub: Hub, name: string, propagationPolicy?: 'Orphan') =>
  hub.api.deleteClusterCustomObject({ ...MCM, name, propagationPolicy });

/** The MCM's ManifestWorks (by label) as the API server has them, by cluster. */
export async function worksOf(hub: Hub, name: string): Promise<Map<string, ManifestWork>> {
  const list = (await hub.api.listCustomObjectForAllNamespaces({
    ...WORK,
    resourcePlural: WORK.plural,
    labelSelector: `${MCM_NAME_LABEL}=${name}`,
  })) as { items: ManifestWork[] };
  return new Map(list.items.map((w) => [w.metadata.namespace!, w]));
}

export async function clusters(hub: Hub): Promise<ManagedCluster[]> {
  return ((await hub.api.listClusterCustomObject({ ...CLUSTER })) as { items: ManagedCluster[] })
    .items;
}

export const condition = (m: ManagedClusterModule, type: string): Condition | undefined =>
  m.status?.conditions?.find((c) => c.type === type);

/** Waits until the MCM's status is for its current generation and `check` holds; returns the MCM. */
export function waitForStatus(
  hub: Hub,
  name: string,
  description: string,
  check: (m: ManagedClusterModule) => boolean,
  timeoutMs = 20_000,
): Promise<ManagedClusterModule> {
  return waitFor(
    `${name}: ${description}`,
    async () => {
      const m = await getMcm(hub, name);
      return m.status?.observedGeneration === m.metadata.generation && check(m) ? m : undefined;
    },
    { timeoutMs, intervalMs: 25 },
  );
}

export const isReady = (m: ManagedClusterModule): boolean =>
  condition(m, 'Ready')?.status === 'True';

/** Writes the controller could have made: ManifestWorks (not their status), MCM status, fleet summaries, Events. */
export function controllerWrites(hub: Hub): number {
  const a = hub.sandbox.audit;
  return (
    a.writes({ resource: 'manifestworks', subresource: '' }) +
    a.writes({ resource: 'managedclustermodules', subresource: 'status' }) +
    a.writes({ resource: 'managedclustermodulefleetsummaries' }) +
    a.writes({ resource: 'events' })
  );
}

/** The kernels a cluster reports, from the fleet (not from the hub). */
export function kernelsOf(hub: Hub, cluster: string): string[] {
  return hub.sandbox.fleet.kernels(cluster);
}

/** The kernel literals a ManifestWork carries. */
export function literalsOf(work: ManifestWork | undefined): string[] {
  const module = work?.spec.workload.manifests[0] as
    | { spec?: { moduleLoader?: { container?: { kernelMappings?: { literal: string }[] } } } }
    | undefined;
  return (module?.spec?.moduleLoader?.container?.kernelMappings ?? []).map((m) => m.literal);
}
