import { ImagePullRules } from '../../src/fleet/image-pull';
import { imageForKernel, moduleStatus, targetedNodes } from '../../src/fleet/spoke-kmm';
import type { SpokeNode } from '../../src/fleet/types';
import type { ModuleSpec } from 'kmm-hub-controller/model';

const K427 = '5.14.0-427.13.1.el9_4.x86_64';
const K570 = '5.14.0-570.12.1.el9_6.x86_64';

const node = (name: string, kernel: string, labels: Record<string, string> = {}, master = false) =>
  ({
    name,
    kernelVersion: kernel,
    arch: 'amd64',
    cpu: 8,
    memoryGi: 32,
    labels: {
      'kubernetes.io/arch': 'amd64',
      ...(master
        ? { 'node-role.kubernetes.io/master': '' }
        : { 'node-role.kubernetes.io/worker': '' }),
      ...labels,
    },
    taints: master ? [{ key: 'node-role.kubernetes.io/master', effect: 'NoSchedule' }] : [],
  }) as SpokeNode;

const nodes = [
  node('m0', K570, {}, true),
  node('w0', K570, { gpu: 'yes' }),
  node('w1', K427, { gpu: 'yes' }),
  node('w2', K427),
];

const spec = (mappings: object[], selector: Record<string, string> = {}): ModuleSpec =>
  ({
    selector,
    moduleLoader: {
      container: { modprobe: { moduleName: 'm' }, kernelMappings: mappings },
    },
  }) as ModuleSpec;

const mod = (s: ModuleSpec) => ({ metadata: { name: 'gpu', namespace: 'openshift-kmm' }, spec: s });

describe('simulated spoke KMM', () => {
  it('targets nodes by equality selector, skipping taints that are not tolerated', () => {
    expect(targetedNodes(spec([]), nodes).map((n) => n.name)).toEqual(['w0', 'w1', 'w2']);
    expect(targetedNodes(spec([], { gpu: 'yes' }), nodes).map((n) => n.name)).toEqual(['w0', 'w1']);
    const tolerant = {
      ...spec([]),
      tolerations: [{ key: 'node-role.kubernetes.io/master', operator: 'Exists' }],
    };
    expect(targetedNodes(tolerant, nodes).map((n) => n.name)).toEqual(['m0', 'w0', 'w1', 'w2']);
  });

  it('matches literal mappings exactly and regexps unanchored (RE2), first match wins', () => {
    const container = {
      modprobe: { moduleName: 'm' },
      containerImage: 'reg/default:${KERNEL_FULL_VERSION}',
      kernelMappings: [
        { literal: K427, containerImage: 'reg/literal:1' },
        { regexp: '570', containerImage: 'reg/re:$KERNEL_XYZ-${MOD_NAME}' },
        { regexp: '^6\\.', containerImage: '' },
      ],
    };
    expect(imageForKernel(container, K427, 'gpu', 'ns')).toBe('reg/literal:1');
    expect(imageForKernel(container, K570, 'gpu', 'ns')).toBe('reg/re:5.14.0-gpu');
    expect(imageForKernel(container, '6.1.0-1.x86_64', 'gpu', 'ns')).toBe(
      'reg/default:6.1.0-1.x86_64',
    );
    expect(imageForKernel(container, '4.18.0-1.el8.x86_64', 'gpu', 'ns')).toBeUndefined();
  });

  it('counts matching, desired (mapped) and available (image pullable) nodes', () => {
    const pull = new ImagePullRules();
    const s = spec([
      { literal: K427, containerImage: 'reg/gpu:427' },
      { literal: K570, containerImage: 'reg/gpu:570' },
    ]);
    expect(moduleStatus(mod(s), nodes, (i) => pull.isPullable(i))).toEqual({
      moduleLoader: { nodesMatchingSelectorNumber: 3, desiredNumber: 3, availableNumber: 3 },
    });
    pull.set('reg/gpu:570', false);
    expect(moduleStatus(mod(s), nodes, (i) => pull.isPullable(i))).toEqual({
      moduleLoader: { nodesMatchingSelectorNumber: 3, desiredNumber: 3, availableNumber: 2 },
    });
    const only427 = spec([{ literal: K427, containerImage: 'reg/gpu:427' }], { gpu: 'yes' });
    expect(moduleStatus(mod(only427), nodes, () => true)).toEqual({
      moduleLoader: { nodesMatchingSelectorNumber: 2, desiredNumber: 1, availableNumber: 1 },
    });
  });

  it('omits zero counts, as KMM does', () => {
    const none = spec([{ literal: '1.2.3', containerImage: 'reg/x:1' }], { gpu: 'no-such' });
    expect(moduleStatus(mod(none), nodes, () => true)).toEqual({ moduleLoader: {} });
    const unpullable = spec([{ regexp: '.', containerImage: 'reg/x:1' }]);
    expect(moduleStatus(mod(unpullable), nodes, () => false)).toEqual({
      moduleLoader: { nodesMatchingSelectorNumber: 3, desiredNumber: 3 },
    });
  });

  it('runs the device plugin where the module is loaded', () => {
    const s = {
      ...spec([{ literal: K427, containerImage: 'reg/gpu:427' }]),
      devicePlugin: { container: { image: 'reg/plugin:1' } },
    };
    expect(moduleStatus(mod(s), nodes, () => true)).toEqual({
      moduleLoader: { nodesMatchingSelectorNumber: 3, desiredNumber: 2, availableNumber: 2 },
      devicePlugin: { nodesMatchingSelectorNumber: 3, desiredNumber: 2, availableNumber: 2 },
    });
    const pluginOnly = { selector: {}, devicePlugin: { container: { image: 'reg/plugin:1' } } };
    expect(moduleStatus(mod(pluginOnly), nodes, (i) => i !== 'reg/plugin:1')).toEqual({
      devicePlugin: { nodesMatchingSelectorNumber: 3, desiredNumber: 3 },
    });
  });

  it('image pull rules: exact images and globs, the latest matching rule wins', () => {
    const pull = new ImagePullRules();
    expect(pull.isPullable('quay.io/a/b:1')).toBe(true);
    pull.set('quay.io/a/*', false);
    expect(pull.isPullable('quay.io/a/b:1')).toBe(false);
    expect(pull.isPullable('quay.io/ab:1')).toBe(true);
    pull.set('quay.io/a/b:1', true);
    expect(pull.isPullable('quay.io/a/b:1')).toBe(true);
    expect(pull.isPullable('quay.io/a/b:2')).toBe(false);
    pull.set('quay.io/a/*', true);
    expect(pull.isPullable('quay.io/a/b:2')).toBe(true);
    expect(() => pull.set(' ', false)).toThrow('image pattern must not be empty');
  });
});
