import { parse } from 'yaml';
import { MCM, startKubectlEnv, type KubectlEnv } from './harness';

jest.setTimeout(60_000);

let env: KubectlEnv;
beforeAll(async () => {
  env = await startKubectlEnv();
});
afterAll(() => env.stop());

const getYaml = async (...args: string[]) => parse(await env.ok(['get', ...args, '-o', 'yaml']));
const MCMS = { resource: 'managedclustermodules' };

describe('kubectl writes', () => {
  it('creates with create -f, and refuses a second create (AlreadyExists)', async () => {
    expect(await env.ok(['create', '-f', '-'], MCM('created'))).toBe(
      'managedclustermodule.hub.kmm.sigs.x-k8s.io/created created\n',
    );
    const again = await env.kubectl(['create', '-f', '-'], MCM('created'));
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(
      'Error from server (AlreadyExists): error when creating "STDIN": managedclustermodules.hub.kmm.sigs.x-k8s.io "created" already exists',
    );
  });

  it('create and apply with --dry-run=server answer the defaulted object and store nothing', async () => {
    const [created, applied] = await Promise.all(
      ['create', 'apply'].map(async (verb) =>
        parse(
          await env.ok([verb, '--dry-run=server', '-o', 'yaml', '-f', '-'], MCM(`dry-${verb}`)),
        ),
      ),
    );
    for (const object of [created, applied]) {
      expect(object.spec.moduleSpec.moduleLoader.container.modprobe.dirName).toBe('/opt');
    }
    const missing = await env.kubectl(['get', 'managedclustermodule', 'dry-create', 'dry-apply']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('"dry-create" not found');
    expect(missing.stderr).toContain('"dry-apply" not found');
  });

  it('client-side apply: creates, then patches only on change (merge patch for CRs)', async () => {
    env.server.audit.reset();
    expect(await env.ok(['apply', '-f', '-'], MCM('applied'))).toContain('applied created');
    expect(await env.ok(['apply', '-f', '-'], MCM('applied'))).toContain('applied unchanged');
    expect(await env.ok(['apply', '-f', '-'], MCM('applied', 'kmm-two'))).toContain(
      'applied configured',
    );
    expect(env.server.audit.count({ ...MCMS, verb: 'create' })).toBe(1);
    expect(env.server.audit.count({ ...MCMS, verb: 'patch' })).toBe(1);
    const object = await getYaml('managedclustermodule', 'applied');
    expect(object.spec.spokeNamespace).toBe('kmm-two');
    expect(object.metadata.generation).toBe(2);
    expect(
      object.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'],
    ).toContain('kmm-two');
  });

  it('client-side apply of a built-in kind twice patches it (strategic merge patch)', async () => {
    const cm = (value: string) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n  namespace: default\ndata:\n  key: "${value}"\n`;
    await env.ok(['apply', '-f', '-'], cm('one'));
    await env.ok(['apply', '-f', '-'], cm('two'));
    expect((await getYaml('configmap', 'cfg')).data).toEqual({ key: 'two' });
  });

  it('server-side apply creates, updates, records the manager and reports conflicts', async () => {
    expect(await env.ok(['apply', '--server-side', '-f', '-'], MCM('ssa'))).toContain(
      'ssa serverside-applied',
    );
    await env.ok(['apply', '--server-side', '-f', '-'], MCM('ssa', 'kmm-ssa'));
    const object = await getYaml('managedclustermodule', 'ssa', '--show-managed-fields');
    expect(object.spec.spokeNamespace).toBe('kmm-ssa');
    expect(object.metadata.managedFields).toEqual([
      expect.objectContaining({ manager: 'kubectl', operation: 'Apply' }),
    ]);
    const conflict = await env.kubectl(
      ['apply', '--server-side', '--field-manager=other', '-f', '-'],
      MCM('ssa', 'kmm-other'),
    );
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toContain('conflict with "kubectl"');
    expect(conflict.stderr).toContain('.spec.spokeNamespace');
    await env.ok(
      ['apply', '--server-side', '--force-conflicts', '--field-manager=other', '-f', '-'],
      MCM('ssa', 'kmm-other'),
    );
    expect((await getYaml('managedclustermodule', 'ssa')).spec.spokeNamespace).toBe('kmm-other');
  });

  it('server-side apply over a client-side applied object takes ownership (kubectl-last-applied upgrade)', async () => {
    await env.ok(['apply', '-f', '-'], MCM('upgraded'));
    await env.ok(['apply', '--server-side', '-f', '-'], MCM('upgraded'));
    const object = await getYaml('managedclustermodule', 'upgraded', '--show-managed-fields');
    const managers = object.metadata.managedFields.map(
      (e: { manager: string; operation: string }) => `${e.manager}/${e.operation}`,
    );
    expect(managers).toEqual(
      expect.arrayContaining(['kubectl-client-side-apply/Update', 'kubectl/Apply']),
    );
  });

  it('replace with a stale resourceVersion is a 409 Conflict', async () => {
    await env.ok(['create', '-f', '-'], MCM('replaced'));
    const stale = await env.ok(['get', 'managedclustermodule', 'replaced', '-o', 'yaml']);
    await env.ok(
      ['replace', '-f', '-'],
      stale.replace('spokeNamespace: kmm', 'spokeNamespace: kmm-new'),
    );
    const result = await env.kubectl(['replace', '-f', '-'], stale);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'Error from server (Conflict): error when replacing "STDIN": Operation cannot be fulfilled on managedclustermodules.hub.kmm.sigs.x-k8s.io "replaced": the object has been modified; please apply your changes to the latest version and try again',
    );
  });

  it('patches with --type merge and --type json; generation moves only on spec changes', async () => {
    await env.ok(['create', '-f', '-'], MCM('patched'));
    await env.ok([
      'patch',
      'managedclustermodule',
      'patched',
      '--type',
      'merge',
      '-p',
      '{"spec":{"spokeNamespace":"m"}}',
    ]);
    await env.ok([
      'patch',
      'managedclustermodule',
      'patched',
      '--type',
      'json',
      '-p',
      '[{"op":"add","path":"/spec/selector/zone","value":"a"}]',
    ]);
    const before = await getYaml('managedclustermodule', 'patched');
    expect(before.spec.spokeNamespace).toBe('m');
    expect(before.spec.selector).toEqual({ gpu: 'true', zone: 'a' });
    expect(before.metadata.generation).toBe(3);
    await env.ok(['label', 'managedclustermodule', 'patched', 'team=gpu']);
    await env.ok(['annotate', 'managedclustermodule', 'patched', 'owner=me']);
    const after = await getYaml('managedclustermodule', 'patched');
    expect(after.metadata.labels).toEqual({ team: 'gpu' });
    expect(after.metadata.annotations).toEqual({ owner: 'me' });
    expect(after.metadata.generation).toBe(3);
    const noop = await env.ok([
      'patch',
      'managedclustermodule',
      'patched',
      '--type',
      'merge',
      '-p',
      '{"spec":{"spokeNamespace":"m"}}',
    ]);
    expect(noop).toContain('patched (no change)');
    const failedTest = await env.kubectl([
      'patch',
      'managedclustermodule',
      'patched',
      '--type',
      'json',
      '-p',
      '[{"op":"test","path":"/spec/spokeNamespace","value":"x"}]',
    ]);
    expect(failedTest.code).toBe(1);
  });

  it('label --overwrite and label removal', async () => {
    await env.ok(['label', 'managedclustermodule', 'patched', 'team=net', '--overwrite']);
    await env.ok(['label', 'managedclustermodule', 'patched', 'extra=1']);
    await env.ok(['label', 'managedclustermodule', 'patched', 'extra-']);
    expect((await getYaml('managedclustermodule', 'patched')).metadata.labels).toEqual({
      team: 'net',
    });
    const clash = await env.kubectl(['label', 'managedclustermodule', 'patched', 'team=x']);
    expect(clash.code).toBe(1);
    expect(clash.stderr).toContain("'team' already has a value (net)");
  });

  it('typed generators send protobuf: create namespace, configmap, secret, serviceaccount', async () => {
    await env.ok(['create', 'namespace', 'typed']);
    await Promise.all([
      env.ok([
        'create',
        'configmap',
        'c1',
        '-n',
        'typed',
        '--from-literal=a=1',
        '--from-literal=b=2',
      ]),
      env.ok([
        'create',
        'secret',
        'generic',
        's1',
        '-n',
        'typed',
        '--from-literal=password=hunter2',
      ]),
      env.ok(['create', 'serviceaccount', 'sa1', '-n', 'typed']),
    ]);
    const [ns, cm, secret, sa] = await Promise.all([
      getYaml('namespace', 'typed'),
      getYaml('configmap', 'c1', '-n', 'typed'),
      getYaml('secret', 's1', '-n', 'typed'),
      getYaml('serviceaccount', 'sa1', '-n', 'typed'),
    ]);
    expect(ns.status.phase).toBe('Active');
    expect(cm.data).toEqual({ a: '1', b: '2' });
    expect(secret.type).toBe('Opaque');
    expect(Buffer.from(secret.data.password, 'base64').toString()).toBe('hunter2');
    expect(sa.metadata.name).toBe('sa1');
    expect(cm.metadata.generateName).toBeUndefined();
    const dry = await env.ok([
      'create',
      'configmap',
      'dry',
      '-n',
      'typed',
      '--dry-run=server',
      '--from-literal=x=y',
      '-o',
      'yaml',
    ]);
    expect(parse(dry).data).toEqual({ x: 'y' });
    const missing = await env.kubectl(['get', 'configmap', 'dry', '-n', 'typed']);
    expect(missing.code).toBe(1);
  });

  it('generateName produces a fresh name per create', async () => {
    const manifest = MCM('x').replace('  name: x', '  generateName: gen-');
    const [a, b] = await Promise.all([
      env.ok(['create', '-f', '-', '-o', 'name'], manifest),
      env.ok(['create', '-f', '-', '-o', 'name'], manifest),
    ]);
    expect(a).toMatch(/^managedclustermodule.hub.kmm.sigs.x-k8s.io\/gen-[a-z0-9]{5}\n$/);
    expect(a).not.toBe(b);
  });
});
