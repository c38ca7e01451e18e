import type { McmDiff, PlanDiffDocument } from '../model';
import { planDiffText, TEXT_NAME_LIMIT } from './plan-diff-text';

const names = (n: number, prefix = 'c') =>
  Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(4, '0')}`);

const diff = (over: Partial<McmDiff>): McmDiff => ({
  mcm: 'drv',
  onHub: true,
  changed: true,
  changedClusters: [],
  clustersGained: [],
  clustersLost: [],
  imageChanges: [],
  otherChanges: [],
  images: [],
  ...over,
});

const doc = (mcms: McmDiff[], over: Partial<PlanDiffDocument> = {}): PlanDiffDocument => ({
  changed: mcms.some((m) => m.changed),
  changedClusters: new Set(mcms.flatMap((m) => m.changedClusters)).size,
  fleetClusters: 500,
  mcms,
  errors: [],
  ...over,
});

describe('planDiffText', () => {
  it('lists at most TEXT_NAME_LIMIT names per line and says how many more', () => {
    const gained = names(TEXT_NAME_LIMIT + 7);
    const text = planDiffText(doc([diff({ clustersGained: gained, changedClusters: gained })]));
    const line = text.split('\n').find((l) => l.includes('gains the module'))!;
    expect(line).toBe(
      `  + gains the module (${gained.length}): ${gained.slice(0, TEXT_NAME_LIMIT).join(', ')}, ` +
        'and 7 more (-o json lists all)',
    );
    expect(text.endsWith(`${gained.length} clusters of 500 would change.\n`)).toBe(true);
  });

  it('names kernels without a mapping on one side, a new MCM, invalid MCMs and the limit', () => {
    const text = planDiffText(
      doc(
        [
          diff({
            mcm: 'fresh',
            onHub: false,
            changedClusters: ['a'],
            imageChanges: [
              { kernelVersion: '6.1.0', from: null, to: 'q.io/m:6.1.0', clusters: ['a'] },
            ],
          }),
        ],
        {
          errors: [{ mcm: 'bad', field: 'spec.selector', message: 'must be a map' }],
          limit: { maxChangedClusters: '0', exceeded: true },
        },
      ),
    );
    expect(text).toBe(
      [
        'ManagedClusterModule fresh (new: not on the hub): 1 cluster changes',
        '  ~ kernel 6.1.0: (no mapping) -> q.io/m:6.1.0',
        '      on 1 cluster: a',
        'ManagedClusterModule bad: invalid, not compared: spec.selector: must be a map',
        '',
        '1 cluster of 500 would change.',
        '--max-changed-clusters 0: EXCEEDED.',
        '',
      ].join('\n'),
    );
  });
});
