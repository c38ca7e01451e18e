import { K94, K96, K_OLD, mcm } from './__fixtures__/rollout';
import {
  mcmPreflight,
  preflightCondition,
  upcomingKernels,
  validateKernelPreflight,
  withPreflight,
  withPreflightImages,
} from './preflight';
import type { KernelPreflight, UpcomingKernel } from './preflight-types';
import { planManagedClusterModule } from './plan';
import { cluster } from './__fixtures__/rollout';
import type { ImageStateInfo } from './types';

const K97 = '5.14.0-611.5.1.el9_7.x86_64';

const preflight = (name: string, kernels: unknown, generation = 1): KernelPreflight =>
  ({
    apiVersion: 'hub.kmm.sigs.x-k8s.io/v1alpha1',
    kind: 'KernelPreflight',
    metadata: { name, generation },
    spec: { kernels },
  }) as KernelPreflight;

describe('validateKernelPreflight', () => {
  it('accepts kernels with optional release labels', () => {
    expect(
      validateKernelPreflight(preflight('p', [{ version: K97, release: 'OpenShift 4.20.0' }])),
    ).toEqual([]);
  });

  it.each([
    [{ spec: {} }, 'spec.kernels', /list at least one kernel/],
    [preflight('p', []), 'spec.kernels', /list at least one kernel/],
    [preflight('p', 'x'), 'spec.kernels', /must be a list/],
    [preflight('p', [{ release: 'r' }]), 'spec.kernels[0].version', /is required/],
    [preflight('p', [{ version: 5 }]), 'spec.kernels[0].version', /must be a string/],
    [preflight('p', [{ version: `${K97} ${K96}` }]), 'spec.kernels[0].version', /white space/],
    [
      preflight('p', [{ version: `${K97}+` }]),
      'spec.kernels[0].version',
      new RegExp(`write ${K97.replace(/\./g, '\\.')}$`),
    ],
    [preflight('p', [{ version: 'x'.repeat(65) }]), 'spec.kernels[0].version', /at most 64/],
    [
      preflight('p', [{ version: K97 }, { version: K97 }]),
      'spec.kernels[1].version',
      /spec\.kernels\[0\]\.version/,
    ],
    [preflight('p', [{ version: K97, release: 7 }]), 'spec.kernels[0].release', /must be a string/],
    [
      preflight(
        'p',
        Array.from({ length: 65 }, (_, i) => ({ version: `5.14.${i}` })),
      ),
      'spec.kernels',
      /at most 64/,
    ],
  ])('names the field and the fix: %#', (obj, field, message) => {
    const problems = validateKernelPreflight(obj);
    expect(problems).toContainEqual({ field, message: expect.stringMatching(message) });
  });
});

describe('upcomingKernels', () => {
  it('merges valid objects, each kernel once, sorted, the first release label by object name kept', () => {
    const kernels = upcomingKernels([
      preflight('b', [{ version: K97, release: 'from b' }, { version: K96 }]),
      preflight('a', [{ version: K97 }, { version: K94, release: 'old' }]),
      preflight('c', [{ version: K96, release: 'from c' }]),
      preflight('bad', [{ version: '' }, { version: K_OLD }]),
    ]);
    expect(kernels).toEqual([
      { version: K94, release: 'old' },
      { version: K96, release: 'from c' },
      { version: K97, release: 'from b' },
    ]);
  });
});

