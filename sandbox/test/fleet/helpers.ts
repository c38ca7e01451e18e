// Shared by the fleet's integration tests: a hub client from the sandbox kubeconfig and polling helpers.
import { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { PooledKubeConfig } from 'kmm-hub-controller/runtime';
import type { ManagedCluster, ManifestWork } from 'kmm-hub-controller/model';

export function clients(kubeconfig: string) {
  const kc = PooledKubeConfig.fromString(kubeconfig);
  const custom = kc.makeApiClient(CustomObjectsApi);
  const core = kc.makeApiClient(CoreV1Api);
  const CLUSTERS = {
    group: 'cluster.open-cluster-management.io',
    version: 'v1',
    plural: 'managedclusters',
  };
  const WORKS = {
    group: 'work.open-cluster-management.io',
    version: 'v1',
    plural: 'manifestworks',
  };
  return {
    core,
    custom,
    listClusters: async () =>
      ((await custom.listClusterCustomObject(CLUSTERS)) as { items: ManagedCluster[] }).items,
    getCluster: async (name: string) =>
      (await custom.getClusterCustomObject({ ...CLUSTERS, name })) as ManagedCluster,
    createWork: async (work: ManifestWork) =>
      (await custom.createNamespacedCustomObject({
        ...WORKS,
        namespace: work.metadata.namespace ?? '',
        body: work,
      })) as ManifestWork,
    getWork: async (namespace: string, name: string) =>
      (await custom.getNamespacedCustomObject({ ...WORKS, namespace, name })) as ManifestWork,
    deleteWork: async (namespace: string, name: string) =>
      custom.deleteNamespacedCustomObject({ ...WORKS, namespace, name }),
  };
}

/** Polls `check` until it stops throwing (returning its value) or the deadline passes (rethrowing). */
export async function eventually<T>(check: () => Promise<T> | T, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

export const claim = (cluster: ManagedCluster, name: string): string | undefined =>
  cluster.status?.clusterClaims?.find((c) => c.name === name)?.value;

export const condition = (conditions: { type: string }[] | undefined, type: string) =>
  conditions?.find((c) => c.type === type) as
    | { type: string; status: string; reason: string; message: string; lastTransitionTime: string }
    | undefined;

export const KERNEL_CLAIM = 'kernel-versions.kmm.node.kubernetes.io';

/** A kmm-hub style ManifestWork carrying one Module, with the JSONPaths feedback rules kmm-hub asks for. */
export function moduleWork(
  cluster: string,
  name: string,
  mappings: object[],
  selector: Record<string, string> = { 'node-role.kubernetes.io/worker': '' },
): ManifestWork {
  return {
    apiVersion: 'work.open-cluster-management.io/v1',
    kind: 'ManifestWork',
    metadata: { name, namespace: cluster },
    spec: {
      workload: {
        manifests: [
          {
            apiVersion: 'kmm.sigs.x-k8s.io/v1beta1',
            kind: 'Module',
            metadata: { name, namespace: 'openshift-kmm' },
            spec: {
              selector,
              moduleLoader: {
                container: { modprobe: { moduleName: name }, kernelMappings: mappings },
              },
            },
          } as never,
        ],
      },
      manifestConfigs: [
        {
          resourceIdentifier: {
            group: 'kmm.sigs.x-k8s.io',
            resource: 'modules',
            name,
            namespace: 'openshift-kmm',
          },
          feedbackRules: [
            {
              type: 'JSONPaths',
              jsonPaths: ['availableNumber', 'desiredNumber', 'nodesMatchingSelectorNumber'].map(
                (f) => ({ name: `moduleLoader.${f}`, path: `.status.moduleLoader.${f}` }),
              ),
            },
          ],
        },
      ],
    },
  };
}

/** The feedback values of a work's first manifest as `{desiredNumber: 3, ...}`. */
export function feedback(work: ManifestWork): Record<string, number> {
  const values = work.status?.resourceStatus?.manifests?.[0]?.statusFeedback?.values ?? [];
  return Object.fromEntries(
    values.map((v) => [v.name.replace('moduleLoader.', ''), v.fieldValue.integer as number]),
  );
}
