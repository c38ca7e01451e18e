import { container, mcm } from './__fixtures__/objects';
import {
  ManifestWorkRenderer,
  moduleFeedbackRules,
  moduleOf,
  workMappingsOf,
} from './manifestwork';
import type { ManagedClusterModule, Module } from './types';

function gpu(): ManagedClusterModule {
  const m = mcm(
    'acme',
    container({
      containerImage: 'q.io/acme:v1',
      imagePullPolicy: 'Always',
      registryTLS: { insecure: true },
      inTreeModuleToRemove: 'nouveau',
      build: { dockerfileConfigMap: { name: 'df' } },
      sign: { keySecret: { name: 'k' }, certSecret: { name: 'c' }, filesToSign: ['/opt/a.ko'] },
      kernelMappings: [
        {
          regexp: '.',
          build: { dockerfileConfigMap: { name: 'df2' } },
          sign: { keySecret: { name: 'k' }, certSecret: { name: 'c' }, filesToSign: ['/opt/b.ko'] },
          registryTLS: { insecureSkipTLSVerify: true },
        },
      ],
    }),
  );
  m.spec.moduleSpec.tolerations = [{ operator: 'Exists' }];
  m.spec.moduleSpec.imageRebuildTriggerGeneration = 3;
  m.spec.moduleSpec.devicePlugin = { container: { image: 'q.io/plugin:v1', args: ['-v'] } };
  return m;
}

describe('ManifestWork rendering', () => {
  const work = new ManifestWorkRenderer(gpu()).render('cluster-1', [
    { literal: '6.2.0', containerImage: 'q.io/acme@sha256:2' },
    { literal: '6.10.0', containerImage: 'q.io/acme:6.10.0', inTreeModulesToRemove: ['nouveau'] },
  ]);

  it('names, labels and owns the work like upstream', () => {
    expect(work.apiVersion).toBe('work.open-cluster-management.io/v1');
    expect(work.kind).toBe('ManifestWork');
    expect(work.metadata).toEqual({
      name: 'acme',
      namespace: 'cluster-1',
      labels: { 'kmm.node.kubernetes.io/managedclustermodule.name': 'acme' },
      ownerReferences: [
        {
          apiVersion: 'hub.kmm.sigs.x-k8s.io/v1beta1',
          kind: 'ManagedClusterModule',
          name: 'acme',
          uid: 'uid-acme',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    });
    expect(work.spec.deleteOption).toBeUndefined();
  });

  it('carries one Module named after the MCM in spokeNamespace, without build or sign anywhere', () => {
    const manifests = work.spec.workload.manifests;
    expect(manifests).toHaveLength(1);
    const module = manifests[0] as Module;
    expect(module.apiVersion).toBe('kmm.sigs.x-k8s.io/v1beta1');
    expect(module.kind).toBe('Module');
    expect(module.metadata).toEqual({ name: 'acme', namespace: 'acme-ns' });
    expect(JSON.stringify(module)).not.toMatch(/"build"|"sign"|dockerfileConfigMap|keySecret/);
  });

  it('copies the rest of the module spec and keeps container-level settings', () => {
    const spec = (work.spec.workload.manifests[0] as Module).spec;
    expect(spec.selector).toEqual({ 'node-role.kubernetes.io/worker': '' });
    expect(spec.tolerations).toEqual([{ operator: 'Exists' }]);
    expect(spec.imageRebuildTriggerGeneration).toBe(3);
    expect(spec.devicePlugin).toEqual({ container: { image: 'q.io/plugin:v1', args: ['-v'] } });
    const c = spec.moduleLoader?.container;
    expect(c?.modprobe).toEqual({ moduleName: 'acme' });
    expect(c?.containerImage).toBe('q.io/acme:v1');
    expect(c?.imagePullPolicy).toBe('Always');
    expect(c?.registryTLS).toEqual({ insecure: true });
  });

  it('drops the container deprecated inTreeModuleToRemove (each mapping carries the resolved list)', () => {
    expect(
      (work.spec.workload.manifests[0] as Module).spec.moduleLoader?.container,
    ).not.toHaveProperty('inTreeModuleToRemove');
  });

  it('rebuilds kernelMappings as literal mappings sorted by kernel (code-unit order)', () => {
    expect(
      (work.spec.workload.manifests[0] as Module).spec.moduleLoader?.container.kernelMappings,
    ).toEqual([
      { literal: '6.10.0', containerImage: 'q.io/acme:6.10.0', inTreeModulesToRemove: ['nouveau'] },
      { literal: '6.2.0', containerImage: 'q.io/acme@sha256:2' },
    ]);
  });

  it('asks for every Module status counter as feedback, named as upstream', () => {
    expect(work.spec.manifestConfigs).toEqual([
      {
        resourceIdentifier: {
          group: 'kmm.sigs.x-k8s.io',
          resource: 'modules',
          name: 'acme',
          namespace: 'acme-ns',
        },
        feedbackRules: moduleFeedbackRules(),
      },
    ]);
    const paths = moduleFeedbackRules()[0]?.jsonPaths ?? [];
    expect(paths).toHaveLength(9);
    expect(paths).toContainEqual({
      name: 'moduleLoader.availableNumber',
      path: '.status.moduleLoader.availableNumber',
    });
    expect(paths).toContainEqual({
      name: 'devicePlugin.desiredNumber',
      path: '.status.devicePlugin.desiredNumber',
    });
    expect(paths).toContainEqual({
      name: 'dra.nodesMatchingSelectorNumber',
      path: '.status.dra.nodesMatchingSelectorNumber',
    });
  });

  it('renders a device-plugin-only MCM with no kernel data', () => {
    const m = mcm('plugin', null);
    m.spec.moduleSpec.devicePlugin = { container: { image: 'q.io/plugin:v1' } };
    const module = moduleOf(new ManifestWorkRenderer(m).render('c'));
    expect(module?.spec).toEqual({
      selector: { 'node-role.kubernetes.io/worker': '' },
      devicePlugin: { container: { image: 'q.io/plugin:v1' } },
    });
  });

  it('leaves the MCM untouched, and works do not share objects', () => {
    const m = gpu();
    const before = JSON.stringify(m);
    const r = new ManifestWorkRenderer(m);
    const a = r.render('a', [{ literal: '1.2.3', containerImage: 'x:1' }]);
    const b = r.render('b', [{ literal: '1.2.3', containerImage: 'x:1' }]);
    (moduleOf(a) as Module).spec.selector.changed = 'yes';
    a.spec.manifestConfigs?.[0]?.feedbackRules?.[0]?.jsonPaths?.pop();
    expect(JSON.stringify(m)).toBe(before);
    expect(moduleOf(b)?.spec.selector).not.toHaveProperty('changed');
    expect(b.spec.manifestConfigs?.[0]?.feedbackRules?.[0]?.jsonPaths).toHaveLength(9);
  });

  it('has an empty owner uid when the MCM has none (a file, not the API server)', () => {
    const m = gpu();
    delete m.metadata.uid;
    expect(new ManifestWorkRenderer(m).render('c', [])?.metadata.ownerReferences?.[0]?.uid).toBe(
      '',
    );
  });

  it('reads back the mappings of a written work', () => {
    expect([...workMappingsOf(work).values()]).toEqual([
      { literal: '6.10.0', containerImage: 'q.io/acme:6.10.0', inTreeModulesToRemove: ['nouveau'] },
      { literal: '6.2.0', containerImage: 'q.io/acme@sha256:2' },
    ]);
    expect(workMappingsOf({ ...work, spec: { workload: { manifests: [] } } }).size).toBe(0);
  });
});
