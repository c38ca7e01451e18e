import { execFileSync } from 'node:child_process';
import { helmPath, kubectlPath } from '../../scripts/tools';

jest.setTimeout(120_000);

describe('scripts/tools.ts', () => {
  it('provides the official kubectl 1.34 and helm 4 binaries', () => {
    const kubectl = JSON.parse(
      execFileSync(kubectlPath(), ['version', '--client', '-o', 'json'], { encoding: 'utf8' }),
    ) as {
      clientVersion: { gitVersion: string; major: string; minor: string };
    };
    expect(kubectl.clientVersion.gitVersion).toMatch(/^v1\.34\.\d+$/);
    const helm = execFileSync(helmPath(), ['version', '--template', '{{.Version}}'], {
      encoding: 'utf8',
    });
    expect(helm).toMatch(/^v4\.\d+\.\d+$/);
    // Resolved once per process.
    expect(kubectlPath()).toBe(kubectlPath());
  });
});
