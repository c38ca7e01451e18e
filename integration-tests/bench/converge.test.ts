/**
 * The convergence bench's measuring at a CI size: every figure it reports is produced and consistent. No speed
 * or memory goal is asserted here (the shared CI machine would make them flaky); those are read from the
 * full-size run (`npm run bench:converge -- --clusters 3500 --mcms 3`).
 */
import { parseMemoryQuantity, runConverge, type ConvergeFigures } from './converge-run';

jest.setTimeout(600_000);

describe('converge bench at 40 clusters', () => {
  let figures: ConvergeFigures;
  const lines: string[] = [];

  beforeAll(async () => {
    figures = await runConverge(
      {
        clusters: 40,
        mcms: 2,
        statusSyncIntervalMs: 200,
        seed: 3,
        samples: 3,
        sampleGapMs: 50,
        steadySeconds: 3,
        memoryLimitBytes: parseMemoryQuantity('320Mi'),
        compiled: false,
        images: false,
      },
      (line) => lines.push(line),
    );
  });

  it('measures the rollout, its status lag and the controller memory', () => {
    expect(figures.works).toBeGreaterThan(0);
    expect(figures.baselineMs).toBeGreaterThan(0);
    expect(figures.writtenMs).toBeGreaterThan(0);
    expect(figures.settledMs).toBeGreaterThanOrEqual(figures.writtenMs);
    expect(figures.statusLagMs).toBeGreaterThanOrEqual(0);
    expect(figures.statusLagMs).toBeLessThanOrEqual(figures.settledMs);
    expect(figures.peakRssMiB).toBeGreaterThan(0);
    expect(figures.reconciles.count).toBeGreaterThan(0);
    // the controller ran with the heap it gives itself under that limit
    expect(figures.heapFlags).toEqual(['--max-old-space-size=128', '--max-semi-space-size=4']);
    expect(figures.requests).toContainEqual(['create manifestworks', figures.works]);
  });

  it('measures each kernel upgrade from the audit', () => {
    const { samples } = figures;
    expect(samples.count).toBe(3);
    expect(samples.claimToWorks.p50).toBeGreaterThan(0);
    expect(samples.claimToWorks.p99).toBeGreaterThanOrEqual(samples.claimToWorks.p50);
    expect(samples.claimToWorks.max).toBeGreaterThanOrEqual(samples.claimToWorks.p99);
    // one report per ManifestWork of each upgraded cluster, each followed by a status write or not needing one
    expect(samples.reportToStatus.count + samples.reportToStatus.unchanged).toBe(3 * 2);
    expect(samples.reconciles).toBeGreaterThan(0);
    expect(samples.reconcileAvgMs).toBeGreaterThan(0);
  });

  it('watches the steady state', () => {
    const { steady } = figures;
    expect(steady.seconds).toBe(3);
    expect(steady.cpuSeconds).toBeGreaterThanOrEqual(0);
    expect(steady.rssStartMiB).toBeGreaterThan(0);
    expect(steady.rssEndMiB).toBeGreaterThan(0);
    // nothing changes, so nothing but Lease renewals is written
    expect(steady.otherWrites).toBe(0);
  });

  it('prints every figure', () => {
    const text = lines.join('\n');
    for (const label of [
      'controller, settled:',
      'status lag:',
      'controller peak RSS:',
      'kernel upgrade:',
      'work status report:',
      'reconciles per change:',
      'steady state:',
    ])
      expect(text).toContain(label);
  });
});
