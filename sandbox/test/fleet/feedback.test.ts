import { readFeedback } from '../../src/fleet/feedback';
import type { ManifestConfigOption } from 'kmm-hub-controller/model';

const config = (paths: [string, string][]): ManifestConfigOption => ({
  resourceIdentifier: {
    group: 'kmm.sigs.x-k8s.io',
    resource: 'modules',
    name: 'm',
    namespace: 'n',
  },
  feedbackRules: [{ type: 'JSONPaths', jsonPaths: paths.map(([name, path]) => ({ name, path })) }],
});

const object = {
  apiVersion: 'kmm.sigs.x-k8s.io/v1beta1',
  kind: 'Module',
  status: {
    moduleLoader: { nodesMatchingSelectorNumber: 3, desiredNumber: 2 },
    conditions: [{ type: 'Ready', status: 'True' }],
    ratio: 0.5,
    flag: true,
  },
};

describe('status feedback (OCM JSONPaths rules)', () => {
  it('reads integers, strings and booleans, and skips missing values', () => {
    const result = readFeedback(
      object,
      config([
        [
          'moduleLoader.nodesMatchingSelectorNumber',
          '.status.moduleLoader.nodesMatchingSelectorNumber',
        ],
        ['moduleLoader.desiredNumber', '.status.moduleLoader.desiredNumber'],
        ['moduleLoader.availableNumber', '.status.moduleLoader.availableNumber'],
        ['ready', '.status.conditions[?(@.type=="Ready")].status'],
        ['flag', '.status.flag'],
      ]),
    );
    expect(result.values).toEqual([
      {
        name: 'moduleLoader.nodesMatchingSelectorNumber',
        fieldValue: { type: 'Integer', integer: 3 },
      },
      { name: 'moduleLoader.desiredNumber', fieldValue: { type: 'Integer', integer: 2 } },
      { name: 'ready', fieldValue: { type: 'String', string: 'True' } },
      { name: 'flag', fieldValue: { type: 'Boolean', boolean: true } },
    ]);
    expect(result.condition).toEqual({
      type: 'StatusFeedbackSynced',
      status: 'True',
      reason: 'StatusFeedbackSynced',
    });
  });

  it('reports values of other types as a failed sync, keeping the good values', () => {
    const result = readFeedback(
      object,
      config([
        ['ratio', '.status.ratio'],
        ['desired', '.status.moduleLoader.desiredNumber'],
      ]),
    );
    expect(result.values).toEqual([
      { name: 'desired', fieldValue: { type: 'Integer', integer: 2 } },
    ]);
    expect(result.condition).toEqual({
      type: 'StatusFeedbackSynced',
      status: 'False',
      reason: 'StatusFeedbackSyncFailed',
      message:
        'Sync status feedback failed with error the type float64 of the value for ratio is not found',
    });
  });

  it('says NoStatusFeedbackSynced without feedback rules', () => {
    expect(readFeedback(object, undefined)).toEqual({
      values: [],
      condition: { type: 'StatusFeedbackSynced', status: 'True', reason: 'NoStatusFeedbackSynced' },
    });
  });
});
