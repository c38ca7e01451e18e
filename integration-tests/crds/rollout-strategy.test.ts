import { normalize, validate } from 'kmm-hub-sandbox/schema';
import { validateManagedClusterModule, type ManagedClusterModule } from 'kmm-hub-controller/model';
import { mcmSchema as chartMcmSchema } from './crd-schemas';

// spec.rolloutStrategy in the chart's CRD, as an API server serving it (the sandbox's structural schema and
// CEL code) applies it, next to kmm-hub's own validation: both accept the same strategies, and both refuse
// the same mistakes with the field named.

const schema = chartMcmSchema();

function mcm(rolloutStrategy: unknown): ManagedClusterModule {
  return {
    apiVersion: 'hub.kmm.sigs.x-k8s.io/v1beta1',
    kind: 'ManagedClusterModule',
    metadata: { name: 'drv' },
    spec: {
      spokeNamespace: 'kmm',
      selector: { gpu: 'true' },
      moduleSpec: { selector: {} },
      rolloutStrategy,
    } as ManagedClusterModule['spec'],
  };
}
const apiServer = (s: unknown) =>
  validate(schema, mcm(s), { skipRootMetadata: true }).map((e) => `${e.field}: ${e.message}`);
const fields = (s: unknown) =>
  validate(schema, mcm(s), { skipRootMetadata: true }).map((e) => e.field);
const model = (s: unknown) => validateManagedClusterModule(mcm(s)).map((p) => p.field);

describe('spec.rolloutStrategy in the CRD', () => {
  it.each([
    [{ type: 'All' }],
    [{ type: 'Progressive', maxConcurrency: 2, minSuccessTime: '1s', progressDeadline: '2m30s' }],
    [{ type: 'Progressive', maxConcurrency: '25%', maxFailures: '10%', progressDeadline: 'None' }],
    [
      {
        type: 'Progressive',
        maxFailures: 0,
        mandatoryDecisionGroups: [{ groupName: 'canary', clusterSelector: { rollout: 'canary' } }],
      },
    ],
    [{ type: 'ProgressivePerGroup', groupByLabel: 'region' }],
  ])('accepts %j, as kmm-hub does, and stores it as written', (strategy) => {
    expect(apiServer(strategy)).toEqual([]);
    expect(model(strategy)).toEqual([]);
    const stored = normalize(schema, mcm(strategy));
    expect(stored.unknownFields).toEqual([]);
    expect((stored.value as ManagedClusterModule).spec.rolloutStrategy).toEqual(strategy);
  });

  it('defaults type to All, which is what an MCM without a strategy does', () => {
    const stored = normalize(schema, mcm({ maxFailures: 1 }));
    expect((stored.value as ManagedClusterModule).spec.rolloutStrategy).toEqual({
      type: 'All',
      maxFailures: 1,
    });
  });

  it.each([
    [{ type: 'Canary' }, 'spec.rolloutStrategy.type'],
    [{ type: 'Progressive', maxConcurrency: 0 }, 'spec.rolloutStrategy.maxConcurrency'],
    [{ type: 'Progressive', maxConcurrency: '0%' }, 'spec.rolloutStrategy.maxConcurrency'],
    [{ type: 'Progressive', maxConcurrency: '120%' }, 'spec.rolloutStrategy.maxConcurrency'],
    [{ type: 'Progressive', maxFailures: 'x' }, 'spec.rolloutStrategy.maxFailures'],
    [{ type: 'Progressive', minSuccessTime: '5 minutes' }, 'spec.rolloutStrategy.minSuccessTime'],
    [{ type: 'Progressive', progressDeadline: '1d' }, 'spec.rolloutStrategy.progressDeadline'],
    [{ type: 'ProgressivePerGroup', maxConcurrency: 2 }, 'spec.rolloutStrategy'],
    [{ type: 'Progressive', groupByLabel: 'region' }, 'spec.rolloutStrategy'],
    [
      { type: 'Progressive', mandatoryDecisionGroups: [{ groupName: 'c', clusterSelector: {} }] },
      'spec.rolloutStrategy.mandatoryDecisionGroups[0].clusterSelector',
    ],
  ])('refuses %j at %s, and kmm-hub refuses it too', (strategy, field) => {
    expect(fields(strategy)).toContain(field);
    expect(model(strategy).some((f) => f.startsWith(field))).toBe(true);
  });

  it('says what is wrong in the CEL rules it adds', () => {
    expect(apiServer({ type: 'ProgressivePerGroup', maxConcurrency: 2 }).join('\n')).toContain(
      'maxConcurrency applies to type Progressive only',
    );
  });
});
