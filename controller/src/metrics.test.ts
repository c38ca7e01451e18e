import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RECONCILE_RESULTS, WRITE_SUCCEEDED, createMetrics } from './metrics';
import { buildInfo } from './version';

// controller/README.md documents every metric (name, type, labels); the registry must export exactly those.

interface Documented {
  name: string;
  type: string;
  labels: string[];
}

function documentedMetrics(): Documented[] {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
  return readme
    .split('\n')
    .filter((l) => l.startsWith('| `kmm_hub_'))
    .map((row) => {
      const [name, type, labels] = row
        .split('|')
        .slice(1, 4)
        .map((c) => c.trim());
      return {
        name: name!.replace(/`/g, ''),
        type: type!,
        labels: [...labels!.matchAll(/`(\w+)`/g)].map((m) => m[1]!).sort(),
      };
    });
}

describe('controller metrics', () => {
  const metrics = createMetrics({ processMetrics: false });

  it('exports exactly the metrics the README documents, with their types and labels', async () => {
    const documented = documentedMetrics();
    expect(documented.length).toBeGreaterThan(5);
    const exported = await Promise.all(
      (await metrics.registry.getMetricsAsJSON()).map(async (m) => {
        const metric = metrics.registry.getSingleMetric(m.name) as unknown as {
          labelNames?: string[];
        };
        return {
          name: m.name,
          type: String(m.type),
          labels: [...(metric.labelNames ?? [])].sort(),
        };
      }),
    );
    const byName = (a: Documented, b: Documented) => a.name.localeCompare(b.name);
    expect(exported.sort(byName)).toEqual(documented.sort(byName));
  });

  it('starts every reconcile result at 0, so that rates exist before the first error', async () => {
    const text = await metrics.registry.getSingleMetricAsString('kmm_hub_reconciles_total');
    for (const result of RECONCILE_RESULTS)
      expect(text).toContain(`kmm_hub_reconciles_total{result="${result}"} 0`);
  });
});

describe('API write metrics', () => {
  it('counts successes and failures in one counter, told apart by code', async () => {
    const metrics = createMetrics({ processMetrics: false });
    metrics.countWrite('create', 'manifestworks');
    metrics.countWrite('create', 'manifestworks');
    metrics.countWrite('create', 'manifestworks', 409);
    metrics.countWrite('update', 'leases', 0);
    const text = await metrics.registry.getSingleMetricAsString('kmm_hub_api_writes_total');
    expect(text.split('\n').filter((l) => !l.startsWith('#'))).toEqual([
      `kmm_hub_api_writes_total{verb="create",resource="manifestworks",code="${WRITE_SUCCEEDED}"} 2`,
      'kmm_hub_api_writes_total{verb="create",resource="manifestworks",code="409"} 1',
      'kmm_hub_api_writes_total{verb="update",resource="leases",code="0"} 1',
    ]);
    expect(WRITE_SUCCEEDED).toMatch(/^2..$/); // what code=~"2.." selects
    expect(
      await metrics.registry.getSingleMetric('kmm_hub_api_write_errors_total'),
    ).toBeUndefined();
  });
});

describe('kmm_hub_build_info', () => {
  it('is 1 with the version and commit of what runs', async () => {
    const { version, commit } = buildInfo();
    const text = await createMetrics({ processMetrics: false }).registry.getSingleMetricAsString(
      'kmm_hub_build_info',
    );
    expect(text.split('\n').at(-1)).toBe(
      `kmm_hub_build_info{version="${version}",commit="${commit ?? 'unknown'}"} 1`,
    );
    expect(commit).toMatch(/^[0-9a-f]{40}$/); // this test runs in a checkout
  });
});
