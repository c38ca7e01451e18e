// The fleet against the real sandbox API server, observed only through the API with client-node.
import { startSandbox, type Sandbox } from '../../src';
import { clusterClaims, clusterLabels, generateCluster, kernelClaimValue } from '../../src/fleet';
import {
  claim,
  clients,
  condition,
  eventually,
  feedback,
  KERNEL_CLAIM,
  moduleWork,
} from './helpers';

// Generous limits: CI runs every suite in parallel on two cores; the waits below end as soon as they can.
jest.setTimeout(30_000);

const SEED = 5;
const CLUSTERS = 16;
// Seed 5's first 16 clusters include one without KMM, a KMM cluster mid-upgrade and GPU clusters.
const K_NEW = '5.14.0-570.12.1.el9_6.x86_64';

let sandbox: Sandbox;
let api: ReturnType<typeof clients>;

beforeAll(async () => {
  sandbox = await startSandbox({ clusters: CLUSTERS, seed: SEED, statusSyncIntervalMs: 40 });
  api = clients(sandbox.kubeconfig);
}, 30_000);

afterAll(async () => {
  await sandbox?.stop();
});

const fleet = () => sandbox.fleet;
const kmmClusters = () =>
  fleet()
    .clusterNames()
    .filter((c) => fleet().profile(c).kmm);
const upgrading = () => {
  const name = kmmClusters().find((c) => fleet().kernels(c).length === 2);
  if (!name) throw new Error(`seed ${SEED} has no KMM cluster mid-upgrade`);
  return name;
};
const workers = (cluster: string) =>
  fleet()
    .nodes(cluster)
    .filter((n) => n.labels['node-role.kubernetes.io/worker'] !== undefined);

describe('the simulated fleet on the hub', () => {
  it('registers every cluster with a namespace, labels, conditions and version', async () => {
    const clusters = await api.listClusters();
    expect(clusters.map((c) => c.metadata.name).sort()).toEqual(
      Array.from({ length: CLUSTERS }, (_, i) => `cluster-${String(i + 1).padStart(4, '0')}`),
    );
    for (const c of clusters) {
      const profile = fleet().profile(c.metadata.name ?? '');
      expect(c.metadata.labels).toMatchObject({
        name: profile.name,
        cloud: profile.cloud,
        vendor: 'OpenShift',
        region: profile.region,
        'cluster.open-cluster-management.io/clusterset': profile.clusterSet,
      });
      expect(c.metadata.labels?.gpu).toBe(profile.gpu ? 'true' : undefined);
      expect(c.spec?.hubAcceptsClient).toBe(true);
      expect(condition(c.status?.conditions, 'ManagedClusterConditionAvailable')).toMatchObject({
        status: 'True',
        reason: 'ManagedClusterAvailable',
      });
      expect(condition(c.status?.conditions, 'ManagedClusterJoined')?.status).toBe('True');
      expect(condition(c.status?.conditions, 'HubAcceptedManagedCluster')?.reason).toBe(
        'HubClusterAdminAccepted',
      );
      expect(c.status?.version?.kubernetes).toMatch(/^v1\.\d+\.\d+\+[0-9a-f]{7}$/);
      const ns = await api.core.readNamespace({ name: profile.name });
      expect(ns.metadata?.labels?.['open-cluster-management.io/cluster-name']).toBe(profile.name);
    }
    expect(clusters.filter((c) => c.metadata.labels?.gpu === 'true').length).toBeGreaterThan(0);
  });

  it('publishes kernel claims exactly as the spoke KMM does, and none without KMM', async () => {
    const clusters = await api.listClusters();
    for (const c of clusters) {
      const name = c.metadata.name ?? '';
      const expected = fleet().profile(name).kmm
        ? [
            ...new Set(
              fleet()
                .nodes(name)
                .map((n) => n.kernelVersion),
            ),
          ]
            .sort()
            .join('\n')
        : undefined;
      expect(claim(c, KERNEL_CLAIM)).toBe(expected);
    }
    expect(clusters.some((c) => claim(c, KERNEL_CLAIM) === undefined)).toBe(true);
    expect(claim(await api.getCluster(upgrading()), KERNEL_CLAIM)?.split('\n')).toHaveLength(2);
  });

  it('is the same fleet for the same seed, and another for another seed', async () => {
    const same = await startSandbox({ clusters: 3, seed: SEED });
    try {
      const view = async (s: Sandbox) =>
        (await clients(s.kubeconfig).listClusters())
          .sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''))
          .map((c) => ({ labels: c.metadata.labels, claims: c.status?.clusterClaims }));
      const mine = (await view(sandbox)).slice(0, 3);
      expect(await view(same)).toEqual(mine);
      const otherSeed = [1, 2, 3].map((i) => {
        const profile = generateCluster(SEED + 1, i);
        return { labels: clusterLabels(profile), claims: clusterClaims(profile, profile.nodes) };
      });
      expect(otherSeed).not.toEqual(mine);
    } finally {
      await same.stop();
    }
  }, 30_000);

  it('updates the claim after a kernel upgrade', async () => {
    const name = upgrading();
    const [oldKernel, newKernel] = fleet().kernels(name);
    expect(await fleet().upgradeKernel(name, oldKernel, newKernel as string)).toBeGreaterThan(0);
    expect(fleet().kernels(name)).toEqual([newKernel]);
    expect(claim(await api.getCluster(name), KERNEL_CLAIM)).toBe(newKernel);
    await expect(fleet().upgradeKernel(name, 'no-such-kernel', K_NEW)).rejects.toThrow(
      `no node of ${name} runs kernel "no-such-kernel"`,
    );
  });

  it('relabels a cluster', async () => {
    const name = fleet().clusterNames()[0] as string;
    await fleet().relabel(name, { tier: 'gold', region: null });
    const labels = (await api.getCluster(name)).metadata.labels ?? {};
    expect(labels.tier).toBe('gold');
    expect(labels.region).toBeUndefined();
    expect(labels.name).toBe(name);
  });
});

