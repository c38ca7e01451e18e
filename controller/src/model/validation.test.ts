import { cloneJson } from './json';
import type { ManagedClusterModule } from './types';
import { validateManagedClusterModule } from './validation';

const C = 'spec.moduleSpec.moduleLoader.container';

function valid(): ManagedClusterModule {
  return {
    apiVersion: 'hub.kmm.sigs.x-k8s.io/v1beta1',
    kind: 'ManagedClusterModule',
    metadata: { name: 'acme-gpu' },
    spec: {
      spokeNamespace: 'acme-ns',
      selector: { gpu: 'acme' },
      moduleSpec: {
        selector: { 'node-role.kubernetes.io/worker': '' },
        imageRepoSecret: { name: 'pull' },
        tolerations: [
          { key: 'acme.example.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
          {
            key: 'dedicated',
            operator: 'Equal',
            value: 'gpu',
            effect: 'NoExecute',
            tolerationSeconds: 30,
          },
          { operator: 'Exists' },
        ],
        moduleLoader: {
          container: {
            modprobe: {
              moduleName: 'acme',
              dirName: '/opt',
              modulesLoadingOrder: ['acme', 'acme_core'],
            },
            containerImage: 'q.io/acme/mod:${KERNEL_FULL_VERSION}',
            build: { dockerfileConfigMap: { name: 'df' }, buildArgs: [{ name: 'V', value: '' }] },
            sign: {
              keySecret: { name: 'k' },
              certSecret: { name: 'c' },
              filesToSign: ['/opt/a.ko'],
            },
            inTreeModulesToRemove: ['nouveau'],
            kernelMappings: [
              { literal: '5.14.0-427.el9_4.x86_64', containerImage: 'q.io/acme/mod:427' },
              { regexp: '^5\\.14\\.0-570\\..*$', containerImage: '' },
              {
                regexp: '^6\\.',
                containerImage: 'q.io/acme/mod@sha256:abc',
                sign: {
                  keySecret: { name: 'k' },
                  certSecret: { name: 'c' },
                  filesToSign: ['/opt/b.ko'],
                },
                inTreeModulesToRemove: ['x'],
              },
            ],
          },
        },
        devicePlugin: {
          container: { image: 'q.io/acme/plugin:v1' },
          volumes: [{ name: 'dp', hostPath: { path: '/var/lib/kubelet/device-plugins' } }],
        },
      },
    },
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the cases write arbitrary YAML-like shapes
type Loose = any;

function problemsAfter(change: (m: Loose) => void) {
  const m = cloneJson(valid());
  change(m);
  return validateManagedClusterModule(m);
}

const c = (m: Loose) => m.spec.moduleSpec.moduleLoader.container;
const km = (m: Loose, i: number) => c(m).kernelMappings[i];
const ms = (m: Loose) => m.spec.moduleSpec;

describe('MCM validation', () => {
  it('accepts a valid MCM', () => {
    expect(validateManagedClusterModule(valid())).toEqual([]);
  });

  it('accepts a device-plugin-only MCM and a DRA-only MCM', () => {
    expect(problemsAfter((m) => delete ms(m).moduleLoader)).toEqual([]);
    expect(
      problemsAfter((m) => {
        delete ms(m).moduleLoader;
        delete ms(m).devicePlugin;
        ms(m).dra = {
          driverName: 'gpu.acme.example.com',
          container: { image: 'q.io/dra:v1' },
          deviceClasses: [{ name: 'gpu.acme.example.com' }, { name: 'mig.acme.example.com' }],
        };
      }),
    ).toEqual([]);
  });

  it('rejects something that is not an object', () => {
    expect(validateManagedClusterModule('hello')).toEqual([
      { field: '', message: expect.stringMatching(/must be a ManagedClusterModule object/) },
    ]);
  });

  // [what, change, field, message]: each change to valid() must give exactly this one problem
  const cases: [string, (m: Loose) => void, string, RegExp][] = [
    // kmm-hub's own rules
    [
      'name + spokeNamespace over 40',
      (m) => (m.metadata.name = 'a'.repeat(34)),
      'spec.spokeNamespace',
      /are 41 characters together; .* exceed 40: shorten either/,
    ],
    [
      'spokeNamespace not a DNS label',
      (m) => (m.spec.spokeNamespace = 'Acme_NS'),
      'spec.spokeNamespace',
      /"Acme_NS" must be a DNS label/,
    ],
    [
      'spokeNamespace missing',
      (m) => delete m.spec.spokeNamespace,
      'spec.spokeNamespace',
      /is required: name the spoke namespace/,
    ],
    [
      'selector missing',
      (m) => delete m.spec.selector,
      'spec.selector',
      /is required: add a ManagedCluster label selector \(\{\} selects every cluster\)/,
    ],
    [
      'selector value not a string',
      (m) => (m.spec.selector = { gpu: true }),
      'spec.selector[gpu]',
      /must be a string, not boolean true \(quote it/,
    ],
    [
      'label value not a string, under a key with dots and a slash',
      (m) => (m.spec.selector = { 'node-role.kubernetes.io/worker': 1 }),
      'spec.selector[node-role.kubernetes.io/worker]',
      /must be a string, not number 1/,
    ],
    ['name missing', (m) => delete m.metadata.name, 'metadata.name', /is required/],
    [
      'name not a DNS subdomain',
      (m) => (m.metadata.name = 'Acme'),
      'metadata.name',
      /must be a DNS subdomain/,
    ],
    [
      'spec missing',
      (m) => delete m.spec,
      'spec',
      /is required: add spec with spokeNamespace, selector and moduleSpec/,
    ],
    ['moduleSpec missing', (m) => delete m.spec.moduleSpec, 'spec.moduleSpec', /is required/],
    [
      'moduleSpec.selector missing',
      (m) => delete ms(m).selector,
      'spec.moduleSpec.selector',
      /is required: add a node label selector/,
    ],
    [
      'moduleSpec not an object',
      (m) => (m.spec.moduleSpec = 'x'),
      'spec.moduleSpec',
      /must be an object/,
    ],
    [
      'imageRepoSecret without name',
      (m) => (ms(m).imageRepoSecret = {}),
      'spec.moduleSpec.imageRepoSecret.name',
      /is required: name the pull Secret/,
    ],
    // images and mappings
    [
      'container image without tag',
      (m) => (c(m).containerImage = 'q.io/acme/mod'),
      `${C}.containerImage`,
      /must name a tag or a digest, e.g. "q.io\/acme\/mod:v1"/,
    ],
    [
      'mapping image without tag',
      (m) => (km(m, 0).containerImage = 'q.io/acme/mod'),
      `${C}.kernelMappings[0].containerImage`,
      /must name a tag or a digest/,
    ],
    [
      'literal and regexp both',
      (m) => (km(m, 0).regexp = '^5'),
      `${C}.kernelMappings[0]`,
      /mutually exclusive: keep one/,
    ],
    [
      'neither literal nor regexp',
      (m) => delete km(m, 0).literal,
      `${C}.kernelMappings[0]`,
      /set literal .* or regexp/,
    ],
    [
      'regexp that does not compile',
      (m) => (km(m, 1).regexp = '^5\\.14('),
      `${C}.kernelMappings[1].regexp`,
      /missing closing \).*RE2/,
    ],
    [
      'regexp with a lookahead (not RE2)',
      (m) => (km(m, 1).regexp = '^5(?=\\.)'),
      `${C}.kernelMappings[1].regexp`,
      /invalid or unsupported Perl syntax/,
    ],
    [
      'mapping without image and no container image',
      (m) => delete c(m).containerImage,
      `${C}.kernelMappings[1].containerImage`,
      /is required: set it here, or set spec.moduleSpec.moduleLoader.container.containerImage as the default for every mapping and containerImage: "" here$/,
    ],
    [
      'mapping without the containerImage key the CRD requires, though the container has one',
      (m) => delete km(m, 1).containerImage,
      `${C}.kernelMappings[1].containerImage`,
      /is required by the CRD even with spec.moduleSpec.moduleLoader.container.containerImage set: write containerImage: "" to use that default$/,
    ],
    [
      'no kernel mappings',
      (m) => (c(m).kernelMappings = []),
      `${C}.kernelMappings`,
      /needs at least one kernel mapping/,
    ],
    [
      'kernelMappings missing',
      (m) => delete c(m).kernelMappings,
      `${C}.kernelMappings`,
      /needs at least one kernel mapping/,
    ],
    [
      'kernelMappings not a list',
      (m) => (c(m).kernelMappings = { literal: 'x' }),
      `${C}.kernelMappings`,
      /must be a list, not an object/,
    ],
    [
      'malformed image template',
      (m) => (km(m, 0).containerImage = 'q.io/m:${KERNEL_XYZ'),
      `${C}.kernelMappings[0].containerImage`,
      /"\$\{KERNEL_XYZ" has no closing "}"/,
    ],
    [
      'unknown template variable',
      (m) => (c(m).containerImage = 'q.io/m:${KERNEL_VERISON}'),
      `${C}.containerImage`,
      /unknown template variable \$KERNEL_VERISON/,
    ],
    [
      'registryTLS not boolean',
      (m) => (c(m).registryTLS = { insecure: 'yes' }),
      `${C}.registryTLS.insecure`,
      /must be true or false/,
    ],
    // in-tree removal
    [
      'container in-tree list and deprecated field',
      (m) => ((c(m).inTreeModuleToRemove = 'old'), delete km(m, 2).inTreeModulesToRemove),
      `${C}.inTreeModuleToRemove`,
      /cannot be set together with inTreeModulesToRemove/,
    ],
    [
      'mapping in-tree list and deprecated field',
      (m) => (km(m, 2).inTreeModuleToRemove = 'old'),
      `${C}.kernelMappings[2].inTreeModuleToRemove`,
      /cannot be set together/,
    ],
    [
      'mapping deprecated field with container list',
      (m) => (km(m, 0).inTreeModuleToRemove = 'old'),
      `${C}.kernelMappings[0].inTreeModuleToRemove`,
      /must use the same field/,
    ],
    [
      'mapping list with container deprecated field',
      (m) => (delete c(m).inTreeModulesToRemove, (c(m).inTreeModuleToRemove = 'old')),
      `${C}.kernelMappings[2].inTreeModulesToRemove`,
      /must use the same field/,
    ],
    // modprobe
    [
      'rawArgs with moduleName',
      (m) => (c(m).modprobe.rawArgs = { load: ['-v', 'acme'], unload: ['-r', 'acme'] }),
      `${C}.modprobe.rawArgs`,
      /cannot be set when moduleName is set/,
    ],
    [
      'no moduleName and no rawArgs',
      (m) => (c(m).modprobe = { dirName: '/opt' }),
      `${C}.modprobe.moduleName`,
      /is required unless rawArgs.load and rawArgs.unload are both set/,
    ],
    [
      'rawArgs load without unload',
      (m) => (c(m).modprobe = { dirName: '/opt', rawArgs: { load: ['acme'] } }),
      `${C}.modprobe.moduleName`,
      /is required unless/,
    ],
    [
      'loading order of one',
      (m) => (c(m).modprobe.modulesLoadingOrder = ['acme']),
      `${C}.modprobe.modulesLoadingOrder`,
      /at least two modules/,
    ],
    [
      'loading order not starting with moduleName',
      (m) => (c(m).modprobe.modulesLoadingOrder = ['acme_core', 'acme']),
      `${C}.modprobe.modulesLoadingOrder[0]`,
      /must be moduleName "acme"/,
    ],
    [
      'loading order with a duplicate',
      (m) => (c(m).modprobe.modulesLoadingOrder = ['acme', 'x', 'x']),
      `${C}.modprobe.modulesLoadingOrder[2]`,
      /"x" is listed twice/,
    ],
    [
      'loading order without moduleName',
      (m) =>
        (c(m).modprobe = {
          rawArgs: { load: ['a'], unload: ['b'] },
          modulesLoadingOrder: ['a', 'b'],
        }),
      `${C}.modprobe.modulesLoadingOrder`,
      /needs modprobe.moduleName/,
    ],
    [
      'modprobe missing',
      (m) => delete c(m).modprobe,
      `${C}.modprobe`,
      /is required: set modprobe.moduleName/,
    ],
    // build and sign
    [
      'sign without filesToSign',
      (m) => delete c(m).sign.filesToSign,
      `${C}.sign.filesToSign`,
      /is required when sign is set: .* under \/opt\//,
    ],
    [
      'mapping sign with empty filesToSign',
      (m) => (km(m, 2).sign.filesToSign = []),
      `${C}.kernelMappings[2].sign.filesToSign`,
      /is required when sign is set/,
    ],
    [
      'file to sign outside dirName',
      (m) => (c(m).sign.filesToSign = ['/lib/modules/a.ko']),
      `${C}.sign.filesToSign[0]`,
      /must be under modprobe.dirName "\/opt"/,
    ],
    [
      'file to sign outside the default dirName',
      (m) => (delete c(m).modprobe.dirName, (km(m, 2).sign.filesToSign = ['/optx/b.ko'])),
      `${C}.kernelMappings[2].sign.filesToSign[0]`,
      /"\/optx\/b.ko" must be under modprobe.dirName "\/opt"/,
    ],
    [
      'file to sign with a bad template',
      (m) => (c(m).sign.filesToSign = ['/opt/${NAME}.ko']),
      `${C}.sign.filesToSign[0]`,
      /unknown template variable \$NAME/,
    ],
    [
      'unsignedImage with a bad template',
      (m) => (c(m).sign.unsignedImage = 'q.io/u:${KERNEL_X'),
      `${C}.sign.unsignedImage`,
      /no closing/,
    ],
    [
      'sign without keySecret',
      (m) => delete c(m).sign.keySecret,
      `${C}.sign.keySecret`,
      /is required: name the Secret holding the private key/,
    ],
    [
      'build without Dockerfile',
      (m) => delete c(m).build.dockerfileConfigMap,
      `${C}.build.dockerfileConfigMap`,
      /is required: name the ConfigMap whose "dockerfile" key/,
    ],
    [
      'mapping build without Dockerfile (the CRD requires it)',
      (m) => (km(m, 1).build = { buildArgs: [] }),
      `${C}.kernelMappings[1].build.dockerfileConfigMap`,
      /is required/,
    ],
    [
      'build arg without name',
      (m) => (c(m).build.buildArgs = [{ value: 'x' }]),
      `${C}.build.buildArgs[0].name`,
      /is required: name the build argument/,
    ],
    [
      'build arg with a number value',
      (m) => (c(m).build.buildArgs = [{ name: 'V', value: 1 }]),
      `${C}.build.buildArgs[0].value`,
      /must be a string, not number 1/,
    ],
    // tolerations
    [
      'toleration key invalid',
      (m) => (ms(m).tolerations[0].key = 'bad key'),
      'spec.moduleSpec.tolerations[0].key',
      /"bad key" name part must consist of/,
    ],
    [
      'toleration key with two slashes',
      (m) => (ms(m).tolerations[0].key = 'a/b/c'),
      'spec.moduleSpec.tolerations[0].key',
      /at most one "\/"/,
    ],
    [
      'toleration empty key with Equal',
      (m) => (ms(m).tolerations[2].operator = 'Equal'),
      'spec.moduleSpec.tolerations[2].operator',
      /must be "Exists" when key is empty/,
    ],
    [
      'tolerationSeconds without NoExecute',
      (m) => (ms(m).tolerations[1].effect = 'NoSchedule'),
      'spec.moduleSpec.tolerations[1].effect',
      /must be "NoExecute" when tolerationSeconds is set/,
    ],
    [
      'toleration value with Exists',
      (m) => (ms(m).tolerations[0].value = 'x'),
      'spec.moduleSpec.tolerations[0].value',
      /must be empty when operator is "Exists"/,
    ],
    [
      'toleration value not a label value',
      (m) => (ms(m).tolerations[1].value = 'a b'),
      'spec.moduleSpec.tolerations[1].value',
      /"a b" must be empty or consist of/,
    ],
    [
      'toleration unknown operator',
      (m) => (ms(m).tolerations[1].operator = 'In'),
      'spec.moduleSpec.tolerations[1].operator',
      /"In" is not an operator: use "Equal" or "Exists"/,
    ],
    [
      'toleration unknown effect',
      (m) => (ms(m).tolerations[0].effect = 'Evict'),
      'spec.moduleSpec.tolerations[0].effect',
      /"Evict" is not an effect/,
    ],
    // device plugin and DRA
    [
      'device plugin hostPath outside the allowed dirs',
      (m) => (ms(m).devicePlugin.volumes[0].hostPath.path = '/etc/kubernetes'),
      'spec.moduleSpec.devicePlugin.volumes[0].hostPath.path',
      /"\/etc\/kubernetes" is not allowed: host paths must be under \/dev, \/sys, \/var, \/opt$/,
    ],
    [
      'device plugin hostPath under /run (not in the webhook list)',
      (m) => (ms(m).devicePlugin.volumes[0].hostPath.path = '/run/cdi'),
      'spec.moduleSpec.devicePlugin.volumes[0].hostPath.path',
      /"\/run\/cdi" is not allowed/,
    ],
    [
      'device plugin hostPath escaping with ..',
      (m) => (ms(m).devicePlugin.volumes[0].hostPath.path = '/var/../etc'),
      'spec.moduleSpec.devicePlugin.volumes[0].hostPath.path',
      /is not allowed/,
    ],
    [
      'device plugin hostPath sharing a prefix',
      (m) => (ms(m).devicePlugin.volumes[0].hostPath.path = '/variable'),
      'spec.moduleSpec.devicePlugin.volumes[0].hostPath.path',
      /is not allowed/,
    ],
    [
      'device plugin without image',
      (m) => delete ms(m).devicePlugin.container.image,
      'spec.moduleSpec.devicePlugin.container.image',
      /is required: name the container image/,
    ],
    [
      'device plugin without container',
      (m) => delete ms(m).devicePlugin.container,
      'spec.moduleSpec.devicePlugin.container',
      /is required: describe the devicePlugin container/,
    ],
    [
      'dra and devicePlugin together',
      (m) => (ms(m).dra = { driverName: 'd.example.com', container: { image: 'q.io/d:v1' } }),
      'spec.moduleSpec.dra',
      /mutually exclusive/,
    ],
    [
      'dra driverName not a DNS subdomain',
      (m) => (
        delete ms(m).devicePlugin,
        (ms(m).dra = { driverName: 'GPU_driver', container: { image: 'q.io/d:v1' } })
      ),
      'spec.moduleSpec.dra.driverName',
      /must be a DNS subdomain/,
    ],
    [
      'dra without driverName',
      (m) => (delete ms(m).devicePlugin, (ms(m).dra = { container: { image: 'q.io/d:v1' } })),
      'spec.moduleSpec.dra.driverName',
      /is required: name the DRA driver/,
    ],
    [
      'dra duplicate device class',
      (m) => (
        delete ms(m).devicePlugin,
        (ms(m).dra = {
          driverName: 'd.x',
          container: { image: 'q.io/d:v1' },
          deviceClasses: [{ name: 'a' }, { name: 'a' }],
        })
      ),
      'spec.moduleSpec.dra.deviceClasses[1].name',
      /"a" is listed twice/,
    ],
  ];

  it.each(cases)('%s', (_, change, field, message) => {
    expect(problemsAfter(change)).toEqual([{ field, message: expect.stringMatching(message) }]);
  });

  it('reports a spokeNamespace over 63 characters, and the combined length', () => {
    expect(problemsAfter((m) => (m.spec.spokeNamespace = 'n'.repeat(64)))).toEqual([
      {
        field: 'spec.spokeNamespace',
        message: expect.stringMatching(/must be at most 63 characters \(it has 64\)/),
      },
      {
        field: 'spec.spokeNamespace',
        message: expect.stringMatching(/are 72 characters together/),
      },
    ]);
  });

  it('allows exactly 40 characters of name + spokeNamespace (the spoke rejects 41)', () => {
    expect(problemsAfter((m) => (m.metadata.name = 'a'.repeat(33)))).toEqual([]);
  });

  it('lets a DRA driver mount any host path (the webhook limits only the device plugin)', () => {
    expect(
      problemsAfter((m) => {
        delete ms(m).devicePlugin;
        ms(m).dra = {
          driverName: 'gpu.acme.example.com',
          container: { image: 'q.io/dra:v1' },
          volumes: [{ name: 'cdi', hostPath: { path: '/etc/cdi' } }],
        };
      }),
    ).toEqual([]);
  });

  it('allows hostPaths at and under every allowed prefix', () => {
    for (const path of ['/dev', '/sys/class', '/var/lib/x', '/opt/', '/opt/x/../y', '//dev//x']) {
      expect(problemsAfter((m) => (ms(m).devicePlugin.volumes[0].hostPath.path = path))).toEqual(
        [],
      );
    }
  });

  it('reports every problem, not only the first', () => {
    const problems = problemsAfter((m) => {
      m.spec.spokeNamespace = 'BAD';
      km(m, 0).regexp = '(';
      c(m).modprobe.modulesLoadingOrder = ['x'];
    });
    expect(problems.map((p) => p.field)).toEqual([
      'spec.spokeNamespace',
      `${C}.modprobe.modulesLoadingOrder`,
      `${C}.kernelMappings[0]`,
      `${C}.kernelMappings[0].regexp`,
    ]);
  });

  it('never throws on arbitrary shapes', () => {
    const shapes: unknown[] = [
      null,
      [],
      1,
      { spec: [] },
      { metadata: 'x', spec: { moduleSpec: { moduleLoader: [] } } },
    ];
    for (const shape of shapes)
      expect(validateManagedClusterModule(shape).length).toBeGreaterThan(0);
    expect(
      problemsAfter((m) => {
        c(m).kernelMappings = [null, 'x', { literal: 5 }];
        c(m).sign = 'x';
        ms(m).tolerations = [7];
      }).length,
    ).toBeGreaterThan(3);
  });
});
