import { imageProblemEvents, statusEvents, writeEvents, type WriteOutcome } from './events';
import type { Condition, ImageStatus, ManagedClusterModuleStatus } from './types';

const outcome = (
  over: Partial<WriteOutcome['done']> = {},
  failed: WriteOutcome['failed'] = [],
) => ({
  done: { create: [], update: [], delete: [], ...over },
  failed,
});

describe('writeEvents', () => {
  it('is one Normal Event per kind of write, naming five clusters and counting the rest', () => {
    const clusters = Array.from({ length: 7 }, (_, i) => `c${i + 1}`);
    expect(writeEvents(outcome({ create: clusters, update: ['c9'] }), '')).toEqual([
      {
        type: 'Normal',
        reason: 'ManifestWorksCreated',
        action: 'Create',
        message: 'Created ManifestWorks for 7 clusters: c1, c2, c3, c4, c5 and 2 more',
      },
      {
        type: 'Normal',
        reason: 'ManifestWorksUpdated',
        action: 'Update',
        message: 'Updated the ManifestWorks of 1 cluster: c9',
      },
    ]);
    expect(writeEvents(outcome(), '')).toEqual([]);
  });

  it('says why works were deleted: no longer selected, or the reason given', () => {
    expect(writeEvents(outcome({ delete: ['c1'] }), '')[0]!.message).toBe(
      'Deleted the ManifestWorks of 1 cluster no longer selected or eligible: c1',
    );
    expect(
      writeEvents(
        outcome({ delete: ['c1', 'c2'] }),
        'the ManagedClusterModule is being deleted',
      )[0]!.message,
    ).toBe(
      'Deleted the ManifestWorks of 2 clusters: c1, c2 (the ManagedClusterModule is being deleted)',
    );
  });

  it('adds one Warning for the failed writes, with the first three errors', () => {
    const failed = ['c1', 'c2', 'c3', 'c4'].map((cluster) => ({
      verb: 'create' as const,
      cluster,
      message: 'forbidden',
    }));
    expect(writeEvents(outcome({}, failed), '')).toEqual([
      {
        type: 'Warning',
        reason: 'ManifestWorkWriteFailed',
        action: 'Write',
        message:
          'Could not write the ManifestWorks of 4 clusters (retrying with backoff): create c1: forbidden; ' +
          'create c2: forbidden; create c3: forbidden and 1 more',
      },
    ]);
  });
});

describe('statusEvents', () => {
  const status = (generation: number, ...conditions: Condition[]): ManagedClusterModuleStatus => ({
    observedGeneration: generation,
    conditions,
  });
  const invalid = (message: string): Condition => ({
    type: 'Degraded',
    status: 'True',
    reason: 'InvalidSpec',
    message,
  });
  const ready = (generation: number): Condition => ({
    type: 'Ready',
    status: 'True',
    reason: 'RolloutComplete',
    message: 'all applied',
    observedGeneration: generation,
  });

  it('warns when the spec becomes invalid or its problems change, not when they stay', () => {
    expect(statusEvents(undefined, status(1, invalid('spec.selector: bad')))).toEqual([
      { type: 'Warning', reason: 'InvalidSpec', action: 'Validate', message: 'spec.selector: bad' },
    ]);
    expect(
      statusEvents(status(1, invalid('spec.selector: bad')), status(2, invalid('spec.x: bad'))),
    ).toHaveLength(1);
    expect(
      statusEvents(
        status(1, invalid('spec.selector: bad')),
        status(1, invalid('spec.selector: bad')),
      ),
    ).toEqual([]);
  });

  it('warns when ManifestWorks become degraded and when their causes change, not while they stay', () => {
    const degraded = (message: string): Condition => ({
      type: 'Degraded',
      status: 'True',
      reason: 'ManifestWorksDegraded',
      message,
    });
    const cause =
      '2 of 2 eligible clusters report a problem. 2 clusters: namespace x does not exist';
    expect(statusEvents(undefined, status(1, degraded(cause)))).toEqual([
      { type: 'Warning', reason: 'ManifestWorksDegraded', action: 'Rollout', message: cause },
    ]);
    expect(statusEvents(status(1, degraded(cause)), status(1, degraded(cause)))).toEqual([]);
    expect(statusEvents(status(1, degraded(cause)), status(1, degraded(`${cause}!`)))).toHaveLength(
      1,
    );
  });

  it('records a rollout completion once per generation', () => {
    expect(statusEvents(status(1), status(1, ready(1)))).toEqual([
      {
        type: 'Normal',
        reason: 'RolloutComplete',
        action: 'Rollout',
        message: 'Generation 1 rolled out: all applied',
      },
    ]);
    expect(statusEvents(status(1, ready(1)), status(1, ready(1)))).toEqual([]);
    expect(statusEvents(status(1, ready(1)), status(2, ready(2)))).toHaveLength(1);
  });
});

describe('imageProblemEvents', () => {
  const img = (
    image: string,
    state: ImageStatus['state'],
    reason?: string,
    message?: string,
  ): ImageStatus => ({
    image,
    kernelVersions: [],
    clusters: 1,
    state,
    build: false,
    sign: false,
    ...(reason ? { reason } : {}),
    ...(message ? { message } : {}),
  });

  it('warns once per new problem reason, counting the images that share it', () => {
    const after = {
      images: [
        img('a:1', 'Unknown', 'RegistryUnreachable', 'cannot check a:1: r is unreachable'),
        img('b:1', 'Ready', 'RegistryUnreachable', 'cannot check b:1: r is unreachable'),
        img('c:1', 'Failed', 'BuildConfigInvalid', 'ConfigMap ns/df has no "dockerfile" key'),
        img('d:1', 'Failed', 'BuildFailed', 'Job j failed'),
        img('e:1', 'Ready'),
      ],
    };
    expect(imageProblemEvents(undefined, after)).toEqual([
      {
        type: 'Warning',
        reason: 'RegistryUnreachable',
        action: 'CheckImage',
        message: 'cannot check a:1: r is unreachable (and 1 more image with the same problem: b:1)',
      },
      {
        type: 'Warning',
        reason: 'BuildConfigInvalid',
        action: 'CheckImage',
        message: 'ConfigMap ns/df has no "dockerfile" key',
      },
    ]);
    // nothing new: no Event
    expect(imageProblemEvents(after, after)).toEqual([]);
  });
});