describe('the work agent', () => {
  it('applies a valid Module and reports Applied, Available and the feedback values', async () => {
    const name = kmmClusters()[1] as string;
    const kernel = fleet().kernels(name)[0] as string;
    await api.createWork(
      moduleWork(name, 'gpu-driver', [{ literal: kernel, containerImage: 'quay.io/acme/gpu:1' }]),
    );
    const expectedMatching = workers(name).length;
    const expectedDesired = workers(name).filter((n) => n.kernelVersion === kernel).length;
    const work = await eventually(async () => {
      const w = await api.getWork(name, 'gpu-driver');
      expect(feedback(w).availableNumber).toBe(expectedDesired);
      return w;
    });
    expect(work.metadata.finalizers).toContain(
      'cluster.open-cluster-management.io/manifest-work-cleanup',
    );
    expect(condition(work.status?.conditions, 'Applied')).toMatchObject({
      status: 'True',
      reason: 'AppliedManifestWorkComplete',
      observedGeneration: work.metadata.generation,
    });
    expect(condition(work.status?.conditions, 'Available')).toMatchObject({
      status: 'True',
      reason: 'ResourcesAvailable',
    });
    const manifest = work.status?.resourceStatus?.manifests?.[0];
    expect(manifest?.resourceMeta).toMatchObject({
      ordinal: 0,
      group: 'kmm.sigs.x-k8s.io',
      version: 'v1beta1',
      kind: 'Module',
      resource: 'modules',
      name: 'gpu-driver',
      namespace: 'openshift-kmm',
    });
    expect(manifest?.conditions?.map((c) => `${c.type}=${c.status}`)).toEqual([
      'Applied=True',
      'Available=True',
      'StatusFeedbackSynced=True',
    ]);
    expect(feedback(work)).toEqual({
      nodesMatchingSelectorNumber: expectedMatching,
      desiredNumber: expectedDesired,
      availableNumber: expectedDesired,
    });
    expect(fleet().spokeModule(name, 'gpu-driver')?.status).toEqual({
      moduleLoader: {
        nodesMatchingSelectorNumber: expectedMatching,
        desiredNumber: expectedDesired,
        availableNumber: expectedDesired,
      },
    });
  });

  it('reports fewer available nodes once an image cannot be pulled', async () => {
    const name = kmmClusters()[2] as string;
    const kernel = fleet().kernels(name)[0] as string;
    await api.createWork(
      moduleWork(name, 'nic', [{ literal: kernel, containerImage: 'quay.io/acme/nic:2' }]),
    );
    const desired = workers(name).length;
    await eventually(async () =>
      expect(feedback(await api.getWork(name, 'nic'))).toMatchObject({ availableNumber: desired }),
    );
    fleet().setImagePullable('quay.io/acme/nic:*', false);
    await eventually(async () => {
      const values = feedback(await api.getWork(name, 'nic'));
      expect(values.desiredNumber).toBe(desired);
      expect(values.availableNumber).toBeUndefined();
    });
    fleet().setImagePullable('quay.io/acme/nic:*', true);
  });

  it('rejects a Module with empty kernelMappings: Applied=False with the schema error', async () => {
    const name = kmmClusters()[3] as string;
    await api.createWork(moduleWork(name, 'broken', []));
    const work = await eventually(async () => {
      const w = await api.getWork(name, 'broken');
      expect(condition(w.status?.conditions, 'Applied')?.status).toBe('False');
      return w;
    });
    expect(condition(work.status?.conditions, 'Applied')?.reason).toBe('AppliedManifestWorkFailed');
    expect(
      condition(work.status?.resourceStatus?.manifests?.[0]?.conditions, 'Applied')?.message,
    ).toBe(
      'Failed to apply manifest: Module.kmm.sigs.x-k8s.io "broken" is invalid: spec.moduleLoader.container.kernelMappings: Invalid value: 0: spec.moduleLoader.container.kernelMappings in body should have at least 1 items',
    );
    expect(fleet().spokeModule(name, 'broken')).toBeUndefined();
  });

  it('fails on a cluster without KMM: the spoke has no Module kind', async () => {
    const name = fleet()
      .clusterNames()
      .find((c) => !fleet().profile(c).kmm) as string;
    await api.createWork(
      moduleWork(name, 'gpu-driver', [{ regexp: '.', containerImage: 'q/x:1' }]),
    );
    await eventually(async () =>
      expect(
        condition(
          (await api.getWork(name, 'gpu-driver')).status?.resourceStatus?.manifests?.[0]
            ?.conditions,
          'Applied',
        )?.message,
      ).toBe('Failed to apply manifest: the server doesn\'t have a resource type "Module"'),
    );
  });

  it('stops syncing while a cluster is offline and catches up when it is back', async () => {
    const name = kmmClusters()[4] as string;
    const kernel = fleet().kernels(name)[0] as string;
    await api.createWork(
      moduleWork(name, 'offline-test', [{ literal: kernel, containerImage: 'q/m:1' }]),
    );
    const desired = workers(name).length;
    await eventually(async () =>
      expect(feedback(await api.getWork(name, 'offline-test')).desiredNumber).toBe(desired),
    );

    await fleet().setOffline(name, true);
    const offline = await api.getCluster(name);
    expect(condition(offline.status?.conditions, 'ManagedClusterConditionAvailable')).toMatchObject(
      {
        status: 'Unknown',
        reason: 'ManagedClusterLeaseUpdateStopped',
      },
    );
    const claimBefore = claim(offline, KERNEL_CLAIM);
    await fleet().upgradeKernel(name, undefined, K_NEW);
    const before = await api.getWork(name, 'offline-test');
    await new Promise((r) => setTimeout(r, 400)); // ten sync intervals
    const after = await api.getWork(name, 'offline-test');
    expect(after.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
    expect(feedback(after).desiredNumber).toBe(desired);
    expect(claim(await api.getCluster(name), KERNEL_CLAIM)).toBe(claimBefore);

    await fleet().setOffline(name, false);
    const back = await api.getCluster(name);
    expect(condition(back.status?.conditions, 'ManagedClusterConditionAvailable')?.status).toBe(
      'True',
    );
    expect(claim(back, KERNEL_CLAIM)).toBe(K_NEW);
    await eventually(async () =>
      expect(feedback(await api.getWork(name, 'offline-test')).desiredNumber).toBeUndefined(),
    );
  });

  it('removes the spoke Module when the ManifestWork is deleted', async () => {
    const name = kmmClusters()[5] as string;
    const kernel = fleet().kernels(name)[0] as string;
    await api.createWork(
      moduleWork(name, 'doomed', [{ literal: kernel, containerImage: 'q/d:1' }]),
    );
    await eventually(() => expect(fleet().spokeModule(name, 'doomed')).toBeDefined());
    await eventually(async () =>
      expect((await api.getWork(name, 'doomed')).metadata.finalizers?.length).toBe(1),
    );
    await api.deleteWork(name, 'doomed');
    await eventually(async () => {
      await expect(api.getWork(name, 'doomed')).rejects.toMatchObject({ code: 404 });
    });
    expect(fleet().spokeModule(name, 'doomed')).toBeUndefined();
  });

  it('holds the deletion of a ManifestWork while its cluster is offline, and finishes it when back', async () => {
    const name = kmmClusters()[9] as string;
    const kernel = fleet().kernels(name)[0] as string;
    await api.createWork(moduleWork(name, 'held', [{ literal: kernel, containerImage: 'q/h:1' }]));
    await eventually(() => expect(fleet().spokeModule(name, 'held')).toBeDefined());
    await eventually(async () =>
      expect((await api.getWork(name, 'held')).metadata.finalizers?.length).toBe(1),
    );
    await fleet().setOffline(name, true);
    await api.deleteWork(name, 'held');
    await new Promise((r) => setTimeout(r, 200));
    expect((await api.getWork(name, 'held')).metadata.deletionTimestamp).toBeDefined();
    expect(fleet().spokeModule(name, 'held')).toBeDefined();
    await fleet().setOffline(name, false);
    await eventually(async () => {
      await expect(api.getWork(name, 'held')).rejects.toMatchObject({ code: 404 });
    });
    expect(fleet().spokeModule(name, 'held')).toBeUndefined();
  });

  it('changes the status sync interval', () => {
    fleet().setStatusSyncInterval(25);
    expect(fleet().statusSyncIntervalMs).toBe(25);
    expect(() => fleet().setStatusSyncInterval(0)).toThrow('must be a positive number');
  });
});

describe('the work agent under faults', () => {
  it('writes nothing while nothing changes', async () => {
    const name = kmmClusters()[6] as string;
    const kernel = fleet().kernels(name)[0] as string;
    await api.createWork(moduleWork(name, 'quiet', [{ literal: kernel, containerImage: 'q/q:1' }]));
    await eventually(async () =>
      expect(feedback(await api.getWork(name, 'quiet')).desiredNumber).toBeGreaterThan(0),
    );
    const writes = () => sandbox.audit.writes({ resource: 'manifestworks', namespace: name });
    const before = writes();
    await new Promise((r) => setTimeout(r, 20 * fleet().statusSyncIntervalMs));
    expect(writes()).toBe(before);
  });

  it('retries status writes the API server fails', async () => {
    const name = kmmClusters()[7] as string;
    const kernel = fleet().kernels(name)[0] as string;
    sandbox.faults.failNext({
      verb: 'patch',
      resource: 'manifestworks',
      namespace: name,
      count: 3,
      status: 503,
    });
    await api.createWork(moduleWork(name, 'flaky', [{ literal: kernel, containerImage: 'q/f:1' }]));
    const work = await eventually(async () => {
      const w = await api.getWork(name, 'flaky');
      expect(condition(w.status?.conditions, 'Available')?.status).toBe('True');
      return w;
    });
    expect(feedback(work).desiredNumber).toBeGreaterThan(0);
  });

  it('keeps serving after the API server drops every connection and forgets its watch history', async () => {
    sandbox.faults.compact();
    await sandbox.faults.restart();
    const name = kmmClusters()[8] as string;
    const kernel = fleet().kernels(name)[0] as string;
    // This test's own client had its kept-alive connection cut too: its first request may fail.
    await eventually(() =>
      api.createWork(moduleWork(name, 'survivor', [{ literal: kernel, containerImage: 'q/s:1' }])),
    );
    await eventually(async () => {
      const w = await api.getWork(name, 'survivor');
      expect(condition(w.status?.conditions, 'Applied')?.status).toBe('True');
    }, 15_000);
    await fleet().upgradeKernel(name, undefined, K_NEW);
    expect(claim(await api.getCluster(name), KERNEL_CLAIM)).toBe(K_NEW);
  }, 20_000);
});

describe('adding and removing clusters', () => {
  it('adds clusters with new names and removes one as OCM detaches it', async () => {
    const added = await fleet().addClusters(2);
    expect(added).toEqual(['cluster-0017', 'cluster-0018']);
    const c = await api.getCluster('cluster-0017');
    expect(claim(c, KERNEL_CLAIM) ?? '').toBe(
      fleet().profile('cluster-0017').kmm ? kernelClaimValue(fleet().nodes('cluster-0017')) : '',
    );

    const victim = kmmClusters()[1] as string; // has the gpu-driver work with its finalizer
    await fleet().removeCluster(victim);
    await expect(api.getCluster(victim)).rejects.toMatchObject({ code: 404 });
    await eventually(async () => {
      await expect(api.core.readNamespace({ name: victim })).rejects.toMatchObject({ code: 404 });
    });
    expect(fleet().clusterNames()).not.toContain(victim);
    expect(() => fleet().nodes(victim)).toThrow(`no cluster named "${victim}"`);
    expect((await fleet().addClusters(1))[0]).toBe('cluster-0019');
  });
});
