import { decideConditions, type StatusFacts } from './conditions';
import { applyFailureCauses, explainApplyError } from './failure-causes';
import type { ManifestWork } from './types';
import { workState } from './workstatus';

// What the spoke said when it refused a ManifestWork, as OCM's work agent reports it on each manifest, turned
// into what to do, and grouped by cause across the fleet.

/** A work the agent failed to apply: the work's generic condition, the spoke's error on the manifest. */
function failed(cluster: string, error: string): ManifestWork {
  return {
    apiVersion: 'work.open-cluster-management.io/v1',
    kind: 'ManifestWork',
    metadata: { name: 'acme', namespace: cluster, generation: 1 },
    spec: { workload: { manifests: [] } },
    status: {
      conditions: [
        {
          type: 'Applied',
          status: 'False',
          reason: 'AppliedManifestWorkFailed',
          message: 'Failed to apply manifest work',
        },
      ],
      resourceStatus: {
        manifests: [
          {
            resourceMeta: { ordinal: 0, kind: 'Module', name: 'm', namespace: 'kmm-e2e' },
            conditions: [
              {
                type: 'Applied',
                status: 'False',
                reason: 'AppliedManifestFailed',
                message: `Failed to apply manifest: ${error}`,
              },
            ],
          },
        ],
      },
    },
  };
}

const NAMESPACE = 'namespaces "kmm-e2e" not found';
const NO_KMM = 'the server doesn\'t have a resource type "Module"';
const NO_KMM_MAPPER = 'no matches for kind "Module" in version "kmm.sigs.x-k8s.io/v1beta1"';
const WEBHOOK =
  'admission webhook "vmodule.kb.io" denied the request: failed to validate kernel mappings: regexp is invalid';

describe('explainApplyError', () => {
  it('says what to do about a missing namespace, a spoke without KMM and a refusing webhook', () => {
    expect(explainApplyError(NAMESPACE)).toBe(
      'namespace kmm-e2e does not exist on the spoke; create it, or use openshift-kmm',
    );
    expect(explainApplyError('namespaces "openshift-kmm" not found')).toMatch(
      /KMM is not installed there/,
    );
    for (const error of [NO_KMM, NO_KMM_MAPPER])
      expect(explainApplyError(error)).toBe(
        'KMM is not installed on the spoke (it has no Module kind): install KMM there in managed mode (KMM_MANAGED=1)',
      );
    expect(explainApplyError('the server doesn\'t have a resource type "Other"')).toBe(
      'the server doesn\'t have a resource type "Other"',
    );
    expect(explainApplyError(WEBHOOK)).toBe(
      "the spoke's KMM webhook refuses the Module: failed to validate kernel mappings: regexp is invalid",
    );
    expect(
      explainApplyError(
        'admission webhook "vmodule.kb.io" denied the request: cannot update to or from an empty version; ' +
          'please delete the Module and create it again',
      ),
    ).toMatch(
      /refuses to add or remove moduleLoader\.container\.version .*delete the ManagedClusterModule/,
    );
    expect(explainApplyError('etcdserver: request timed out')).toBe(
      'etcdserver: request timed out',
    );
  });
});

describe('failed works', () => {
  it('name the spoke error, not "Failed to apply manifest work"', () => {
    const w = failed('c1', NAMESPACE);
    expect(applyFailureCauses(w)).toEqual([
      'namespace kmm-e2e does not exist on the spoke; create it, or use openshift-kmm',
    ]);
    expect(workState(w).degradedReasons).toEqual([
      'namespace kmm-e2e does not exist on the spoke; create it, or use openshift-kmm',
    ]);
  });

  it('are not also reported as not available (what was not applied cannot be)', () => {
    const w = failed('c1', NAMESPACE);
    w.status!.conditions!.push({
      type: 'Available',
      status: 'False',
      reason: 'ResourcesNotAvailable',
      message: '1 of 1 resources are not available',
    });
    expect(workState(w).degradedReasons).toEqual([
      'namespace kmm-e2e does not exist on the spoke; create it, or use openshift-kmm',
    ]);
  });

  it('without a manifest condition keep the work condition', () => {
    const w = failed('c1', NAMESPACE);
    delete w.status!.resourceStatus;
    expect(workState(w).degradedReasons).toEqual([
      'not applied (AppliedManifestWorkFailed: Failed to apply manifest work)',
    ]);
  });

  it('are grouped by cause in the Degraded condition, the largest group first', () => {
    const clusters = Array.from(
      { length: 31 },
      (_, i) => `cluster-${String(i + 1).padStart(4, '0')}`,
    );
    const degraded = clusters.map((c, i) => ({
      cluster: c,
      detail: workState(
        failed(c, i < 28 ? NAMESPACE : i < 30 ? NO_KMM : WEBHOOK),
      ).degradedReasons.join('; '),
    }));
    const facts: StatusFacts = {
      generation: 1,
      problems: [],
      selected: 31,
      desired: 31,
      applied: 0,
      degraded,
      waitingForImages: [],
      pending: [],
      noKernelClaim: [],
      noMapping: [],
      offline: [],
    };
    const condition = decideConditions(facts).find((c) => c.type === 'Degraded');
    expect(condition?.message).toBe(
      '31 of 31 eligible clusters report a problem. ' +
        '28 clusters: namespace kmm-e2e does not exist on the spoke; create it, or use openshift-kmm ' +
        '(cluster-0001, cluster-0002, cluster-0003 and 25 more). ' +
        '2 clusters: KMM is not installed on the spoke (it has no Module kind): install KMM there in managed ' +
        'mode (KMM_MANAGED=1) (cluster-0029, cluster-0030). ' +
        "1 cluster: the spoke's KMM webhook refuses the Module: failed to validate kernel mappings: regexp is " +
        'invalid (cluster-0031).',
    );
  });
});