describe('mcmPreflight', () => {
  const upcoming: UpcomingKernel[] = [
    { version: K97, release: 'OpenShift 4.20' },
    { version: K_OLD },
  ];
  const image97 = `quay.io/acme/drv:${K97}`;

  it('resolves each kernel through the MCM mapping and reports a kernel without mapping as NoMapping', () => {
    const p = mcmPreflight(mcm(), upcoming, () => undefined);
    expect(p.entries).toEqual([
      {
        kernelVersion: K97,
        release: 'OpenShift 4.20',
        image: image97,
        state: 'Unknown',
        reason: 'NoAnswerYet',
        message: `${image97} has not been checked in its registry yet`,
      },
      {
        kernelVersion: K_OLD,
        state: 'NoMapping',
        reason: 'NoKernelMapping',
        message: expect.stringMatching(
          new RegExp(
            `kernelMappings matches ${K_OLD.replace(/\./g, '\\.')}: clusters that upgrade to it will not load the module`,
          ),
        ),
      },
    ]);
    expect(p.images.map((i) => [i.image, i.kernelVersions, i.clusters, i.build])).toEqual([
      [image97, [K97], [], false],
    ]);
  });

  it('takes the image state, digest and message from the image states', () => {
    const answers: Record<string, ImageStateInfo> = {
      [image97]: { state: 'Building', reason: 'BuildRunning', message: 'build Job x is running' },
    };
    const p = mcmPreflight(mcm(), [{ version: K97 }], (i) => answers[i]);
    expect(p.entries[0]).toEqual({
      kernelVersion: K97,
      image: image97,
      state: 'Building',
      reason: 'BuildRunning',
      message: 'build Job x is running',
    });
    const ready = mcmPreflight(mcm(), [{ version: K97 }], () => ({
      state: 'Ready',
      digest: 'sha256:ab',
    }));
    expect(ready.entries[0]).toEqual({
      kernelVersion: K97,
      image: image97,
      state: 'Ready',
      digest: 'sha256:ab',
    });
  });

  it('says which mapping cannot be resolved for a kernel', () => {
    const m = mcm();
    m.spec.moduleSpec.moduleLoader!.container.kernelMappings = [
      { regexp: '.*', containerImage: 'quay.io/acme/drv:${KERNEL_XYZ}' },
    ];
    const p = mcmPreflight(m, [{ version: 'weird' }], () => undefined);
    expect(p.entries[0]).toMatchObject({
      state: 'MappingError',
      message: expect.stringMatching(
        /^spec\.moduleSpec\.moduleLoader\.container\.kernelMappings\[0\]: /,
      ),
    });
    expect(p.images).toEqual([]);
  });

  it('asks nothing of a device-plugin-only MCM', () => {
    const m = mcm();
    delete m.spec.moduleSpec.moduleLoader;
    expect(mcmPreflight(m, upcoming, () => undefined)).toEqual({ entries: [], images: [] });
  });

  it('adds only the images the plan does not need already', () => {
    const plan = planManagedClusterModule(mcm(), [cluster('c1', [K96])]);
    const p = mcmPreflight(mcm(), [{ version: K96 }, { version: K97 }], () => undefined);
    expect(withPreflightImages(plan.images, p.images).map((i) => [i.image, i.clusters])).toEqual([
      [`quay.io/acme/drv:${K96}`, ['c1']],
      [image97, []],
    ]);
  });
});

describe('the PreflightReady condition and status.preflight', () => {
  const ready = { kernelVersion: K97, image: 'i', state: 'Ready' as const };
  it('is absent without upcoming kernels, and the status loses preflight', () => {
    expect(preflightCondition([])).toBeUndefined();
    const status = withPreflight(
      { conditions: [{ type: 'Ready', status: 'True' }], preflight: [ready] },
      [],
      undefined,
      'now',
    );
    expect(status).toEqual({ conditions: [{ type: 'Ready', status: 'True' }] });
  });

  it('is True when every kernel is Ready, False in progress, False blocked', () => {
    expect(preflightCondition([ready])).toMatchObject({ status: 'True', reason: 'ImagesReady' });
    expect(preflightCondition([ready, { kernelVersion: K96, state: 'Building' }])).toMatchObject({
      status: 'False',
      reason: 'ImagesInProgress',
      message: `images for 1 upcoming kernel are not ready yet: ${K96} (Building)`,
    });
    expect(
      preflightCondition([
        { kernelVersion: K96, state: 'Building' },
        { kernelVersion: K_OLD, state: 'NoMapping' },
      ]),
    ).toMatchObject({
      status: 'False',
      reason: 'NoImageForKernel',
      message: expect.stringContaining(`${K_OLD} (NoMapping)`),
    });
    expect(preflightCondition([{ kernelVersion: K96, state: 'Failed' }])).toMatchObject({
      reason: 'ImageFailed',
    });
  });

  it('keeps transition times while states stay', () => {
    const first = withPreflight({ conditions: [] }, [ready], undefined, 't1');
    expect(first.preflight?.[0]?.lastTransitionTime).toBe('t1');
    const second = withPreflight({ conditions: [] }, [ready], first, 't2');
    expect(second).toEqual(first);
    const third = withPreflight({ conditions: [] }, [{ ...ready, state: 'Failed' }], second, 't3');
    expect(third.preflight?.[0]?.lastTransitionTime).toBe('t3');
    expect(third.conditions?.[0]?.lastTransitionTime).toBe('t3');
  });
});
