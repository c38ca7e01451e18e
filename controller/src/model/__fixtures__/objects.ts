// Small valid objects for the model's unit tests; each test changes only what it is about.
import { KERNEL_VERSIONS_CLAIM } from '../constants';
import type {
  KernelMapping,
  ManagedCluster,
  ManagedClusterModule,
  ModuleLoaderContainerSpec,
} from '../types';

export function container(
  overrides: Partial<ModuleLoaderContainerSpec> = {},
): ModuleLoaderContainerSpec {
  return {
    modprobe: { moduleName: 'acme' },
    kernelMappings: [{ regexp: '^.+$', containerImage: 'quay.io/acme/mod:${KERNEL_FULL_VERSION}' }],
    ...overrides,
  };
}

export function mcm(
  name = 'acme',
  /** null: no moduleLoader (a device-plugin-only MCM) */
  containerSpec: ModuleLoaderContainerSpec | null = container(),
  selector: Record<string, string> = { gpu: 'acme' },
): ManagedClusterModule {
  return {
    apiVersion: 'hub.kmm.sigs.x-k8s.io/v1beta1',
    kind: 'ManagedClusterModule',
    metadata: { name, uid: `uid-${name}` },
    spec: {
      spokeNamespace: 'acme-ns',
      selector,
      moduleSpec: {
        selector: { 'node-role.kubernetes.io/worker': '' },
        ...(containerSpec ? { moduleLoader: { container: containerSpec } } : {}),
      },
    },
  };
}

export function mappings(...m: KernelMapping[]): ModuleLoaderContainerSpec {
  return container({ kernelMappings: m });
}

export function cluster(
  name: string,
  kernels: string[] | undefined,
  labels: Record<string, string> = { gpu: 'acme' },
): ManagedCluster {
  return {
    apiVersion: 'cluster.open-cluster-management.io/v1',
    kind: 'ManagedCluster',
    metadata: { name, labels },
    status: {
      clusterClaims: [
        { name: 'id.k8s.io', value: name },
        ...(kernels ? [{ name: KERNEL_VERSIONS_CLAIM, value: kernels.join('\n') }] : []),
      ],
    },
  };
}
