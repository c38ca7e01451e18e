// A generated fleet the size the kernel matrix must handle (3,500 clusters, 30 kernel versions), built
// deterministically from the cluster index so tests can say exactly what each cell must show.
import type { ManagedCluster, ManifestWork } from '../utils/model';
import { cluster, manifestWork } from './builders';
import { gpuDriver } from './fleet';

/** 30 RHCOS-like kernels: 10 each of RHEL 9.2 (no mapping in gpu-driver), 9.4 and 9.6. */
export const KERNEL_POOL: string[] = ['el9_2', 'el9_4', 'el9_6'].flatMap((minor, m) =>
  Array.from(
    { length: 10 },
    (_, i) => `5.14.0-${284 + m * 143 + i * 3}.${i + 1}.1.${minor}.x86_64`,
  ),
);

export type LargeFleet = { clusters: ManagedCluster[]; works: ManifestWork[] };

/** Kernels of cluster i: one pool kernel, and every 4th cluster a second one (a node pool mid-upgrade). */
export const kernelsOfCluster = (i: number): string[] => {
  const first = KERNEL_POOL[i % KERNEL_POOL.length] as string;
  if (i % 4 !== 0) return [first];
  return [first, KERNEL_POOL[(i + 7) % KERNEL_POOL.length] as string];
};

export const largeFleet = (count = 3500): LargeFleet => {
  const clusters: ManagedCluster[] = [];
  const works: ManifestWork[] = [];
  for (let i = 0; i < count; i++) {
    const name = `cluster-${String(i).padStart(4, '0')}`;
    // every 50th cluster has no kernel claim yet
    const kernels = i % 50 === 49 ? undefined : kernelsOfCluster(i);
    clusters.push(
      cluster(name, {
        labels: { gpu: 'true', region: i % 2 ? 'us' : 'eu' },
        ...(kernels ? { kernels } : {}),
      }),
    );
    const mapped = (kernels ?? []).filter((k) => !k.includes('el9_2'));
    if (mapped.length > 0) {
      works.push(
        manifestWork(gpuDriver, name, {
          mappings: mapped.map((k) => ({
            literal: k,
            containerImage: `quay.io/acme/gpu-driver:${k}`,
          })),
          applied: 'True',
          available: 'True',
          moduleLoader: { desired: 3, available: 3 },
        }),
      );
    }
  }
  return { clusters, works };
};
