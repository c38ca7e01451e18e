// A small fleet covering every state the fleet status tab and the kernel matrix show, around one MCM
// (gpu-driver: regexp mappings for RHEL 9.4 and 9.6 kernels, build and sign on the 9.6 one) and one
// device-plugin-only MCM.
import type { ManagedClusterModule } from '../utils/model';
import { cluster, condition, manifestWork } from './builders';

export const EL94 = '5.14.0-427.13.1.el9_4.x86_64';
export const EL96 = '5.14.0-570.12.1.el9_6.x86_64';
export const EL8 = '4.18.0-553.el8_10.x86_64';

export const gpuDriver: ManagedClusterModule = {
  apiVersion: 'hub.kmm.sigs.x-k8s.io/v1beta1',
  kind: 'ManagedClusterModule',
  metadata: {
    name: 'gpu-driver',
    uid: 'uid-gpu-driver',
    generation: 3,
    creationTimestamp: '2026-04-01T08:00:00Z',
    labels: { team: 'accelerators' },
  },
  spec: {
    spokeNamespace: 'openshift-kmm',
    selector: { gpu: 'true' },
    moduleSpec: {
      selector: { 'feature.node.kubernetes.io/pci-10de.present': 'true' },
      moduleLoader: {
        container: {
          modprobe: { moduleName: 'gpu_driver' },
          containerImage: 'quay.io/acme/gpu-driver:$KERNEL_FULL_VERSION',
          kernelMappings: [
            // containerImage "" (required by the CRD) uses the container-level default image
            { regexp: '^.+\\.el9_4\\.x86_64$', containerImage: '' },
            {
              regexp: '^.+\\.el9_6\\.x86_64$',
              containerImage: 'quay.io/acme/gpu-driver-signed:$KERNEL_FULL_VERSION',
              build: { dockerfileConfigMap: { name: 'gpu-driver-dockerfile' } },
              sign: {
                keySecret: { name: 'signing-key' },
                certSecret: { name: 'signing-cert' },
                filesToSign: ['/opt/lib/modules/$KERNEL_FULL_VERSION/gpu_driver.ko'],
              },
            },
          ],
        },
      },
    },
  },
  status: {
    numberDesired: 5,
    numberApplied: 3,
    numberDegraded: 1,
    observedGeneration: 3,
    conditions: [
      condition('Ready', 'False', 'ClustersDegraded', '1 of 5 clusters is degraded'),
      condition('Progressing', 'True', 'WaitingForImages', 'waiting for 1 image build'),
      condition('Degraded', 'True', 'ClustersDegraded', 'cluster-e: not available'),
    ],
    images: [
      {
        image: `quay.io/acme/gpu-driver:${EL94}`,
        kernelVersions: [EL94],
        clusters: 4,
        state: 'Ready',
        digest: 'sha256:' + 'a'.repeat(64),
        build: false,
        sign: false,
      },
      {
        image: `quay.io/acme/gpu-driver-signed:${EL96}`,
        kernelVersions: [EL96],
        clusters: 1,
        state: 'Building',
        build: true,
        sign: true,
        reason: 'BuildRunning',
        message: 'build job gpu-driver-build-7f3a is running',
      },
    ],
  },
};

export const devicePlugin: ManagedClusterModule = {
  apiVersion: 'hub.kmm.sigs.x-k8s.io/v1beta1',
  kind: 'ManagedClusterModule',
  metadata: { name: 'gpu-device-plugin', uid: 'uid-dp', creationTimestamp: '2026-04-02T08:00:00Z' },
  spec: {
    spokeNamespace: 'openshift-kmm',
    selector: {},
    moduleSpec: {
      selector: { 'node-role.kubernetes.io/worker': '' },
      devicePlugin: { container: { image: 'quay.io/acme/gpu-device-plugin:1.2.0' } },
    },
  },
};

const img = (kernel: string) => `quay.io/acme/gpu-driver:${kernel}@sha256:${'a'.repeat(64)}`;

export const clusters = [
  // loaded on every node
  cluster('cluster-a', { labels: { gpu: 'true', region: 'eu' }, kernels: [EL94] }),
  // EL94 sent and applied, counters not reported yet; EL96 waiting for its build
  cluster('cluster-b', { labels: { gpu: 'true', region: 'us' }, kernels: [EL94, EL96 + '+'] }),
  // no kernel claim: KMM not installed in managed mode
  cluster('cluster-c', { labels: { gpu: 'true', region: 'eu' } }),
  // a kernel no mapping matches
  cluster('cluster-d', { labels: { gpu: 'true', region: 'us' }, kernels: [EL8] }),
  // unavailable, and its ManifestWork is not applied
  cluster('cluster-e', {
    labels: { gpu: 'true', region: 'eu' },
    kernels: [EL94],
    available: 'Unknown',
  }),
  // not selected by gpu-driver
  cluster('cluster-f', { labels: { region: 'eu' }, kernels: [EL94] }),
];

export const works = [
  manifestWork(gpuDriver, 'cluster-a', {
    mappings: [{ literal: EL94, containerImage: img(EL94) }],
    applied: 'True',
    available: 'True',
    moduleLoader: { desired: 3, available: 3 },
    updated: '2026-05-02T09:00:00Z',
  }),
  // applied, the work agent has not fed back the Module's counters yet
  manifestWork(gpuDriver, 'cluster-b', {
    mappings: [{ literal: EL94, containerImage: img(EL94) }],
    applied: 'True',
    available: 'True',
  }),
  manifestWork(gpuDriver, 'cluster-e', {
    mappings: [{ literal: EL94, containerImage: img(EL94) }],
    applied: 'False',
    available: 'Unknown',
    applyError:
      'admission webhook "vmodule.kb.io" denied the request: failed to validate kernel mappings',
  }),
  manifestWork(devicePlugin, 'cluster-a', { applied: 'True', available: 'True' }),
];
