import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { helmPath } from '../../scripts/tools';
import { MCM, startKubectlEnv, type KubectlEnv } from './harness';

jest.setTimeout(120_000);

let env: KubectlEnv;
let chart: string;
beforeAll(async () => {
  env = await startKubectlEnv();
  chart = join(env.dir, 'chart');
  mkdirSync(join(chart, 'templates'), { recursive: true });
  writeFileSync(join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: demo\nversion: 0.1.0\n');
  writeFileSync(
    join(chart, 'templates/all.yaml'),
    `apiVersion: v1
kind: ConfigMap
metadata:
  name: demo
data:
  size: "{{ .Values.size | default "1" }}"
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: demo
---
${MCM('helm-demo')}`,
  );
});
afterAll(() => env.stop());

const helm = (args: string[]) => env.run(helmPath(), args, { timeoutMs: 60_000 });

describe('real helm 4 against the sandbox', () => {
  it('installs (with --wait), upgrades and uninstalls a chart with built-in and custom resources', async () => {
    const install = await helm([
      'install',
      'demo',
      chart,
      '-n',
      'default',
      '--wait',
      '--timeout',
      '30s',
    ]);
    expect(install.stderr).toBe('');
    expect(install.stdout).toContain('STATUS: deployed');
    expect((await env.ok(['get', 'mcm', 'helm-demo', '-o', 'name'])).trim()).toBe(
      'managedclustermodule.hub.kmm.sigs.x-k8s.io/helm-demo',
    );
    const upgrade = await helm(['upgrade', 'demo', chart, '-n', 'default', '--set', 'size=3']);
    expect(upgrade.code).toBe(0);
    expect(await env.ok(['get', 'configmap', 'demo', '-o', 'jsonpath={.data.size}'])).toBe('3');
    // helm keeps its releases in Secrets it creates and lists by label through protobuf clients.
    expect(await env.ok(['get', 'secrets', '-l', 'owner=helm,name=demo', '-o', 'name'])).toBe(
      'secret/sh.helm.release.v1.demo.v1\nsecret/sh.helm.release.v1.demo.v2\n',
    );
    const uninstall = await helm(['uninstall', 'demo', '-n', 'default']);
    expect(uninstall.code).toBe(0);
    expect(uninstall.stdout).toContain('release "demo" uninstalled');
    expect((await env.kubectl(['get', 'mcm', 'helm-demo'])).code).toBe(1);
    expect(await env.ok(['get', 'secrets', '-l', 'owner=helm', '-o', 'name'])).toBe('');
  });
});
