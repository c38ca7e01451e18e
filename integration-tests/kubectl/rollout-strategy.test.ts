import { parse } from 'yaml';
import { MCM, startKubectlEnv, type KubectlEnv } from './harness';

// spec.rolloutStrategy through the real kubectl against the sandbox serving the chart's CRD: explained,
// applied, refused with the field named, and resumed with kubectl annotate without a new generation.

jest.setTimeout(60_000);

let env: KubectlEnv;
beforeAll(async () => {
  env = await startKubectlEnv();
});
afterAll(() => env.stop());

const strategy = (lines: string) =>
  `  rolloutStrategy:\n${lines
    .trim()
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n')}\n`;

it('explains spec.rolloutStrategy', async () => {
  const out = await env.ok(['explain', 'managedclustermodules.spec.rolloutStrategy']);
  expect(out).toContain('FIELD: rolloutStrategy <Object>');
  expect(out).toMatch(/maxConcurrency\s+</);
  expect(out).toMatch(/mandatoryDecisionGroups\s+<\[\]Object>/);
  expect(out).toMatch(/type\s+<string>/);
});

it('applies a progressive strategy as written, and type defaults to All', async () => {
  const yaml = MCM(
    'canaried',
    'kmm',
    strategy(`
type: Progressive
maxConcurrency: 25%
minSuccessTime: 1m
progressDeadline: 10m
maxFailures: 1
mandatoryDecisionGroups:
  - groupName: canary
    clusterSelector:
      ring: canary`),
  );
  expect(await env.ok(['apply', '-f', '-'], yaml)).toContain('canaried created');
  const stored = parse(await env.ok(['get', 'mcm', 'canaried', '-o', 'yaml']));
  expect(stored.spec.rolloutStrategy).toEqual({
    type: 'Progressive',
    maxConcurrency: '25%',
    minSuccessTime: '1m',
    progressDeadline: '10m',
    maxFailures: 1,
    mandatoryDecisionGroups: [{ groupName: 'canary', clusterSelector: { ring: 'canary' } }],
  });
  await env.ok(['apply', '-f', '-'], MCM('defaulted', 'kmm', strategy('maxFailures: 2')));
  const defaulted = parse(await env.ok(['get', 'mcm', 'defaulted', '-o', 'yaml']));
  expect(defaulted.spec.rolloutStrategy).toEqual({ type: 'All', maxFailures: 2 });
});

it('refuses a bad strategy naming each field', async () => {
  const bad = await env.kubectl(
    ['apply', '-f', '-'],
    MCM(
      'bad-strategy',
      'kmm',
      strategy(`
type: Progressive
maxFailures: 150%
minSuccessTime: 5 minutes`),
    ),
  );
  expect(bad.code).toBe(1);
  expect(bad.stderr).toContain('The ManagedClusterModule "bad-strategy" is invalid');
  expect(bad.stderr).toContain('spec.rolloutStrategy.minSuccessTime: Invalid value: "5 minutes"');
  expect(bad.stderr).toContain('spec.rolloutStrategy.maxFailures: Invalid value');
  const misplaced = await env.kubectl(
    ['apply', '-f', '-'],
    MCM('misplaced', 'kmm', strategy('type: ProgressivePerGroup\nmaxConcurrency: 2')),
  );
  expect(misplaced.code).toBe(1);
  expect(misplaced.stderr).toContain(
    'spec.rolloutStrategy: Invalid value: "object": maxConcurrency applies to type Progressive only',
  );
});

it('resumes with kubectl annotate: metadata only, no new generation', async () => {
  await env.ok(['apply', '-f', '-'], MCM('resumable', 'kmm', strategy('type: Progressive')));
  const before = parse(await env.ok(['get', 'mcm', 'resumable', '-o', 'yaml']));
  await env.ok(['annotate', 'mcm', 'resumable', 'hub.kmm.sigs.x-k8s.io/resume-rollout=r1']);
  const after = parse(await env.ok(['get', 'mcm', 'resumable', '-o', 'yaml']));
  expect(after.metadata.annotations['hub.kmm.sigs.x-k8s.io/resume-rollout']).toBe('r1');
  expect(after.metadata.generation).toBe(before.metadata.generation);
});
