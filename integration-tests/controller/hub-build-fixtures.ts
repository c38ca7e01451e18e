// What the hub-build suites share: the inputs a build-and-sign MCM refers to, that MCM, the controller's image
// settings against the test registry, the fleet's common kernels, and the images a ManifestWork carries.
import type { Sandbox } from 'kmm-hub-sandbox';
import type { ManagedClusterModule, ManifestWork } from 'kmm-hub-controller/model';
import type { TestRegistry } from '../registry/docker-registry';
import { NAMESPACE, type Hub } from './harness';

/**
 * Creates the ConfigMap and Secrets a build-and-sign MCM refers to, in the controller's namespace; `material` is
 * the signing key and certificate the Secrets hold.
 */
export async function createBuildInputs(
  hub: Hub,
  material: { key: string; cert: string } = { key: 'not a real key', cert: 'not a real cert' },
): Promise<void> {
  await hub.core.createNamespacedConfigMap({
    namespace: NAMESPACE,
    body: {
      metadata: { name: 'drv-dockerfile' },
      data: { dockerfile: 'FROM scratch\nCOPY drv.ko /opt/lib/modules/\n' },
    },
  });
  for (const [name, k] of [
    ['signing-key', 'key'],
    ['signing-cert', 'cert'],
  ] as const)
    await hub.core.createNamespacedSecret({
      namespace: NAMESPACE,
      body: {
        metadata: { name },
        type: 'Opaque',
        data: { [k]: Buffer.from(material[k]).toString('base64') },
      },
    });
}

/**
 * The `n` kernels most clusters of the hub run, and which clusters run each: only clusters with KMM, the ones
 * that claim their kernels and get a ManifestWork.
 */
export function commonKernels(sandbox: Sandbox, n: number): Map<string, string[]> {
  const holders = new Map<string, string[]>();
  for (const c of sandbox.fleet.clusterNames()) {
    if (!sandbox.fleet.profile(c).kmm) continue;
    for (const k of sandbox.fleet.kernels(c)) holders.set(k, [...(holders.get(k) ?? []), c]);
  }
  return new Map(
    [...holders]
      .sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]))
      .slice(0, n)
      .sort((a, b) => a[0].localeCompare(b[0])),
  );
}

/**
 * An MCM for every cluster whose images for `kernels` must be built and signed on the hub (one build and one
 * sign Job per kernel), pushed to `repository` of the test registry.
 */
export function buildMcm(
  name: string,
  registry: TestRegistry,
  repository: string,
  kernels: string[],
): ManagedClusterModule {
  return {
    apiVersion: 'hub.kmm.sigs.x-k8s.io/v1beta1',
    kind: 'ManagedClusterModule',
    metadata: { name },
    spec: {
      spokeNamespace: 'openshift-kmm',
      selector: {},
      moduleSpec: {
        selector: { 'node-role.kubernetes.io/worker': '' },
        moduleLoader: {
          container: {
            modprobe: { moduleName: 'acme_drv' },
            registryTLS: { insecure: true },
            build: { dockerfileConfigMap: { name: 'drv-dockerfile' } },
            sign: {
              keySecret: { name: 'signing-key' },
              certSecret: { name: 'signing-cert' },
              filesToSign: ['/opt/lib/modules/drv.ko'],
            },
            kernelMappings: kernels.map((k) => ({
              literal: k,
              containerImage: `${registry.host}/${repository}:\${KERNEL_FULL_VERSION}`,
            })),
          },
        },
      },
    },
  };
}

/** The image settings of a controller that checks, builds and signs against the test registry. */
export const BUILD_IMAGES = {
  pinDigests: true,
  builderImage: 'example.com/kaniko:test',
  signerImage: 'example.com/signer:test',
  registryTimeoutMs: 2000,
  recheckIntervalMs: 1000,
  succeededJobTtlMs: 600_000,
  registryConcurrency: 4,
};

/** The kernel -> image pairs a ManifestWork carries. */
export function mappingsOf(work: ManifestWork | undefined): Map<string, string> {
  const module = work?.spec.workload.manifests[0] as
    | {
        spec?: {
          moduleLoader?: {
            container?: { kernelMappings?: { literal: string; containerImage: string }[] };
          };
        };
      }
    | undefined;
  return new Map(
    (module?.spec?.moduleLoader?.container?.kernelMappings ?? []).map((m) => [
      m.literal,
      m.containerImage,
    ]),
  );
}
