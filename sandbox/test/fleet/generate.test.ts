import {
  clusterName,
  FLEET_SHARES,
  generateCluster,
  GPU_NODE_LABEL,
  kernelPool,
} from '../../src/fleet/generate';
import { clusterClaims, clusterLabels, kernelClaimValue } from '../../src/fleet/managed-cluster';
import { KERNEL_POOL, RELEASES } from '../../src/fleet/openshift-releases';

const fleet = (seed: number, n: number) =>
  Array.from({ length: n }, (_, i) => generateCluster(seed, i + 1));

describe('fleet generation', () => {
  it('names clusters cluster-0001, cluster-0002, ...', () => {
    expect(clusterName(1)).toBe('cluster-0001');
    expect(clusterName(3500)).toBe('cluster-3500');
    expect(clusterName(12345)).toBe('cluster-12345');
    expect(generateCluster(7, 42).name).toBe('cluster-0042');
  });

  it('is deterministic for a seed and independent of fleet size', () => {
    expect(fleet(7, 50)).toEqual(fleet(7, 50));
    expect(generateCluster(7, 30)).toEqual(fleet(7, 30)[29]);
    const other = fleet(8, 50);
    expect(other.map((c) => c.clusterId)).not.toEqual(fleet(7, 50).map((c) => c.clusterId));
  });

  it('with a kernel count, runs exactly that many distinct kernels and changes nothing else', () => {
    const n = 30;
    const clusters = Array.from({ length: 3500 }, (_, i) =>
      generateCluster(1, i + 1, { kernels: n }),
    );
    const kernels = new Set(clusters.flatMap((c) => c.nodes.map((node) => node.kernelVersion)));
    expect(kernels.size).toBe(n);
    expect([...kernels].sort()).toEqual(kernelPool(n).sort());
    for (const c of clusters.slice(0, 200))
      for (const node of c.nodes)
        expect(node.kernelVersion.endsWith(node.arch === 'amd64' ? '.x86_64' : '.aarch64')).toBe(
          true,
        );
    // a mid-upgrade cluster still runs two kernels
    expect(
      clusters.some((c) => new Set(c.nodes.map((node) => node.kernelVersion)).size === 2),
    ).toBe(true);
    const plain = generateCluster(1, 17);
    const narrowed = generateCluster(1, 17, { kernels: n });
    const withoutKernels = (c: typeof plain) => ({
      ...c,
      nodes: c.nodes.map(({ kernelVersion: _k, labels, ...rest }) => ({
        ...rest,
        labels: Object.fromEntries(
          Object.entries(labels).filter(([key]) => !key.includes('kernel-version')),
        ),
      })),
    });
    expect(withoutKernels(narrowed)).toEqual(withoutKernels(plain));
    expect(kernelPool(60)).toHaveLength(60);
    expect(new Set(kernelPool(60)).size).toBe(60);
    expect(() => kernelPool(1)).toThrow('kernels must be a whole number >= 2, got 1');
  });

  it('draws kernels from the RHCOS pool, with 3 to 10 nodes per cluster', () => {
    for (const cluster of fleet(1, 300)) {
      expect(cluster.nodes.length).toBeGreaterThanOrEqual(3);
      expect(cluster.nodes.length).toBeLessThanOrEqual(10);
      for (const node of cluster.nodes) {
        expect(KERNEL_POOL).toContain(node.kernelVersion);
        expect(node.kernelVersion.endsWith(node.arch === 'amd64' ? '.x86_64' : '.aarch64')).toBe(
          true,
        );
        expect(node.labels['kubernetes.io/arch']).toBe(node.arch);
      }
    }
    expect(KERNEL_POOL).toContain('5.14.0-427.13.1.el9_4.x86_64');
    expect(KERNEL_POOL).toContain('5.14.0-570.12.1.el9_6.x86_64');
    expect(KERNEL_POOL.some((k) => k.endsWith('.aarch64'))).toBe(true);
    expect(new Set(RELEASES.map((r) => r.kernel)).size).toBeGreaterThanOrEqual(20);
  });

  it('has realistic shares: GPU clusters, clusters without KMM, clusters mid-upgrade, arm64', () => {
    const clusters = fleet(3, 2000);
    const share = (pred: (c: (typeof clusters)[number]) => boolean) =>
      clusters.filter(pred).length / clusters.length;
    const kernels = (c: (typeof clusters)[number]) => new Set(c.nodes.map((n) => n.kernelVersion));
    expect(share((c) => c.gpu)).toBeGreaterThan(0.1);
    expect(share((c) => c.gpu)).toBeLessThan(0.3);
    expect(share((c) => !c.kmm)).toBeGreaterThan(FLEET_SHARES.withoutKmm / 2);
    expect(share((c) => !c.kmm)).toBeLessThan(FLEET_SHARES.withoutKmm * 2);
    // Mid-upgrade clusters run exactly two kernels; the rest one.
    expect(clusters.every((c) => kernels(c).size <= 2)).toBe(true);
    expect(share((c) => kernels(c).size === 2)).toBeGreaterThan(0.05);
    expect(share((c) => c.nodes[0]?.arch === 'arm64')).toBeGreaterThan(0.02);
    expect(new Set(clusters.map((c) => c.cloud))).toEqual(
      new Set(['Amazon', 'Azure', 'Google', 'VSphere', 'BareMetal']),
    );
  });

  it('labels GPU nodes only on GPU clusters, and taints dedicated control-plane nodes', () => {
    for (const cluster of fleet(5, 300)) {
      const gpuNodes = cluster.nodes.filter((n) => n.labels[GPU_NODE_LABEL] === 'true');
      if (cluster.gpu) expect(gpuNodes.length).toBeGreaterThan(0);
      else expect(gpuNodes).toEqual([]);
      const workers = cluster.nodes.filter(
        (n) => n.labels['node-role.kubernetes.io/worker'] !== undefined,
      );
      expect(workers.length).toBeGreaterThan(0);
      for (const node of cluster.nodes) {
        const dedicatedMaster =
          node.labels['node-role.kubernetes.io/master'] !== undefined &&
          node.labels['node-role.kubernetes.io/worker'] === undefined;
        expect(node.taints.length > 0).toBe(dedicatedMaster);
      }
    }
  });
});

