import { parse } from 'yaml';
import { MCM, startKubectlEnv, type KubectlEnv } from './harness';

jest.setTimeout(60_000);

let env: KubectlEnv;
beforeAll(async () => {
  env = await startKubectlEnv();
});
afterAll(() => env.stop());

const INVALID = `apiVersion: hub.kmm.sigs.x-k8s.io/v1beta1
kind: ManagedClusterModule
metadata:
  name: broken
spec:
  selector:
    gpu: "true"
  moduleSpec:
    selector: {}
    moduleLoader:
      container:
        modprobe:
          moduleName: 7
        kernelMappings: []
`;

/** A valid MCM but for one field the schema does not know: `spec.bogus`. */
const bogus = (name: string) =>
  MCM(name).replace('  spokeNamespace: kmm', '  spokeNamespace: kmm\n  bogus: 1');

describe('kubectl and schema validation', () => {
  it('rejects schema violations, kubectl printing every offending field (create and apply)', async () => {
    const expected = [
      'The ManagedClusterModule "broken" is invalid: ',
      '* spec.spokeNamespace: Required value',
      '* spec.moduleSpec.moduleLoader.container.modprobe.moduleName: Invalid value: "integer": spec.moduleSpec.moduleLoader.container.modprobe.moduleName in body must be of type string: "integer"',
      '* spec.moduleSpec.moduleLoader.container.kernelMappings: Invalid value: 0: spec.moduleSpec.moduleLoader.container.kernelMappings in body should have at least 1 items',
    ];
    for (const verb of ['create', 'apply']) {
      const result = await env.kubectl([verb, '-f', '-'], INVALID);
      expect(result.code).toBe(1);
      const lines = result.stderr.trim().split('\n');
      expect(lines[0]).toBe(expected[0]);
      expect(lines.slice(1).sort()).toEqual(expected.slice(1).sort());
    }
    expect((await env.kubectl(['get', 'managedclustermodule', 'broken'])).code).toBe(1);
  });

  it('enforces the CRD CEL rule (dra and devicePlugin are mutually exclusive)', async () => {
    const both = MCM('cel').replace(
      '    moduleLoader:',
      '    dra:\n      driverName: d\n      container: {image: "i"}\n    devicePlugin:\n      container: {image: "p"}\n    moduleLoader:',
    );
    const result = await env.kubectl(['apply', '-f', '-'], both);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'The ManagedClusterModule "cel" is invalid: spec.moduleSpec: Invalid value: "object": spec.dra and spec.devicePlugin are mutually exclusive',
    );
  });

  it('rejects unknown fields under strict validation (kubectl default), for CRs and built-ins', async () => {
    const result = await env.kubectl(['apply', '-f', '-'], bogus('strict'));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'Error from server (BadRequest): error when creating "STDIN": ManagedClusterModule in version "v1beta1" cannot be handled as a ManagedClusterModule: strict decoding error: unknown field "spec.bogus"',
    );
    const cm =
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: default\n  colour: red\ndatta:\n  a: b\n';
    const builtin = await env.kubectl(['create', '-f', '-'], cm);
    expect(builtin.code).toBe(1);
    expect(builtin.stderr).toContain('unknown field "datta"');
    expect(builtin.stderr).toContain('unknown field "metadata.colour"');
    const ssa = await env.kubectl(['apply', '--server-side', '-f', '-'], bogus('strict'));
    expect(ssa.code).toBe(1);
    expect(ssa.stderr).toContain('.spec.bogus: field not declared in schema');
  });

  it('--validate=warn prints the warning and stores the pruned object; --validate=false prunes silently', async () => {
    const warned = await env.kubectl(['apply', '--validate=warn', '-f', '-'], bogus('warned'));
    expect(warned.code).toBe(0);
    expect(warned.stderr).toContain('Warning: unknown field "spec.bogus"');
    const ignored = await env.kubectl(['apply', '--validate=false', '-f', '-'], bogus('ignored'));
    expect(ignored.code).toBe(0);
    expect(ignored.stderr).toBe('');
    for (const name of ['warned', 'ignored']) {
      const stored = parse(await env.ok(['get', 'managedclustermodule', name, '-o', 'yaml']));
      expect(stored.spec.bogus).toBeUndefined();
      expect(stored.spec.spokeNamespace).toBe('kmm');
    }
  });

  it('validates metadata names as kube-apiserver does', async () => {
    const result = await env.kubectl(['create', 'namespace', 'Not_Valid']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'The Namespace "Not_Valid" is invalid: metadata.name: Invalid value: "Not_Valid": a lowercase RFC 1123 label must consist of',
    );
  });
});
