/* eslint-disable @typescript-eslint/no-explicit-any -- tests poke into status shapes */
import { generateCluster } from '../../src/fleet/generate';
import { ImagePullRules } from '../../src/fleet/image-pull';
import { Spoke } from '../../src/fleet/spoke';
import { loadSpokeCatalog } from '../../src/fleet/spoke-catalog';
import type { ManifestWork } from 'kmm-hub-controller/model';
import { moduleWork as hubModuleWork } from './helpers';

const catalog = loadSpokeCatalog();
const K427 = '5.14.0-427.13.1.el9_4.x86_64';
const K570 = '5.14.0-570.12.1.el9_6.x86_64';

function spoke(kmm = true, pull = new ImagePullRules()): Spoke {
  const profile = { ...generateCluster(1, 1), kmm };
  const s = new Spoke(profile, catalog, pull);
  // Three schedulable workers: two on 4.16's first kernel, one already on 4.19's.
  s.nodes = s.nodes.filter((n) => n.taints.length === 0).slice(0, 3);
  while (s.nodes.length < 3) s.nodes.push({ ...s.nodes[0]!, name: `extra-${s.nodes.length}` });
  s.nodes.forEach((n, i) => {
    n.kernelVersion = i < 2 ? K427 : K570;
    n.labels['node-role.kubernetes.io/worker'] = '';
  });
  return s;
}

/** helpers' kmm-hub style work, as the hub serves it (uid, generation 1), with `extra` spec fields. */
function moduleWork(mappings: object[], extra: Partial<ManifestWork['spec']> = {}): ManifestWork {
  const work = hubModuleWork('cluster-0001', 'gpu-driver', mappings);
  return {
    ...work,
    metadata: { ...work.metadata, uid: 'uid-1', generation: 1 },
    spec: { ...work.spec, ...extra },
  };
}

const cond = (list: any[], type: string) => list.find((c: any) => c.type === type);
const NOW = '2026-01-01T00:00:00Z';
const LATER = '2026-01-01T00:05:00Z';

