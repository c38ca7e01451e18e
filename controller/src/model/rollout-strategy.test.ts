import { mcm } from './__fixtures__/rollout';
import { intOrPercent, parseDuration, resolveStrategy } from './rollout-strategy';
import type { RolloutStrategy } from './types';
import { validateManagedClusterModule } from './validation';

const withStrategy = (s: unknown) => {
  const m = mcm();
  (m.spec as { rolloutStrategy?: unknown }).rolloutStrategy = s;
  return m;
};
const problems = (s: unknown) => validateManagedClusterModule(withStrategy(s));

describe('Go durations', () => {
  it.each([
    ['1s', 1000],
    ['500ms', 500],
    ['1m30s', 90_000],
    ['1.5h', 5_400_000],
    ['2h45m', 9_900_000],
    ['0', 0],
    ['0s', 0],
  ])('%s is %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', '1', '5 m', '1d', '-1s', 's', '1s '])('%p is not one', (text) =>
    expect(parseDuration(text)).toBeUndefined(),
  );
});

describe('intOrPercent', () => {
  it('takes whole numbers as they are and percentages of the total rounded down', () => {
    expect(intOrPercent(3, 10)).toBe(3);
    expect(intOrPercent('25%', 10)).toBe(2);
    expect(intOrPercent('100%', 7)).toBe(7);
    expect(intOrPercent('101%', 7)).toBeUndefined();
    expect(intOrPercent('x', 7)).toBeUndefined();
    expect(intOrPercent(1.5, 7)).toBeUndefined();
  });
});

describe('spec.rolloutStrategy validation', () => {
  it('accepts no strategy, All, and complete progressive strategies', () => {
    expect(problems(undefined)).toEqual([]);
    expect(problems({ type: 'All' })).toEqual([]);
    expect(
      problems({
        type: 'Progressive',
        maxConcurrency: '25%',
        minSuccessTime: '1m',
        progressDeadline: 'None',
        maxFailures: 2,
        mandatoryDecisionGroups: [{ groupName: 'canary', clusterSelector: { rollout: 'canary' } }],
      }),
    ).toEqual([]);
    expect(
      problems({ type: 'ProgressivePerGroup', groupByLabel: 'region', progressDeadline: '10m' }),
    ).toEqual([]);
  });

  it('names the field and the fix for each mistake', () => {
    expect(
      problems({
        type: 'Progressive',
        maxConcurrency: 0,
        maxFailures: '150%',
        minSuccessTime: '5 minutes',
        progressDeadline: 30,
        groupByLabel: 'region',
        mandatoryDecisionGroups: [
          { groupName: 'canary', clusterSelector: {} },
          { groupName: 'canary', clusterSelector: { a: 1 } },
          { clusterSelector: { b: 'c' } },
        ],
        maxSurge: 1,
      }),
    ).toEqual([
      {
        field: 'spec.rolloutStrategy.maxSurge',
        message: expect.stringMatching(
          /^is not a rollout strategy field \(known: type, maxConcurrency/,
        ),
      },
      {
        field: 'spec.rolloutStrategy.maxConcurrency',
        message: 'must be a whole number of at least 1, or a percentage such as "25%"',
      },
      {
        field: 'spec.rolloutStrategy.maxFailures',
        message:
          '"150%" is not a percentage from 0% to 100% (write e.g. "25%", or a whole number without quotes)',
      },
      {
        field: 'spec.rolloutStrategy.minSuccessTime',
        message: '"5 minutes" is not a Go duration: write e.g. "30s", "5m" or "1h30m"',
      },
      {
        field: 'spec.rolloutStrategy.progressDeadline',
        message: 'must be a duration string such as "30s", "5m" or "1h30m" (quote it in YAML)',
      },
      {
        field: 'spec.rolloutStrategy.groupByLabel',
        message:
          'applies to type ProgressivePerGroup only (type is Progressive): remove it or set type: ProgressivePerGroup',
      },
      {
        field: 'spec.rolloutStrategy.mandatoryDecisionGroups[0].clusterSelector',
        message:
          'must name at least one label: an empty selector would put every cluster in this group',
      },
      {
        field: 'spec.rolloutStrategy.mandatoryDecisionGroups[1].groupName',
        message: '"canary" names an earlier group too: group names must be unique',
      },
      {
        field: 'spec.rolloutStrategy.mandatoryDecisionGroups[1].clusterSelector[a]',
        message: 'must be a string, not number 1 (quote it in YAML, e.g. "true")',
      },
      {
        field: 'spec.rolloutStrategy.mandatoryDecisionGroups[2].groupName',
        message: 'is required: name the group (e.g. canary)',
      },
    ]);
  });

  it('refuses an unknown type, and fields that do not apply to the type', () => {
    expect(problems({ type: 'Canary' })).toEqual([
      {
        field: 'spec.rolloutStrategy.type',
        message: 'must be one of All, Progressive, ProgressivePerGroup, not "Canary"',
      },
    ]);
    expect(problems({ type: 'ProgressivePerGroup', maxConcurrency: 2 })).toEqual([
      {
        field: 'spec.rolloutStrategy.maxConcurrency',
        message:
          'applies to type Progressive only (type is ProgressivePerGroup): remove it or set type: Progressive',
      },
    ]);
    expect(
      problems({ mandatoryDecisionGroups: [{ groupName: 'c', clusterSelector: { a: 'b' } }] }),
    ).toEqual([
      {
        field: 'spec.rolloutStrategy.mandatoryDecisionGroups',
        message:
          'apply to the progressive types only (type All moves every cluster at once): set type: Progressive',
      },
    ]);
  });
});

describe('resolveStrategy', () => {
  const resolve = (s: RolloutStrategy | undefined, total = 10) =>
    resolveStrategy(withStrategy(s), total);

  it('is undefined (everything at once) without a strategy or with type All', () => {
    expect(resolve(undefined)).toBeUndefined();
    expect(resolve({ type: 'All' })).toBeUndefined();
    expect(resolve({})).toBeUndefined();
  });

  it("fills OCM's defaults: unbounded concurrency, no minimum success time, no deadline, no failure", () => {
    expect(resolve({ type: 'Progressive' })).toEqual({
      type: 'Progressive',
      maxConcurrency: Infinity,
      minSuccessMs: 0,
      progressDeadlineMs: undefined,
      progressDeadline: 'None',
      maxFailures: 0,
      mandatoryGroups: [],
      groupByLabel: undefined,
    });
  });

  it('resolves percentages against the number of clusters, with at least one cluster moving', () => {
    expect(
      resolve({ type: 'Progressive', maxConcurrency: '30%', maxFailures: '50%' }, 10),
    ).toMatchObject({ maxConcurrency: 3, maxFailures: 5 });
    expect(resolve({ type: 'Progressive', maxConcurrency: '30%' }, 2)).toMatchObject({
      maxConcurrency: 1,
    });
  });
});
