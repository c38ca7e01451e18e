import { startApiServer, type ApiServerHandle } from 'kmm-hub-sandbox';
import { EventRecorder, type EventInput, WriteGate } from 'kmm-hub-controller';
import { kubeConfigFrom, testLogger, waitFor } from '../helpers';

// Aggregated core/v1 Events in the sandbox API server: repeats bump one Event's count instead of piling up,
// bursts are coalesced into few writes, and a replica that does not lead writes none.

jest.setTimeout(30_000);

type Ev = {
  metadata: { name: string; namespace: string };
  involvedObject: { kind: string; name: string; uid: string };
  reason: string;
  type: string;
  message: string;
  count: number;
  firstTimestamp: string;
  lastTimestamp: string;
  source?: { component?: string };
};

describe('EventRecorder', () => {
  let server: ApiServerHandle;
  let leading = true;
  const recorders: EventRecorder[] = [];

  beforeAll(async () => {
    server = await startApiServer();
  });
  afterAll(() => server.stop());
  afterEach(async () => {
    await Promise.all(recorders.splice(0).map((r) => r.stop()));
    leading = true;
  });

  const recorder = (minWriteIntervalMs = 0) => {
    const r = new EventRecorder({
      kubeConfig: kubeConfigFrom(server.kubeconfig),
      gate: new WriteGate({
        get isLeader() {
          return leading;
        },
      }),
      logger: testLogger(),
      namespace: 'default',
      reportingController: 'kmm-hub-controller',
      reportingInstance: 'test-1',
      minWriteIntervalMs,
    });
    recorders.push(r);
    return r;
  };
  const eventsOf = (uid: string) =>
    server.objects.list<Ev>('v1', 'Event', 'default').filter((e) => e.involvedObject.uid === uid);
  const input = (uid: string, over: Partial<EventInput> = {}): EventInput => ({
    regarding: {
      apiVersion: 'hub.kmm.sigs.x-k8s.io/v1beta1',
      kind: 'ManagedClusterModule',
      name: `mcm-${uid}`,
      uid,
    },
    type: 'Normal',
    reason: 'ManifestWorksCreated',
    action: 'Create',
    message: 'Created ManifestWorks for 2 clusters: c1, c2',
    ...over,
  });

  it('creates one Event about the MCM, then counts repeats on it with the latest message', async () => {
    const r = recorder();
    r.record(input('u1'));
    await r.flush();
    r.record(input('u1', { message: 'Created ManifestWorks for 1 cluster: c3' }));
    await r.flush();
    r.record(input('u1', { message: 'Created ManifestWorks for 1 cluster: c4' }));
    await r.flush();
    const events = eventsOf('u1');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      involvedObject: { kind: 'ManagedClusterModule', name: 'mcm-u1', uid: 'u1' },
      reason: 'ManifestWorksCreated',
      type: 'Normal',
      count: 3,
      message: 'Created ManifestWorks for 1 cluster: c4',
      source: { component: 'kmm-hub-controller' },
    });
    expect(events[0]!.metadata.name).toMatch(/^mcm-u1\.[0-9a-f]+$/);
  });

  it('keeps different reasons apart', async () => {
    const r = recorder();
    r.record(input('u2'));
    r.record(
      input('u2', { reason: 'InvalidSpec', type: 'Warning', action: 'Validate', message: 'bad' }),
    );
    await r.flush();
    expect(
      eventsOf('u2')
        .map((e) => `${e.type}/${e.reason}/${e.count}`)
        .sort(),
    ).toEqual(['Normal/ManifestWorksCreated/1', 'Warning/InvalidSpec/1']);
  });

  it('folds a burst into a few writes per interval and ends with the full count', async () => {
    const r = recorder(200);
    const before = server.audit.writes({ resource: 'events' });
    for (let i = 0; i < 50; i++) r.record(input('u3', { message: `burst ${i}` }));
    await waitFor('the burst to be written', () => eventsOf('u3')[0]?.count === 50, {
      timeoutMs: 5000,
    });
    expect(eventsOf('u3')[0]!.message).toBe('burst 49');
    expect(server.audit.writes({ resource: 'events' }) - before).toBeLessThanOrEqual(3);
  });

  it('writes nothing when not the leader', async () => {
    leading = false;
    const r = recorder();
    const before = server.audit.writes({ resource: 'events' });
    r.record(input('u4'));
    await r.flush();
    expect(eventsOf('u4')).toEqual([]);
    expect(server.audit.writes({ resource: 'events' })).toBe(before);
  });
});