describe('work agent on a simulated spoke', () => {
  it('applies a valid Module and reports Applied, Available and the feedback values', () => {
    const s = spoke();
    const status = s.reconcileWork(
      moduleWork([
        { literal: K427, containerImage: 'reg/gpu:427' },
        { literal: K570, containerImage: 'reg/gpu:570' },
      ]),
      NOW,
    );
    expect(status.conditions).toEqual([
      {
        type: 'Applied',
        status: 'True',
        reason: 'AppliedManifestWorkComplete',
        message: 'Apply manifest work complete',
        observedGeneration: 1,
        lastTransitionTime: NOW,
      },
      {
        type: 'Available',
        status: 'True',
        reason: 'ResourcesAvailable',
        message: 'All resources are available',
        observedGeneration: 1,
        lastTransitionTime: NOW,
      },
    ]);
    const [manifest] = status.resourceStatus.manifests as any[];
    expect(manifest.resourceMeta).toEqual({
      ordinal: 0,
      group: 'kmm.sigs.x-k8s.io',
      version: 'v1beta1',
      kind: 'Module',
      resource: 'modules',
      name: 'gpu-driver',
      namespace: 'openshift-kmm',
    });
    expect(manifest.conditions.map((c: any) => [c.type, c.status, c.reason])).toEqual([
      ['Applied', 'True', 'AppliedManifestComplete'],
      ['Available', 'True', 'ResourceAvailable'],
      ['StatusFeedbackSynced', 'True', 'StatusFeedbackSynced'],
    ]);
    expect(manifest.statusFeedback.values).toEqual([
      { name: 'moduleLoader.availableNumber', fieldValue: { type: 'Integer', integer: 3 } },
      { name: 'moduleLoader.desiredNumber', fieldValue: { type: 'Integer', integer: 3 } },
      {
        name: 'moduleLoader.nodesMatchingSelectorNumber',
        fieldValue: { type: 'Integer', integer: 3 },
      },
    ]);
    const applied = s.getObject(
      'kmm.sigs.x-k8s.io/v1beta1',
      'Module',
      'openshift-kmm',
      'gpu-driver',
    );
    // Defaulted by the CRD schema, as the spoke's API server stores it.
    expect((applied as any).spec.moduleLoader.container.modprobe.dirName).toBe('/opt');
  });

  it('follows kernel upgrades and unpullable images on the next sync', () => {
    const pull = new ImagePullRules();
    const s = spoke(true, pull);
    const work = moduleWork([{ literal: K427, containerImage: 'reg/gpu:427' }]);
    const values = () =>
      Object.fromEntries(
        (
          (s.reconcileWork(work, LATER).resourceStatus.manifests[0] as any).statusFeedback.values ??
          []
        ).map((v: any) => [v.name.split('.')[1], v.fieldValue.integer]),
      );
    expect(values()).toEqual({
      nodesMatchingSelectorNumber: 3,
      desiredNumber: 2,
      availableNumber: 2,
    });
    expect(s.upgradeKernel(K570, K427)).toBe(1);
    expect(values()).toEqual({
      nodesMatchingSelectorNumber: 3,
      desiredNumber: 3,
      availableNumber: 3,
    });
    pull.set('reg/gpu:*', false);
    expect(values()).toEqual({ nodesMatchingSelectorNumber: 3, desiredNumber: 3 });
  });

  it('rejects a Module with empty kernelMappings with the schema error, as the spoke API server does', () => {
    const s = spoke();
    const status = s.reconcileWork(moduleWork([]), NOW);
    const manifest = status.resourceStatus.manifests[0] as any;
    expect(cond(manifest.conditions, 'Applied')).toMatchObject({
      status: 'False',
      reason: 'AppliedManifestFailed',
      message:
        'Failed to apply manifest: Module.kmm.sigs.x-k8s.io "gpu-driver" is invalid: spec.moduleLoader.container.kernelMappings: Invalid value: 0: spec.moduleLoader.container.kernelMappings in body should have at least 1 items',
    });
    expect(cond(status.conditions, 'Applied')).toMatchObject({
      status: 'False',
      reason: 'AppliedManifestWorkFailed',
      message: 'Failed to apply manifest work',
    });
    expect(cond(manifest.conditions, 'Available')).toMatchObject({
      status: 'False',
      reason: 'ResourceNotAvailable',
    });
    expect(cond(status.conditions, 'Available')).toMatchObject({
      status: 'False',
      reason: 'ResourcesNotAvailable',
      message: '1 of 1 resources are not available',
    });
    expect(
      s.getObject('kmm.sigs.x-k8s.io/v1beta1', 'Module', 'openshift-kmm', 'gpu-driver'),
    ).toBeUndefined();
  });

  it('rejects what the spoke KMM webhook rejects', () => {
    const s = spoke();
    const status = s.reconcileWork(
      moduleWork([{ literal: K427, regexp: '^5', containerImage: 'reg/gpu:1' }]),
      NOW,
    );
    expect(cond((status.resourceStatus.manifests[0] as any).conditions, 'Applied').message).toBe(
      'Failed to apply manifest: admission webhook "vmodule.kb.io" denied the request: failed to validate kernel mappings: regexp and literal are mutually exclusive properties at kernelMappings[0]',
    );
    const untagged = s.reconcileWork(
      moduleWork([{ literal: K427, containerImage: 'reg/gpu' }]),
      NOW,
    );
    expect(
      cond((untagged.resourceStatus.manifests[0] as any).conditions, 'Applied').message,
    ).toContain('container image must explicitely set a tag or digest; got: reg/gpu');
  });

  it('refuses to add a version to an existing Module, as the webhook ValidateUpdate does', () => {
    const s = spoke();
    const first = moduleWork([{ literal: K427, containerImage: 'reg/gpu:1' }]);
    s.reconcileWork(first, NOW);
    const versioned = structuredClone(first);
    versioned.metadata.generation = 2;
    (versioned.spec.workload.manifests[0] as any).spec.moduleLoader.container.version = 'v2';
    const status = s.reconcileWork(versioned, LATER);
    expect(cond((status.resourceStatus.manifests[0] as any).conditions, 'Applied').message).toBe(
      'Failed to apply manifest: admission webhook "vmodule.kb.io" denied the request: cannot update to or ' +
        'from an empty version; please delete the Module and create it again',
    );
    // the Module on the spoke is left as it was
    const module = s.getObject(
      'kmm.sigs.x-k8s.io/v1beta1',
      'Module',
      'openshift-kmm',
      'gpu-driver',
    );
    expect((module as any).spec.moduleLoader.container.version).toBeUndefined();
    // created with a version from the start, it is admitted
    const fresh = spoke();
    const admitted = fresh.reconcileWork(versioned, NOW);
    expect(cond(admitted.conditions, 'Applied').status).toBe('True');
  });

  it('fails on a spoke without KMM (no Module kind) and in a missing namespace', () => {
    const noKmm = spoke(false).reconcileWork(
      moduleWork([{ literal: K427, containerImage: 'r/g:1' }]),
      NOW,
    );
    const manifest = noKmm.resourceStatus.manifests[0] as any;
    expect(cond(manifest.conditions, 'Applied').message).toBe(
      'Failed to apply manifest: the server doesn\'t have a resource type "Module"',
    );
    expect(manifest.resourceMeta.resource).toBeUndefined();
    expect(cond(manifest.conditions, 'Available')).toMatchObject({
      status: 'Unknown',
      reason: 'IncompletedResourceMeta',
    });
    expect(cond(noKmm.conditions, 'Available')).toMatchObject({
      status: 'Unknown',
      reason: 'ResourcesStatusUnknown',
    });

    const work = moduleWork([{ literal: K427, containerImage: 'r/g:1' }]);
    (work.spec.workload.manifests[0] as any).metadata.namespace = 'kmm-demo';
    const s = spoke();
    expect(
      cond((s.reconcileWork(work, NOW).resourceStatus.manifests[0] as any).conditions, 'Applied')
        .message,
    ).toBe('Failed to apply manifest: namespaces "kmm-demo" not found');
    // A Namespace manifest ahead of the Module makes it work, and a failed apply is retried.
    work.spec.workload.manifests.unshift({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'kmm-demo' },
    });
    work.metadata.generation = 2;
    const status = s.reconcileWork(work, LATER);
    expect(cond(status.conditions, 'Applied').status).toBe('True');
    expect(status.resourceStatus.manifests.map((m: any) => m.resourceMeta.resource)).toEqual([
      'namespaces',
      'modules',
    ]);
  });

  it('updates the Module on a new generation, deletes dropped manifests, and cleans up on deletion', () => {
    const s = spoke();
    const work = moduleWork([{ literal: K427, containerImage: 'reg/gpu:1' }]);
    work.spec.workload.manifests.push({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings', namespace: 'openshift-kmm' },
      data: { a: '1' },
    } as any);
    s.reconcileWork(work, NOW);
    const get = () =>
      s.getObject('kmm.sigs.x-k8s.io/v1beta1', 'Module', 'openshift-kmm', 'gpu-driver') as any;
    expect(get().metadata.generation).toBe(1);

    const next = moduleWork([{ literal: K427, containerImage: 'reg/gpu:2' }]);
    next.metadata.generation = 2;
    s.reconcileWork(next, LATER);
    expect(get().spec.moduleLoader.container.kernelMappings[0].containerImage).toBe('reg/gpu:2');
    expect(get().metadata.generation).toBe(2);
    expect(s.getObject('v1', 'ConfigMap', 'openshift-kmm', 'settings')).toBeUndefined();

    s.forgetWork(next);
    expect(get()).toBeUndefined();
    expect(s.knownWorks()).toEqual([]);
  });

  it('leaves resources behind when the deleteOption orphans them', () => {
    const s = spoke();
    const work = moduleWork([{ literal: K427, containerImage: 'reg/gpu:1' }], {
      deleteOption: { propagationPolicy: 'Orphan' },
    });
    s.reconcileWork(work, NOW);
    s.forgetWork(work);
    expect(
      s.getObject('kmm.sigs.x-k8s.io/v1beta1', 'Module', 'openshift-kmm', 'gpu-driver'),
    ).toBeDefined();
  });

  it('orphans only what a SelectivelyOrphan rule names, on deletion and when a manifest is dropped', () => {
    const s = spoke();
    const configMap = (name: string) =>
      ({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name, namespace: 'openshift-kmm' },
      }) as any;
    const rule = (name: string) => ({ resource: 'configmaps', name, namespace: 'openshift-kmm' });
    const deleteOption = {
      propagationPolicy: 'SelectivelyOrphan',
      selectivelyOrphans: { orphaningRules: [rule('kept'), rule('dropped-kept')] },
    };
    const work = moduleWork([{ literal: K427, containerImage: 'reg/gpu:1' }], { deleteOption });
    work.spec.workload.manifests.push(
      configMap('kept'),
      configMap('dropped-kept'),
      configMap('dropped'),
    );
    s.reconcileWork(work, NOW);
    const cm = (name: string) => s.getObject('v1', 'ConfigMap', 'openshift-kmm', name);

    const next = moduleWork([{ literal: K427, containerImage: 'reg/gpu:1' }], { deleteOption });
    next.metadata.generation = 2;
    next.spec.workload.manifests.push(configMap('kept'));
    s.reconcileWork(next, LATER);
    expect(cm('dropped')).toBeUndefined();
    expect(cm('dropped-kept')).toBeDefined();

    s.forgetWork(next);
    expect(
      s.getObject('kmm.sigs.x-k8s.io/v1beta1', 'Module', 'openshift-kmm', 'gpu-driver'),
    ).toBeUndefined();
    expect(cm('kept')).toBeDefined();
  });

  it('keeps lastTransitionTime while a condition holds and restamps feedback when values move', () => {
    const s = spoke();
    const work = moduleWork([{ literal: K427, containerImage: 'reg/gpu:1' }]);
    s.reconcileWork(work, NOW);
    const again = s.reconcileWork(work, LATER);
    expect(cond(again.conditions, 'Applied').lastTransitionTime).toBe(NOW);
    expect(cond(again.conditions, 'Available').lastTransitionTime).toBe(NOW);
    const synced = (st: typeof again) =>
      cond((st.resourceStatus.manifests[0] as any).conditions, 'StatusFeedbackSynced');
    expect(synced(again).lastTransitionTime).toBe(NOW);
    s.upgradeKernel(undefined, K427);
    expect(synced(s.reconcileWork(work, LATER)).lastTransitionTime).toBe(LATER);
  });
});
