import { cluster } from './__fixtures__/objects';
import { kernelVersionsOf, parseKernelVersionsClaim } from './kernels';

describe('kernel versions of a ManagedCluster', () => {
  it('splits the claim on newlines and sorts', () => {
    expect(
      kernelVersionsOf(cluster('a', ['5.14.0-570.el9_6.x86_64', '5.14.0-427.el9_4.x86_64'])),
    ).toEqual(['5.14.0-427.el9_4.x86_64', '5.14.0-570.el9_6.x86_64']);
  });

  it('trims exactly one trailing +', () => {
    expect(parseKernelVersionsClaim('6.1.0+\n6.2.0++\n6.3.0+rt')).toEqual([
      '6.1.0',
      '6.2.0+',
      '6.3.0+rt',
    ]);
  });

  it('drops blank lines and duplicates (also duplicates that appear once the + is trimmed)', () => {
    expect(parseKernelVersionsClaim('\n6.1.0\n\n6.1.0+\r\n6.0.0\n')).toEqual(['6.0.0', '6.1.0']);
  });

  it('sorts in code-unit order, like Go', () => {
    expect(parseKernelVersionsClaim('b\nB\na\n10\n9')).toEqual(['10', '9', 'B', 'a', 'b']);
  });

  it('is undefined without the claim, or without status', () => {
    expect(kernelVersionsOf(cluster('a', undefined))).toBeUndefined();
    expect(
      kernelVersionsOf({
        apiVersion: 'cluster.open-cluster-management.io/v1',
        kind: 'ManagedCluster',
        metadata: {},
      }),
    ).toBeUndefined();
  });

  it('is empty for a claim that lists nothing', () => {
    expect(kernelVersionsOf(cluster('a', ['']))).toEqual([]);
  });
});