describe('ManagedCluster labels and claims', () => {
  const clusters = fleet(11, 400);

  it('carries the labels ACM sets, gpu=true only on GPU clusters', () => {
    for (const c of clusters) {
      const labels = clusterLabels(c);
      expect(labels).toMatchObject({
        name: c.name,
        cloud: c.cloud,
        vendor: 'OpenShift',
        region: c.region,
        openshiftVersion: c.release.version,
        'cluster.open-cluster-management.io/clusterset': c.clusterSet,
      });
      expect(labels.gpu).toBe(c.gpu ? 'true' : undefined);
    }
  });

  it('publishes the kernel claim exactly as the spoke KMM does, and none without KMM', () => {
    const upgrading = clusters.find(
      (c) => c.kmm && new Set(c.nodes.map((n) => n.kernelVersion)).size === 2,
    );
    if (!upgrading) throw new Error('the seed has no KMM cluster mid-upgrade');
    const distinct = [...new Set(upgrading.nodes.map((n) => n.kernelVersion))].sort();
    const claim = clusterClaims(upgrading, upgrading.nodes).find(
      (c) => c.name === 'kernel-versions.kmm.node.kubernetes.io',
    );
    expect(claim?.value).toBe(`${distinct[0]}\n${distinct[1]}`);

    const withoutKmm = clusters.find((c) => !c.kmm);
    if (!withoutKmm) throw new Error('the seed has no cluster without KMM');
    expect(clusterClaims(withoutKmm, withoutKmm.nodes).map((c) => c.name)).not.toContain(
      'kernel-versions.kmm.node.kubernetes.io',
    );
  });

  it('sorts kernels byte-wise and removes duplicates', () => {
    const node = (kernelVersion: string) =>
      ({ kernelVersion }) as Parameters<typeof kernelClaimValue>[0][number];
    expect(
      kernelClaimValue([
        node('5.14.0-570.12.1.el9_6.x86_64'),
        node('5.14.0-427.13.1.el9_4.x86_64'),
        node('5.14.0-570.12.1.el9_6.x86_64'),
        node('5.14.0-284.100.1.el9_2.x86_64'),
        node('5.14.0-284.48.1.el9_2.x86_64'),
      ]),
    ).toBe(
      [
        '5.14.0-284.100.1.el9_2.x86_64',
        '5.14.0-284.48.1.el9_2.x86_64',
        '5.14.0-427.13.1.el9_4.x86_64',
        '5.14.0-570.12.1.el9_6.x86_64',
      ].join('\n'),
    );
  });

  it('reports the usual OCM and OpenShift claims, sorted by name', () => {
    const claims = clusterClaims(clusters[0]!, clusters[0]!.nodes);
    const names = claims.map((c) => c.name);
    expect(names).toEqual([...names].sort());
    for (const name of [
      'id.k8s.io',
      'platform.open-cluster-management.io',
      'product.open-cluster-management.io',
      'kubeversion.open-cluster-management.io',
      'version.openshift.io',
    ]) {
      expect(names).toContain(name);
    }
  });
});
