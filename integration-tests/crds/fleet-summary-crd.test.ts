// The fleet summary CRD holds what the controller writes, whole: at fleet scale it validates, nothing is
// pruned, the sandbox serves it (kubectl creates, lists and reads it back unchanged), and deleting the MCM
// collects it.
import {
  fleetSummaryObject,
  fleetSummaryOf,
  KERNEL_VERSIONS_CLAIM,
  planManagedClusterModule,
  type ManagedCluster,
  type ManagedClusterModule,
  type ManifestWork,
} from 'kmm-hub-controller/model';
import { prune, validate } from 'kmm-hub-sandbox/schema';
import { waitFor } from '../helpers';
import { startKubectlEnv, type KubectlEnv } from '../kubectl/harness';
import { fleetSummarySchema } from './crd-schemas';

jest.setTimeout(120_000);

const MCM: ManagedClusterModule = {
  apiVersion: 'hub.kmm.sigs.x-k8s.io/v1beta1',
  kind: 'ManagedClusterModule',
  metadata: { name: 'drv', generation: 1 },
  spec: {
    spokeNamespace: 'kmm-drv',
    selector: {},
    moduleSpec: {
      selector: {},
      moduleLoader: {
        container: {
          modprobe: { moduleName: 'drv' },
          kernelMappings: [
            { regexp: '^5\\.14', containerImage: 'quay.io/acme/drv:${KERNEL_FULL_VERSION}' },
          ],
        },
      },
    },
  },
};

/** 3,500 clusters on 30 kernels (a few without KMM, some unavailable), every work reported, some degraded. */
function fleet(): { clusters: ManagedCluster[]; works: Map<string, ManifestWork> } {
  const kernels = Array.from({ length: 30 }, (_, i) =>
    i % 6 === 5 ? `4.18.0-${i}.el8.x86_64` : `5.14.0-${427 + i}.13.1.el9_4.x86_64`,
  );
  const clusters = Array.from({ length: 3500 }, (_, i): ManagedCluster => {
    const name = `cluster-${String(i + 1).padStart(4, '0')}`;
    return {
      apiVersion: 'cluster.open-cluster-management.io/v1',
      kind: 'ManagedCluster',
      metadata: { name, labels: { name, region: `r${i % 9}`, gpu: String(i % 5 === 0) } },
      status: {
        conditions: [
          { type: 'ManagedClusterConditionAvailable', status: i % 97 === 0 ? 'Unknown' : 'True' },
        ],
        clusterClaims:
          i % 40 === 0 ? [] : [{ name: KERNEL_VERSIONS_CLAIM, value: kernels[i % 30] as string }],
      },
    };
  });
  const plan = planManagedClusterModule(MCM, clusters);
  const works = new Map(
    plan.manifestWorks.map((w, i) => {
      const degraded = i % 50 === 0;
      const reported: ManifestWork = {
        ...w,
        status: {
          conditions: [
            {
              type: 'Applied',
              status: degraded ? 'False' : 'True',
              reason: degraded ? 'AppliedManifestWorkFailed' : 'AppliedManifestWorkComplete',
              message: degraded ? 'Failed to apply manifest work' : 'Apply manifest work complete',
              lastTransitionTime: '2026-12-04T22:00:00Z',
            },
          ],
        },
      };
      return [w.metadata.namespace ?? '', reported];
    }),
  );
  return { clusters, works };
}

const summary = () => {
  const { clusters, works } = fleet();
  const byName = new Map(clusters.map((c) => [c.metadata.name ?? '', c]));
  return fleetSummaryObject(
    { ...MCM, metadata: { ...MCM.metadata, uid: 'uid-drv' } },
    fleetSummaryOf({
      mcm: MCM,
      plan: planManagedClusterModule(MCM, clusters),
      clusterByName: (n) => byName.get(n),
      workOf: (n) => works.get(n),
    }),
  );
};

describe('the ManagedClusterModuleFleetSummary CRD', () => {
  it('validates a 3,500-cluster summary and prunes nothing of it', () => {
    const object = summary();
    expect(object.fleet.clusters).toHaveLength(3500);
    expect(object.fleet.clusters.some((c) => c.s && c.a && c.w === undefined)).toBe(true);
    expect(object.fleet.clusters.some((c) => c.w?.dr)).toBe(true);
    const schema = fleetSummarySchema();
    expect(validate(schema, object, { skipRootMetadata: true })).toEqual([]);
    const pruned = prune(schema, object);
    expect(pruned.unknownFields).toEqual([]);
    expect(pruned.value).toEqual(object);
  });

  it('rejects a row without a name and an unknown availability code, naming the field', () => {
    const object = summary();
    const bad = {
      ...object,
      fleet: { ...object.fleet, clusters: [{ k: [0] }, { n: 'x', a: 'Maybe' }] },
    };
    const errors = validate(fleetSummarySchema(), bad, { skipRootMetadata: true });
    expect(errors.map((e) => e.field)).toEqual(
      expect.arrayContaining(['fleet.clusters[0].n', 'fleet.clusters[1].a']),
    );
  });

  describe('served by the sandbox', () => {
    let env: KubectlEnv;
    beforeAll(async () => {
      env = await startKubectlEnv();
    });
    afterAll(() => env?.stop());

    it('is created, listed by its short name and read back whole; the MCM’s deletion collects it', async () => {
      await env.ok(['create', '-f', '-'], JSON.stringify(MCM));
      const mcm = JSON.parse(
        await env.ok(['get', 'mcm', 'drv', '-o', 'json']),
      ) as ManagedClusterModule;
      const object = summary();
      object.metadata.ownerReferences![0]!.uid = mcm.metadata.uid!;
      await env.ok(['create', '-f', '-'], JSON.stringify(object));
      expect(await env.ok(['get', 'mcmfs', '-o', 'name'])).toBe(
        'managedclustermodulefleetsummary.hub.kmm.sigs.x-k8s.io/drv\n',
      );
      // the fleet part only: kubectl's indented JSON of the whole object exceeds execFile's 1 MiB buffer
      const stored = JSON.parse(await env.ok(['get', 'mcmfs', 'drv', '-o', 'jsonpath={.fleet}']));
      expect(stored).toEqual(object.fleet);
      await env.ok(['delete', 'mcm', 'drv']);
      await waitFor('the summary collected', async () =>
        (await env.kubectl(['get', 'mcmfs', 'drv'])).stderr.includes('NotFound'),
      );
    });
  });
});
