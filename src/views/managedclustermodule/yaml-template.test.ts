import { parse } from 'yaml';
import {
  KernelMapper,
  type ManagedClusterModule,
  validateManagedClusterModule,
} from '../../utils/model';
import { managedClusterModuleTemplate } from './yaml-template';

const mcm = parse(managedClusterModuleTemplate) as ManagedClusterModule;

describe('the YAML template of the create page', () => {
  it('is an MCM the model accepts', () => {
    expect(mcm).toMatchObject({
      apiVersion: 'hub.kmm.sigs.x-k8s.io/v1beta1',
      kind: 'ManagedClusterModule',
    });
    expect(validateManagedClusterModule(mcm)).toEqual([]);
  });

  it('shows a selector, a spoke namespace, a templated regexp mapping with build and sign, and comments', () => {
    expect(mcm.spec.selector).toEqual({ environment: 'production' });
    expect(mcm.spec.spokeNamespace).toBe('openshift-kmm');
    const [mapping] = mcm.spec.moduleSpec.moduleLoader?.container.kernelMappings ?? [];
    expect(mapping?.regexp).toBe('^.+\\.el9_\\d+\\.x86_64$');
    expect(mapping?.build?.dockerfileConfigMap.name).toBe('example-driver-dockerfile');
    expect(mapping?.sign?.filesToSign).toHaveLength(1);
    expect(managedClusterModuleTemplate.match(/^\s*#/gm)?.length).toBeGreaterThan(8);
  });

  it('says that the hub builds and signs once for the fleet, and where the inputs live', () => {
    const comments = (field: 'build' | 'sign') => {
      const lines = managedClusterModuleTemplate.split('\n');
      const at = lines.findIndex((l) => l.trim() === `${field}:`);
      let start = at;
      while (lines[start - 1]?.trim().startsWith('#')) start--;
      return lines
        .slice(start, at)
        .map((l) => l.trim().replace(/^#\s*/, ''))
        .join(' ');
    };
    expect(comments('build')).toMatch(/the hub builds it once for the whole fleet \(one Job/);
    expect(comments('build')).toMatch(/"dockerfile"\) lives in the kmm-hub controller's namespace/);
    expect(comments('sign')).toMatch(/The hub signs them once for the fleet with a sign Job/);
    expect(managedClusterModuleTemplate).not.toMatch(/NOT IMPLEMENTED|NotSupportedYet/);
  });

  it('maps a RHEL 9 kernel to a templated image and leaves others unmapped', () => {
    const mapper = new KernelMapper(mcm);
    const el9 = mapper.resolve('5.14.0-427.13.1.el9_4.x86_64');
    expect(el9.kind === 'mapped' && el9.mapping.image).toBe(
      'quay.io/example/example-driver:5.14.0-427.13.1.el9_4.x86_64',
    );
    expect(el9.kind === 'mapped' && el9.mapping.sign?.filesToSign).toEqual([
      '/opt/lib/modules/5.14.0-427.13.1.el9_4.x86_64/example_driver.ko',
    ]);
    expect(mapper.resolve('4.18.0-553.el8_10.x86_64').kind).toBe('unmapped');
  });
});
