// Run by faults-audit.test.ts in a child process: a request held by injected latency whose client goes away,
// then the server stops. Nothing may be left pending: the process must exit at once, not when the latency ends.
import { startApiServer } from '../../src/server';

void (async () => {
  const server = await startApiServer();
  server.faults.setLatency(30_000, { verb: 'create', resource: 'configmaps' });
  const client = new AbortController();
  const create = fetch(`${server.httpUrl}/api/v1/namespaces/default/configmaps`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ metadata: { name: 'abandoned' } }),
    signal: client.signal,
  }).catch(() => 'aborted');
  await new Promise((r) => setTimeout(r, 200));
  client.abort();
  process.stdout.write(`${String(await create)}\n`);
  await server.stop();
})();
