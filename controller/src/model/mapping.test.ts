import { container, mappings, mcm } from './__fixtures__/objects';
import { KernelMapper, findKernelMapping, inTreeModulesToRemove } from './mapping';
import type { KernelMapping, ModuleLoaderContainerSpec } from './types';

const img = 'q.io/m:v1';
const resolve = (c: ModuleLoaderContainerSpec, kernel: string) =>
  new KernelMapper(mcm('acme', c)).resolve(kernel);

describe('finding the kernel mapping', () => {
  it('matches a regexp unanchored: "1.2" matches 11.2.3', () => {
    expect(findKernelMapping([{ regexp: '1.2' }], '11.2.3')).toEqual({ kind: 'match', index: 0 });
    expect(findKernelMapping([{ regexp: '^1\\.2' }], '11.2.3')).toEqual({ kind: 'none' });
  });

  it('the first match wins, even when a later one is more specific', () => {
    const m: KernelMapping[] = [{ literal: '6.0.0' }, { regexp: '^6\\.' }, { literal: '6.1.0' }];
    expect(findKernelMapping(m, '6.1.0')).toEqual({ kind: 'match', index: 1 });
    expect(findKernelMapping(m, '6.0.0')).toEqual({ kind: 'match', index: 0 });
  });

  it('matches literal by string equality only', () => {
    expect(findKernelMapping([{ literal: '6.1' }], '6.1.0')).toEqual({ kind: 'none' });
    expect(findKernelMapping([{ literal: '6.1.0' }], '6.1.0')).toEqual({ kind: 'match', index: 0 });
  });

  it('uses RE2 semantics: no lookahead or backreference; \\d and (?i) work', () => {
    expect(findKernelMapping([{ regexp: '^5\\.14(?=\\.0)' }], '5.14.0')).toMatchObject({
      kind: 'error',
      index: 0,
    });
    expect(findKernelMapping([{ regexp: '(el9)\\1' }], 'el9el9')).toMatchObject({ kind: 'error' });
    expect(findKernelMapping([{ regexp: '^\\d+\\.\\d+' }], '5.14.0')).toEqual({
      kind: 'match',
      index: 0,
    });
    expect(findKernelMapping([{ regexp: '(?i)EL9' }], '5.14.0-1.el9')).toEqual({
      kind: 'match',
      index: 0,
    });
  });

  it('an invalid regexp before a match is an error, not a non-match; after a match it is not reached', () => {
    const m: KernelMapping[] = [{ regexp: '[' }, { regexp: '.*' }];
    const r = findKernelMapping(m, '6.1.0');
    expect(r).toMatchObject({ kind: 'error', index: 0 });
    expect(r.kind === 'error' && r.error).toMatch(/missing closing \]/);
    expect(findKernelMapping([{ regexp: '.*' }, { regexp: '[' }], '6.1.0')).toEqual({
      kind: 'match',
      index: 0,
    });
  });
});

