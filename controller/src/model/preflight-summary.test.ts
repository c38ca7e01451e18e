import { K96, K_OLD, mcm } from './__fixtures__/rollout';
import { kernelPreflightStatus, mcmPreflightChanged } from './preflight-summary';
import type { KernelPreflight } from './preflight-types';
import type { ManagedClusterModule } from './types';

const K97 = '5.14.0-611.5.1.el9_7.x86_64';

const preflight: KernelPreflight = {
  apiVersion: 'hub.kmm.sigs.x-k8s.io/v1alpha1',
  kind: 'KernelPreflight',
  metadata: { name: 'ocp-4-20', generation: 3 },
  spec: { kernels: [{ version: K97, release: 'OpenShift 4.20' }, { version: K_OLD }] },
};

const named = (
  name: string,
  preflightStatus?: ManagedClusterModule['status'],
): ManagedClusterModule => {
  const m = mcm();
  m.metadata.name = name;
  if (preflightStatus) m.status = preflightStatus;
  return m;
};

describe('kernelPreflightStatus', () => {
  it('summarises every MCM with a module loader per declared kernel', () => {
    const plugin = named('plugin-only');
    delete plugin.spec.moduleSpec.moduleLoader;
    const status = kernelPreflightStatus(
      preflight,
      [
        named('b', {
          preflight: [
            { kernelVersion: K97, image: 'b:97', state: 'Ready' },
            { kernelVersion: K_OLD, state: 'NoMapping', message: 'no mapping' },
          ],
        }),
        named('a', { preflight: [{ kernelVersion: K97, image: 'a:97', state: 'Building' }] }),
        plugin,
      ],
      'now',
    );
    expect(status.observedGeneration).toBe(3);
    expect(status.kernels).toEqual([
      {
        version: K97,
        release: 'OpenShift 4.20',
        ready: 1,
        inProgress: 1,
        failed: 0,
        modules: [
          { name: 'a', state: 'Building', image: 'a:97' },
          { name: 'b', state: 'Ready', image: 'b:97' },
        ],
      },
      {
        version: K_OLD,
        ready: 0,
        inProgress: 1,
        failed: 1,
        modules: [
          {
            name: 'a',
            state: 'Pending',
            message: 'the ManagedClusterModule has not reported on this kernel yet',
          },
          { name: 'b', state: 'NoMapping', message: 'no mapping' },
        ],
      },
    ]);
    expect(status.conditions).toEqual([
      {
        type: 'Ready',
        status: 'False',
        reason: 'NotReady',
        message: `1 module and kernel pair cannot load as things are: b on ${K_OLD} (NoMapping)`,
        lastTransitionTime: 'now',
      },
    ]);
  });

  it('is Ready when every MCM is Ready on every kernel', () => {
    const only = { ...preflight, spec: { kernels: [{ version: K96 }] } };
    const status = kernelPreflightStatus(
      only,
      [named('a', { preflight: [{ kernelVersion: K96, image: 'a', state: 'Ready' }] })],
      'now',
    );
    expect(status.conditions?.[0]).toMatchObject({ status: 'True', reason: 'AllReady' });
  });

  it('reports an invalid object with its field paths and prepares nothing', () => {
    const bad = { ...preflight, spec: { kernels: [{ version: `${K97}+` }] } };
    const status = kernelPreflightStatus(bad, [named('a')], 'now');
    expect(status.kernels).toEqual([]);
    expect(status.conditions?.[0]).toMatchObject({
      status: 'False',
      reason: 'Invalid',
      message: expect.stringContaining(`spec.kernels[0].version: ${K97}+ ends with "+"`),
    });
  });
});

describe('mcmPreflightChanged', () => {
  it('is true for a new preflight entry, a coming or going MCM, and false for other status changes', () => {
    const a = named('a', { numberApplied: 1 });
    expect(mcmPreflightChanged(a, named('a', { numberApplied: 2 }))).toBe(false);
    expect(
      mcmPreflightChanged(a, named('a', { preflight: [{ kernelVersion: K96, state: 'Ready' }] })),
    ).toBe(true);
    expect(mcmPreflightChanged(undefined, a)).toBe(true);
    expect(mcmPreflightChanged(a, undefined)).toBe(true);
  });
});
