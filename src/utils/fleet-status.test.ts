import { cluster, manifestWork } from '../__fixtures__/builders';
import { EL94, gpuDriver } from '../__fixtures__/fleet';
import { summaryOf } from '../test-utils/fake-controller';
import { clusterModuleStatus, groupFailureCauses, indexMcm } from './fleet-status';
import { decodeFleetSummary, type ManagedClusterModule } from './model';

// Each cause as OCM's work agent reports it on the Module manifest's Applied condition: a spokeNamespace
// that does not exist, a spoke without KMM's Module kind, and an update the spoke KMM's webhook refuses.
const NO_NAMESPACE = 'namespaces "openshift-kmm" not found';
const NO_KIND = `the server doesn't have a resource type "Module"`;
const REFUSED =
  'admission webhook "vmodule.kb.io" denied the request: cannot update to or from an empty version; ' +
  'please delete the Module and create it again';
const WEBHOOK_RULE =
  'admission webhook "vmodule.kb.io" denied the request: failed to validate kernel mappings: ' +
  'regexp or literal must be set at kernelMappings[0]';

const mcm: ManagedClusterModule = { ...gpuDriver, spec: { ...gpuDriver.spec, selector: {} } };
const mapping = [{ literal: EL94, containerImage: `quay.io/acme/gpu-driver:${EL94}` }];

function statuses(errors: Record<string, string | undefined>) {
  const names = Object.keys(errors);
  const clusters = names.map((n) => cluster(n, { kernels: [EL94] }));
  const works = names.map((n) =>
    errors[n]
      ? manifestWork(mcm, n, {
          mappings: mapping,
          applied: 'False',
          available: 'Unknown',
          applyError: errors[n],
        })
      : manifestWork(mcm, n, {
          mappings: mapping,
          applied: 'True',
          available: 'True',
          moduleLoader: { desired: 2, available: 2 },
        }),
  );
  // as the fleet status tab reads it: from the fleet summary the controller publishes
  const index = indexMcm(mcm);
  return decodeFleetSummary(summaryOf(mcm, clusters, works).fleet).map((facts) =>
    clusterModuleStatus(index, facts),
  );
}

describe('groupFailureCauses', () => {
  it('groups the failed clusters by explained cause, largest group first, and leaves healthy ones out', () => {
    const groups = groupFailureCauses(
      statuses({
        'c-01': NO_KIND,
        'c-02': REFUSED,
        'c-03': NO_KIND,
        'c-04': undefined,
        'c-05': NO_NAMESPACE,
        'c-06': NO_KIND,
        'c-07': REFUSED,
        'c-08': WEBHOOK_RULE,
      }),
    );
    expect(groups).toEqual([
      {
        cause:
          'KMM is not installed on the spoke (it has no Module kind): install KMM there in managed mode (KMM_MANAGED=1)',
        clusters: ['c-01', 'c-03', 'c-06'],
      },
      {
        cause:
          "the spoke's KMM webhook refuses to add or remove moduleLoader.container.version on an existing " +
          'Module: delete the ManagedClusterModule and create it again with the version, or undo the change',
        clusters: ['c-02', 'c-07'],
      },
      {
        cause: 'namespace openshift-kmm does not exist on the spoke: KMM is not installed there',
        clusters: ['c-05'],
      },
      {
        cause:
          "the spoke's KMM webhook refuses the Module: failed to validate kernel mappings: regexp or literal " +
          'must be set at kernelMappings[0]',
        clusters: ['c-08'],
      },
    ]);
    // never the work agent's generic words
    expect(JSON.stringify(groups)).not.toContain('Failed to apply manifest');
  });

  it('is empty for a healthy fleet', () => {
    expect(groupFailureCauses(statuses({ a: undefined, b: undefined }))).toEqual([]);
  });
});
