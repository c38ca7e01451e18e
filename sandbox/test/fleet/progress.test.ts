// Registering thousands of clusters takes a while: the fleet says how far it got, without flooding the log.
import { Fleet } from '../../src/fleet';
import { startApiServer, type ApiServerHandle } from '../../src/server';

jest.setTimeout(30_000);

let server: ApiServerHandle;
beforeAll(async () => {
  server = await startApiServer({ port: 0 });
});
afterAll(() => server?.stop());

async function register(clusters: number, progressIntervalMs: number): Promise<string[]> {
  const lines: string[] = [];
  const fleet = await Fleet.start({
    kubeconfig: server.kubeconfig,
    clusters,
    seed: 1,
    log: (line) => lines.push(line),
    progressIntervalMs,
  });
  await fleet.stop();
  return lines.filter((l) => l.startsWith('fleet: registered'));
}

it('logs how many clusters are registered so far, and leaves the last count to the caller', async () => {
  expect(await register(4, 0)).toEqual([
    'fleet: registered 1/4 clusters',
    'fleet: registered 2/4 clusters',
    'fleet: registered 3/4 clusters',
  ]);
});

it('logs at most once per interval', async () => {
  expect(await register(4, 60_000)).toEqual([]);
});
