import {
  canonicalInputs,
  imageJobEvent,
  imageJobName,
  jobPhase,
  renderImageJob,
  signDockerfile,
  unsignedImageFor,
  type BuildJobInputs,
  type SignJobInputs,
} from './image-jobs';

const build: BuildJobInputs = {
  type: 'build',
  destination: 'registry.example.com/acme/drv:5.14.0',
  dockerfile: 'FROM scratch\n',
  buildArgs: [{ name: 'KERNEL_FULL_VERSION', value: '5.14.0' }],
  secrets: { 'build-token': '12' },
  pullSecret: 'pull',
  registryTLS: { insecure: true },
  baseImageRegistryTLS: { insecureSkipTLSVerify: true },
  selector: { 'kubernetes.io/arch': 'amd64' },
  tolerations: [{ key: 'builds', operator: 'Exists' }],
  builderImage: 'kaniko:1',
};

const sign: SignJobInputs = {
  type: 'sign',
  destination: 'registry.example.com/acme/drv:5.14.0',
  unsignedImage: 'registry.example.com/acme/drv:5.14.0-kmm-unsigned',
  filesToSign: ['/opt/lib/modules/a.ko', '/opt/lib/modules/b.ko'],
  keySecret: { name: 'key', resourceVersion: '5' },
  certSecret: { name: 'cert', resourceVersion: '6' },
  builderImage: 'kaniko:1',
  signerImage: 'signer:1',
};

describe('canonicalInputs', () => {
  it('is the same text for the same inputs in any key order, and differs when an input changes', () => {
    const reordered = Object.fromEntries(Object.entries(build).reverse()) as BuildJobInputs;
    expect(canonicalInputs(reordered)).toBe(canonicalInputs(build));
    for (const change of [
      { dockerfile: 'FROM busybox\n' },
      { secrets: { 'build-token': '13' } },
      { builderImage: 'kaniko:2' },
      { rebuildTrigger: 2 },
    ])
      expect(canonicalInputs({ ...build, ...change })).not.toBe(canonicalInputs(build));
    expect(canonicalInputs({ ...sign, keySecret: { name: 'key', resourceVersion: '7' } })).not.toBe(
      canonicalInputs(sign),
    );
  });
});

describe('renderImageJob', () => {
  it('renders a kaniko build Job with the Dockerfile, args, secrets, TLS flags, selector and tolerations', () => {
    const job = renderImageJob(build, {
      namespace: 'kmm-hub',
      hash: 'ab'.repeat(32),
      dockerfileConfigMap: 'df',
    });
    expect(job.metadata?.name).toBe(`kmm-hub-build-${'ab'.repeat(8)}`);
    expect(job.metadata?.namespace).toBe('kmm-hub');
    expect(job.metadata?.labels).toMatchObject({ 'kmm-hub.io/image-job': 'build' });
    const pod = (job.spec.template as { spec: Record<string, unknown> }).spec;
    const container = (pod.containers as { args: string[]; image: string }[])[0]!;
    expect(container.image).toBe('kaniko:1');
    expect(container.args).toEqual([
      '--dockerfile=/workspace/Dockerfile',
      '--context=dir:///workspace',
      '--destination=registry.example.com/acme/drv:5.14.0',
      '--insecure',
      '--build-arg=KERNEL_FULL_VERSION=5.14.0',
      '--skip-tls-verify-pull',
    ]);
    expect(pod.nodeSelector).toEqual({ 'kubernetes.io/arch': 'amd64' });
    expect(pod.tolerations).toEqual([{ key: 'builds', operator: 'Exists' }]);
    expect(JSON.stringify(pod.volumes)).toContain('"secretName":"build-token"');
    expect(JSON.stringify(pod.volumes)).toContain('"path":"config.json"');
    expect(job.spec.backoffLimit).toBe(0);
  });

  it('renders a sign Job whose generated Dockerfile runs sign-file sha256 on every file, keys only mounted', () => {
    const job = renderImageJob(sign, { namespace: 'kmm-hub', hash: 'cd'.repeat(32) });
    expect(job.metadata?.name).toBe(`kmm-hub-sign-${'cd'.repeat(8)}`);
    const template = job.spec.template as {
      metadata: { annotations: Record<string, string> };
      spec: {
        volumes: { secret?: { secretName: string } }[];
        containers: { args: string[]; env?: unknown }[];
      };
    };
    const dockerfile = Object.values(template.metadata.annotations)[0]!;
    expect(dockerfile).toBe(signDockerfile(sign.unsignedImage, 'signer:1', sign.filesToSign));
    expect(
      dockerfile.match(
        /sign-file", "sha256", "\/run\/secrets\/key\/key", "\/run\/secrets\/cert\/cert"/g,
      ),
    ).toHaveLength(2);
    expect(template.spec.volumes.map((v) => v.secret?.secretName).filter(Boolean)).toEqual([
      'key',
      'cert',
    ]);
    expect(template.spec.containers[0]!.env).toBeUndefined();
  });
});

describe('unsignedImageFor', () => {
  it('puts the unsigned build beside the signed image', () => {
    expect(unsignedImageFor('r.io/a/drv:5.14')).toBe('r.io/a/drv:5.14-kmm-unsigned');
    expect(unsignedImageFor('localhost:5000/drv:1')).toBe('localhost:5000/drv:1-kmm-unsigned');
  });
});

describe('jobPhase', () => {
  it('reads Complete and Failed conditions, anything else is Running', () => {
    expect(jobPhase({})).toEqual({ phase: 'Running' });
    expect(jobPhase({ status: { conditions: [{ type: 'Complete', status: 'True' }] } })).toEqual({
      phase: 'Succeeded',
    });
    expect(
      jobPhase({
        status: {
          conditions: [
            { type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'x' },
          ],
        },
      }),
    ).toEqual({ phase: 'Failed', message: 'BackoffLimitExceeded: x' });
    expect(jobPhase({ status: { conditions: [{ type: 'Complete', status: 'False' }] } })).toEqual({
      phase: 'Running',
    });
  });
});

describe('imageJobEvent', () => {
  it("uses upstream's reasons and says what to do about a failure", () => {
    expect(imageJobEvent('build', 'Created', 'i:1', 'j')).toMatchObject({
      type: 'Normal',
      reason: 'BuildimageCreated',
    });
    const failed = imageJobEvent('sign', 'Failed', 'i:1', 'j', 'boom');
    expect(failed).toMatchObject({ type: 'Warning', reason: 'SignimageFailed' });
    expect(failed.message).toContain('kubectl logs job/j');
  });
});

describe('imageJobName', () => {
  it('is short and stable', () => {
    expect(imageJobName('build', '0123456789abcdef0123')).toBe('kmm-hub-build-0123456789abcdef');
  });
});
