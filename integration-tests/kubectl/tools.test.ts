import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractMember, helmPath, kubectlPath, LAYER_ZIP } from '../../scripts/tools';

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

  it('extracts a binary with Node alone: no python3 or unzip needed on PATH', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kmm-tools-'));
    const target = join(dir, 'bin', 'helm');
    const path = process.env.PATH;
    try {
      // An empty directory as the whole PATH: any helper program the extraction ran would not be found.
      process.env.PATH = dir;
      try {
        extractMember(LAYER_ZIP, 'helm/helm', target);
        expect(() => extractMember(LAYER_ZIP, 'helm/nope', join(dir, 'nope'))).toThrow(
          `${LAYER_ZIP} has no member helm/nope`,
        );
      } finally {
        process.env.PATH = path;
      }
      expect(statSync(target).mode & 0o777).toBe(0o755);
      expect(
        execFileSync(target, ['version', '--template', '{{.Version}}'], { encoding: 'utf8' }),
      ).toMatch(/^v4\.\d+\.\d+$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
