import { createMetrics } from '../metrics';
import { startHealthServer, type HealthServer } from './health-server';

describe('health server', () => {
  let server: HealthServer;
  let synced = false;
  const metrics = createMetrics({ processMetrics: false });

  beforeAll(async () => {
    server = await startHealthServer({
      host: '127.0.0.1',
      port: 0,
      registry: metrics.registry,
      liveness: [{ name: 'ping', check: () => ({ ok: true, message: 'ok' }) }],
      readiness: [
        {
          name: 'informers',
          check: () =>
            synced
              ? { ok: true, message: 'ok' }
              : { ok: false, message: 'managedclusters not synced' },
        },
        { name: 'leader-election', check: () => ({ ok: true, message: 'standby' }) },
      ],
    });
  });
  afterAll(() => server.close());

  it('answers /healthz with ok', async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('ok\n');
  });

  it('answers /readyz with 503 and the failing check until ready, then ok', async () => {
    synced = false;
    let res = await fetch(`${server.url}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.text()).toBe(
      '[-]informers failed: managedclusters not synced\n[+]leader-election standby\ncheck failed\n',
    );
    synced = true;
    res = await fetch(`${server.url}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('ok\n');
    res = await fetch(`${server.url}/readyz?verbose`);
    expect(await res.text()).toContain('[+]informers ok');
  });

  it('serves the Prometheus metrics in the text format', async () => {
    metrics.apiWrites.inc({ verb: 'create', resource: 'manifestworks' }, 3);
    const res = await fetch(`${server.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toContain('kmm_hub_api_writes_total{verb="create",resource="manifestworks"} 3');
    expect(text).toContain('# TYPE kmm_hub_reconcile_duration_seconds histogram');
  });

  it('answers 404 for other paths and 405 for writes', async () => {
    expect((await fetch(`${server.url}/nope`)).status).toBe(404);
    expect((await fetch(`${server.url}/healthz`, { method: 'POST' })).status).toBe(405);
  });
});
