import { applyBuildArgOverrides, kernelBuildArgs, mergeBuild, mergeSign } from './merge';
import type { Build, Sign } from './types';

const cBuild: Build = {
  dockerfileConfigMap: { name: 'container-df' },
  buildArgs: [
    { name: 'A', value: 'container-a' },
    { name: 'B', value: 'container-b' },
  ],
  secrets: [{ name: 'container-secret' }],
  baseImageRegistryTLS: { insecure: true },
};
const mBuild: Build = {
  dockerfileConfigMap: { name: 'mapping-df' },
  buildArgs: [
    { name: 'Z', value: 'mapping-z' },
    { name: 'B', value: 'mapping-b' },
    { name: 'C', value: 'mapping-c' },
  ],
  secrets: [{ name: 'mapping-secret' }],
};

describe('build merge (container vs mapping)', () => {
  it.each([
    ['neither', undefined, undefined, undefined],
    ['container only', cBuild, undefined, cBuild],
    ['mapping only', undefined, mBuild, mBuild],
  ])('%s: that one', (_, c, m, want) => {
    expect(mergeBuild(c, m)).toEqual(want);
  });

  it('both: container with the mapping Dockerfile, args overridden by name then appended sorted, secrets concatenated', () => {
    expect(mergeBuild(cBuild, mBuild)).toEqual({
      dockerfileConfigMap: { name: 'mapping-df' },
      buildArgs: [
        { name: 'A', value: 'container-a' },
        { name: 'B', value: 'mapping-b' },
        { name: 'C', value: 'mapping-c' },
        { name: 'Z', value: 'mapping-z' },
      ],
      secrets: [{ name: 'container-secret' }, { name: 'mapping-secret' }],
      baseImageRegistryTLS: { insecure: true },
    });
  });

  it('both, mapping without a Dockerfile: the container one stays', () => {
    const { dockerfileConfigMap: _, ...noDf } = mBuild;
    expect(mergeBuild(cBuild, noDf as Build)?.dockerfileConfigMap).toEqual({
      name: 'container-df',
    });
  });

  it('returns copies: merging never changes its inputs', () => {
    const before = JSON.stringify([cBuild, mBuild]);
    const merged = mergeBuild(cBuild, mBuild) as Build;
    merged.buildArgs?.push({ name: 'X', value: 'x' });
    (mergeBuild(cBuild, undefined) as Build).dockerfileConfigMap.name = 'changed';
    expect(JSON.stringify([cBuild, mBuild])).toBe(before);
  });
});

describe('build argument overrides', () => {
  it('the last override of a name wins; unused ones are appended sorted', () => {
    expect(
      applyBuildArgOverrides(
        [{ name: 'K', value: '1' }],
        [
          { name: 'Y', value: 'y' },
          { name: 'K', value: '2' },
          { name: 'K', value: '3' },
          { name: 'X', value: 'x' },
        ],
      ),
    ).toEqual([
      { name: 'K', value: '3' },
      { name: 'X', value: 'x' },
      { name: 'Y', value: 'y' },
    ]);
  });

  it('every build gets the kernel and module arguments (raw kernel, not normalised)', () => {
    expect(
      applyBuildArgOverrides(
        [{ name: 'MOD_NAME', value: 'mine' }],
        kernelBuildArgs('6.1+rt', 'm', 'ns'),
      ),
    ).toEqual([
      { name: 'MOD_NAME', value: 'm' },
      { name: 'KERNEL_FULL_VERSION', value: '6.1+rt' },
      { name: 'KERNEL_VERSION', value: '6.1+rt' },
      { name: 'MOD_NAMESPACE', value: 'ns' },
    ]);
  });
});

const cSign: Sign = {
  keySecret: { name: 'c-key' },
  certSecret: { name: 'c-cert' },
  unsignedImage: 'q.io/c:unsigned',
  filesToSign: ['/opt/c.ko'],
  unsignedImageRegistryTLS: { insecureSkipTLSVerify: true },
};
const mSign: Sign = {
  keySecret: { name: 'm-key' },
  certSecret: { name: 'm-cert' },
  unsignedImage: 'q.io/m:unsigned',
  filesToSign: ['/opt/m.ko'],
};

describe('sign merge (container vs mapping)', () => {
  it.each([
    ['neither', undefined, undefined, undefined],
    ['container only', cSign, undefined, cSign],
    ['mapping only', undefined, mSign, mSign],
  ])('%s: that one', (_, c, m, want) => {
    expect(mergeSign(c, m)).toEqual(want);
  });

  it('both: mapping unsignedImage, keySecret, certSecret override; filesToSign concatenated, container first', () => {
    expect(mergeSign(cSign, mSign)).toEqual({
      keySecret: { name: 'm-key' },
      certSecret: { name: 'm-cert' },
      unsignedImage: 'q.io/m:unsigned',
      filesToSign: ['/opt/c.ko', '/opt/m.ko'],
      unsignedImageRegistryTLS: { insecureSkipTLSVerify: true },
    });
  });

  it('both, mapping with an empty unsignedImage: the container one stays', () => {
    expect(mergeSign(cSign, { ...mSign, unsignedImage: '' })?.unsignedImage).toBe(
      'q.io/c:unsigned',
    );
  });
});
