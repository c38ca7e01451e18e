import type { CoreV1Event } from '@kubernetes/client-node';
import { apiError, silentLogger } from '../__fakes__/kube';
import { WriteGate } from '../kube/write-gate';
import { EventRecorder, type EventClient, type EventInput } from './event-recorder';

// The recorder's series in fake time against an in-memory Events API: which requests a run of records costs,
// what each Event carries, and what happens when the Event it counts on is gone or changed.

/** Events by name, and every request as `verb name count`. */
class FakeEvents implements EventClient {
  readonly events = new Map<string, CoreV1Event>();
  readonly calls: string[] = [];
  /** the answer to the next replace instead of the stored Event (a 404 after the Event's TTL, a 409, ...) */
  failNextReplace?: unknown;
  failNextCreate?: unknown;
  private rv = 0;

  async create(namespace: string, event: CoreV1Event): Promise<CoreV1Event> {
    this.calls.push(`create ${event.metadata.name} ${event.count}`);
    if (this.failNextCreate) throw this.take('failNextCreate');
    return this.store(namespace, event);
  }

  async replace(namespace: string, event: CoreV1Event): Promise<CoreV1Event> {
    this.calls.push(`replace ${event.metadata.name} ${event.count}`);
    if (this.failNextReplace) throw this.take('failNextReplace');
    if (!this.events.has(event.metadata.name!)) throw apiError(404, 'NotFound');
    return this.store(namespace, event);
  }

  private take(which: 'failNextCreate' | 'failNextReplace'): unknown {
    const error = this[which];
    this[which] = undefined;
    return error;
  }

  private store(namespace: string, event: CoreV1Event): CoreV1Event {
    const stored = {
      ...event,
      metadata: { ...event.metadata, namespace, resourceVersion: String(++this.rv) },
    };
    this.events.set(stored.metadata.name!, stored);
    return stored;
  }
}

const input = (over: Partial<EventInput> = {}): EventInput => ({
  regarding: {
    apiVersion: 'hub.kmm.sigs.x-k8s.io/v1beta1',
    kind: 'ManagedClusterModule',
    name: 'drv',
    uid: 'uid-drv',
  },
  type: 'Normal',
  reason: 'ManifestWorksCreated',
  action: 'Create',
  message: 'Created ManifestWorks for 1 cluster: c1',
  ...over,
});

describe('EventRecorder', () => {
  let api: FakeEvents;
  let leading: boolean;
  let recorder: EventRecorder;

  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2025-05-01T10:00:00Z') });
    api = new FakeEvents();
    leading = true;
    recorder = new EventRecorder({
      client: api,
      gate: new WriteGate({
        get isLeader() {
          return leading;
        },
      }),
      logger: silentLogger(),
      namespace: 'default',
      reportingController: 'kmm-hub-controller',
      reportingInstance: 'replica-1',
    });
  });
  afterEach(async () => {
    await recorder.stop();
    jest.useRealTimers();
  });

  /** Runs the recorder's timers for ms and lets its writes finish. */
  const elapse = async (ms: number) => {
    await jest.advanceTimersByTimeAsync(ms);
    await recorder.flush();
  };
  const only = (): CoreV1Event => {
    expect(api.events.size).toBe(1);
    return [...api.events.values()][0]!;
  };

  it('counts repeats on one Event, one write per interval, with the latest message and time', async () => {
    recorder.record(input());
    await recorder.flush();
    const name = only().metadata.name!;
    expect(name).toMatch(/^drv\.[0-9a-f]+$/);
    expect(api.calls).toEqual([`create ${name} 1`]);

    // 49 repeats within the interval cost no request now, and one replace once it is over.
    for (let i = 2; i <= 50; i++) {
      await jest.advanceTimersByTimeAsync(10);
      recorder.record(input({ message: `Created ManifestWorks for 1 cluster: c${i}` }));
    }
    await elapse(509);
    expect(api.calls).toHaveLength(1);
    await elapse(1);
    expect(api.calls).toEqual([`create ${name} 1`, `replace ${name} 50`]);
    expect(only()).toMatchObject({
      count: 50,
      message: 'Created ManifestWorks for 1 cluster: c50',
      firstTimestamp: new Date('2025-05-01T10:00:00.000Z'),
      lastTimestamp: new Date('2025-05-01T10:00:00.490Z'),
      involvedObject: { kind: 'ManagedClusterModule', name: 'drv', uid: 'uid-drv' },
      reportingInstance: 'replica-1',
    });
  });

  it.each([
    ['deleted meanwhile (404)', apiError(404, 'NotFound')],
    ['changed by someone else (409)', apiError(409, 'Conflict')],
  ])(
    'starts a new Event that keeps the series count when the one it counts on was %s',
    async (_, error) => {
      recorder.record(input());
      await recorder.flush();
      const first = only().metadata.name!;
      api.events.clear();

      api.failNextReplace = error;
      recorder.record(input());
      await elapse(1000);
      const second = only().metadata.name!;
      expect(second).not.toBe(first);
      expect(api.calls).toEqual([`create ${first} 1`, `replace ${first} 2`, `create ${second} 2`]);

      // and the series goes on on the new one
      recorder.record(input());
      await elapse(1000);
      expect(api.calls.at(-1)).toBe(`replace ${second} 3`);
    },
  );

  it('keeps the Event it counts on when a replace fails otherwise, and never throws', async () => {
    recorder.record(input());
    await recorder.flush();
    const name = only().metadata.name!;

    api.failNextReplace = apiError(500, 'InternalError');
    recorder.record(input());
    await elapse(1000);
    recorder.record(input());
    await elapse(1000);
    expect(api.calls).toEqual([`create ${name} 1`, `replace ${name} 2`, `replace ${name} 3`]);
    expect(only().count).toBe(3);
  });

  it('starts a new series once the same Event has been quiet for longer than the series window', async () => {
    recorder.record(input());
    await recorder.flush();
    const first = only().metadata.name!;

    await elapse(6 * 60_000 + 1);
    recorder.record(input());
    await recorder.flush();
    expect(api.events.size).toBe(2);
    const second = [...api.events.keys()].find((n) => n !== first)!;
    expect(api.calls).toEqual([`create ${first} 1`, `create ${second} 1`]);
    expect(api.events.get(second)?.firstTimestamp).toEqual(new Date('2025-05-01T10:06:00.001Z'));
  });

  it('writes nothing while not the leader', async () => {
    leading = false;
    recorder.record(input());
    await recorder.flush();
    await elapse(5000);
    expect(api.calls).toEqual([]);
  });
});
