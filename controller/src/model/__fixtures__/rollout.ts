import { KERNEL_VERSIONS_CLAIM } from '../constants';
import type { ManagedCluster, ManagedClusterModule, ManifestWork } from '../types';

// Small, realistic inputs for the status and ManifestWork-write tests, model and controller alike (the
// scenario suite uses the simulated fleet): clusters with their availability, works as the agent reports them.

export const K94 = '5.14.0-427.13.1.el9_4.x86_64';
export const K96 = '5.14.0-570.12.1.el9_6.x86_64';
export const K_OLD = '4.18.0-372.9.1.el8.x86_64';

export function mcm(
  over: Partial<ManagedClusterModule['spec']> = {},
  generation = 1,
): ManagedClusterModule {
  return {
    apiVersion: 'hub.kmm.sigs.x-k8s.io/v1beta1',
    kind: 'ManagedClusterModule',
    metadata: { name: 'drv', uid: 'uid-drv', generation, resourceVersion: '10' },
    spec: {
      spokeNamespace: 'kmm-drv',
      selector: { gpu: 'true' },
      moduleSpec: {
        selector: { 'node-role.kubernetes.io/worker': '' },
        moduleLoader: {
          container: {
            modprobe: { moduleName: 'drv' },
            kernelMappings: [
              { regexp: '^5\\.14\\.0-', containerImage: 'quay.io/acme/drv:${KERNEL_FULL_VERSION}' },
            ],
          },
        },
      },
      ...over,
    },
  };
}

export function cluster(
  name: string,
  kernels: string[] | undefined,
  labels: Record<string, string> = { gpu: 'true' },
  available: 'True' | 'Unknown' = 'True',
): ManagedCluster {
  return {
    apiVersion: 'cluster.open-cluster-management.io/v1',
    kind: 'ManagedCluster',
    metadata: { name, labels },
    status: {
      conditions: [{ type: 'ManagedClusterConditionAvailable', status: available }],
      clusterClaims:
        kernels === undefined ? [] : [{ name: KERNEL_VERSIONS_CLAIM, value: kernels.join('\n') }],
    },
  };
}

/** A work as the API server returns it after the agent reported: defaults added, status set. */
export function reported(
  work: ManifestWork,
  opts: {
    applied?: 'True' | 'False';
    available?: 'True' | 'False';
    desired?: number;
    availableNodes?: number;
  } = {},
): ManifestWork {
  const w: ManifestWork = JSON.parse(JSON.stringify(work));
  w.metadata.resourceVersion = '100';
  w.metadata.uid = `uid-${w.metadata.namespace}`;
  w.metadata.generation = 1;
  w.spec.manifestConfigs = w.spec.manifestConfigs?.map((c) => ({
    ...c,
    feedbackScrapeType: 'Poll',
  }));
  const conditions = [];
  if (opts.applied)
    conditions.push({
      type: 'Applied',
      status: opts.applied,
      reason: 'AppliedManifestWorkComplete',
      observedGeneration: 1,
    });
  if (opts.available)
    conditions.push({
      type: 'Available',
      status: opts.available,
      reason: 'ResourcesAvailable',
      observedGeneration: 1,
    });
  w.status = { conditions };
  if (opts.desired !== undefined) {
    w.status.resourceStatus = {
      manifests: [
        {
          resourceMeta: {
            group: 'kmm.sigs.x-k8s.io',
            kind: 'Module',
            resource: 'modules',
            name: 'drv',
            namespace: 'kmm-drv',
          },
          statusFeedback: {
            values: [
              {
                name: 'moduleLoader.desiredNumber',
                fieldValue: { type: 'Integer', integer: opts.desired },
              },
              {
                name: 'moduleLoader.availableNumber',
                fieldValue: { type: 'Integer', integer: opts.availableNodes ?? opts.desired },
              },
            ],
          },
        },
      ],
    };
  }
  return w;
}