describe('resolving a kernel', () => {
  it('falls back to the container image when the mapping has none (or an empty one)', () => {
    const c = container({
      containerImage: 'q.io/default:${KERNEL_XYZ}',
      kernelMappings: [{ literal: '6.1.0', containerImage: '' }, { regexp: '^7' }],
    });
    expect(resolve(c, '6.1.0')).toMatchObject({
      kind: 'mapped',
      mapping: { image: 'q.io/default:6.1.0' },
    });
    expect(resolve(c, '7.0.0')).toMatchObject({
      kind: 'mapped',
      mapping: { image: 'q.io/default:7.0.0', mappingIndex: 1 },
    });
  });

  it('substitutes MOD_NAMESPACE with spokeNamespace (kmm-hub), MOD_NAME with the MCM name', () => {
    const c = mappings({
      regexp: '.',
      containerImage: 'q.io/$MOD_NAMESPACE/$MOD_NAME:${KERNEL_VERSION}',
    });
    expect(resolve(c, '6.1.0+')).toMatchObject({ mapping: { image: 'q.io/acme-ns/acme:6.1.0_' } });
  });

  it('is unmapped when nothing matches', () => {
    expect(resolve(mappings({ literal: '6.1.0', containerImage: img }), '6.2.0')).toEqual({
      kind: 'unmapped',
    });
  });

  it('reports a kernel with two components when the image uses KERNEL_X/Y/Z/XYZ', () => {
    const r = resolve(mappings({ regexp: '.', containerImage: 'q.io/m:${KERNEL_XYZ}' }), '6.1');
    expect(r).toMatchObject({ kind: 'error', mappingIndex: 0 });
    expect(r.kind === 'error' && r.error).toMatch(/"6.1" has fewer than three components/);
    expect(
      resolve(mappings({ regexp: '.', containerImage: 'q.io/m:${KERNEL_FULL_VERSION}' }), '6.1'),
    ).toMatchObject({
      kind: 'mapped',
    });
  });

  it('takes registryTLS from the mapping, else from the container', () => {
    const c = container({
      registryTLS: { insecure: true },
      kernelMappings: [
        { literal: 'a.b.c', containerImage: img, registryTLS: { insecureSkipTLSVerify: true } },
        { literal: 'd.e.f', containerImage: img },
      ],
    });
    expect(resolve(c, 'a.b.c')).toMatchObject({
      mapping: { registryTLS: { insecureSkipTLSVerify: true } },
    });
    expect(resolve(c, 'd.e.f')).toMatchObject({ mapping: { registryTLS: { insecure: true } } });
  });

  it('merges build and sign, adds the kernel build args and templates the sign fields', () => {
    const c = container({
      build: { dockerfileConfigMap: { name: 'df' }, buildArgs: [{ name: 'V', value: '1' }] },
      sign: {
        keySecret: { name: 'k' },
        certSecret: { name: 'c' },
        filesToSign: ['/opt/${KERNEL_FULL_VERSION}/a.ko'],
      },
      kernelMappings: [
        {
          regexp: '.',
          containerImage: 'q.io/m:${KERNEL_FULL_VERSION}',
          sign: {
            keySecret: { name: 'k2' },
            certSecret: { name: 'c2' },
            unsignedImage: 'q.io/m:${KERNEL_XYZ}-unsigned-$MOD_NAME',
            filesToSign: ['/opt/b-${KERNEL_X}.ko'],
          },
        },
      ],
    });
    const r = resolve(c, '6.1.0-1+rt');
    expect(r).toEqual({
      kind: 'mapped',
      mapping: {
        kernelVersion: '6.1.0-1+rt',
        mappingIndex: 0,
        image: 'q.io/m:6.1.0-1_rt',
        build: {
          dockerfileConfigMap: { name: 'df' },
          buildArgs: [
            { name: 'V', value: '1' },
            { name: 'KERNEL_FULL_VERSION', value: '6.1.0-1+rt' },
            { name: 'KERNEL_VERSION', value: '6.1.0-1+rt' },
            { name: 'MOD_NAME', value: 'acme' },
            { name: 'MOD_NAMESPACE', value: 'acme-ns' },
          ],
        },
        sign: {
          keySecret: { name: 'k2' },
          certSecret: { name: 'c2' },
          unsignedImage: 'q.io/m:6.1.0-unsigned-acme',
          filesToSign: ['/opt/6.1.0-1_rt/a.ko', '/opt/b-6.ko'],
        },
      },
    });
  });

  it('resolves each distinct kernel once', () => {
    const mapper = new KernelMapper(
      mcm('acme', mappings({ regexp: '.', containerImage: 'q.io/m:$KERNEL_X' })),
    );
    expect(mapper.resolve('6.1.0')).toBe(mapper.resolve('6.1.0'));
  });

  it('resolves nothing for an MCM without moduleLoader', () => {
    expect(new KernelMapper(mcm('acme', null)).resolve('6.1.0')).toEqual({ kind: 'unmapped' });
  });
});

describe('in-tree modules to remove', () => {
  const c = (o: Partial<ModuleLoaderContainerSpec>) => container(o);
  it.each<[string, Partial<ModuleLoaderContainerSpec>, KernelMapping, string[] | undefined]>([
    ['none', {}, {}, undefined],
    ['container list', { inTreeModulesToRemove: ['a'] }, {}, ['a']],
    [
      'mapping list wins',
      { inTreeModulesToRemove: ['a'] },
      { inTreeModulesToRemove: ['b'] },
      ['b'],
    ],
    [
      'mapping empty list wins',
      { inTreeModulesToRemove: ['a'] },
      { inTreeModulesToRemove: [] },
      [],
    ],
    ['deprecated container field', { inTreeModuleToRemove: 'old' }, {}, ['old']],
    [
      'deprecated mapping field wins',
      { inTreeModuleToRemove: 'old' },
      { inTreeModuleToRemove: 'm' },
      ['m'],
    ],
    [
      'deprecated field replaces a list',
      { inTreeModulesToRemove: ['a'] },
      { inTreeModuleToRemove: 'm' },
      ['m'],
    ],
  ])('%s', (_, containerPart, mapping, want) => {
    expect(inTreeModulesToRemove(c(containerPart), mapping)).toEqual(want);
  });
});
