import { apiError, capturingLogger, settle } from '../__fakes__/kube';
import type { LeaderElectionConfig } from '../config';
import { LeaseLeaderElector, type Lease, type LeaseClient, type LeaseSpec } from './leader-elector';

// The election's timing branches in fake time, against a Lease API whose answers the test delays, withholds or
// has someone else win: when exactly a leader stops, when a candidate may take over, what a lost race costs.

const T0 = Date.parse('2025-05-01T10:00:00Z');
const micro = (ms: number) => new Date(ms).toISOString().replace(/Z$/, '000Z');

/** One Lease in an API server with optimistic concurrency, and every request made of it. */
class FakeLeases implements LeaseClient {
  lease?: Lease;
  readonly calls: string[] = [];
  /** how long every answer takes; Infinity: none ever comes */
  delayMs = 0;
  /** runs once, just before the next update lands: someone else writes first */
  beforeUpdate?: () => void;
  failNextUpdate?: unknown;
  private rv = 0;

  async get(): Promise<Lease> {
    this.calls.push('get');
    await this.answer();
    if (!this.lease) throw apiError(404, 'NotFound');
    return structuredClone(this.lease);
  }

  async create(_namespace: string, lease: Lease): Promise<Lease> {
    this.calls.push('create');
    await this.answer();
    if (this.lease) throw apiError(409, 'AlreadyExists');
    return this.store(lease);
  }

  async update(_namespace: string, _name: string, lease: Lease): Promise<Lease> {
    this.calls.push('update');
    await this.answer();
    const before = this.beforeUpdate;
    this.beforeUpdate = undefined;
    before?.();
    const failure = this.failNextUpdate;
    this.failNextUpdate = undefined;
    if (failure) throw failure;
    if (lease.metadata.resourceVersion !== this.lease?.metadata.resourceVersion)
      throw apiError(409, 'Conflict');
    return this.store(lease);
  }

  /** Another replica writes the Lease. */
  write(spec: LeaseSpec): void {
    this.store({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'kmm-hub-controller', namespace: 'kmm-hub' },
      spec,
    });
  }

  private store(lease: Lease): Lease {
    this.lease = structuredClone({
      ...lease,
      metadata: { ...lease.metadata, resourceVersion: String(++this.rv) },
    });
    return structuredClone(this.lease);
  }

  private answer(): Promise<void> {
    if (this.delayMs === Infinity) return new Promise(() => undefined);
    if (this.delayMs === 0) return Promise.resolve();
    return new Promise((resolve) => setTimeout(resolve, this.delayMs));
  }
}

describe('LeaseLeaderElector', () => {
  let leases: FakeLeases;
  let timeline: string[];
  let log: ReturnType<typeof capturingLogger>;
  const electors: LeaseLeaderElector[] = [];

  beforeEach(() => {
    jest.useFakeTimers({ now: T0, doNotFake: ['setImmediate', 'nextTick'] });
    // A standby's retry jitter is then exactly +10%: 2200 ms.
    jest.spyOn(Math, 'random').mockReturnValue(0.5);
    leases = new FakeLeases();
    timeline = [];
    log = capturingLogger();
  });
  afterEach(async () => {
    leases.delayMs = 0;
    const stopping = Promise.all(electors.splice(0).map((e) => e.stop()));
    // A request left hanging ends at its own deadline.
    await jest.advanceTimersByTimeAsync(20_000);
    await stopping;
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  function start(identity = 'me'): LeaseLeaderElector {
    const config: LeaderElectionConfig = {
      enabled: true,
      leaseName: 'kmm-hub-controller',
      namespace: 'kmm-hub',
      identity,
      leaseDurationMs: 15_000,
      renewDeadlineMs: 10_000,
      retryPeriodMs: 2_000,
    };
    const e = new LeaseLeaderElector(leases, config, log.logger);
    electors.push(e);
    e.start({
      onStartedLeading: () => timeline.push(`started at ${Date.now() - T0}`),
      onStoppedLeading: () => timeline.push(`stopped at ${Date.now() - T0}`),
    });
    return e;
  }
  const at = async (ms: number) => {
    await jest.advanceTimersByTimeAsync(T0 + ms - Date.now());
    await settle();
  };

  it('creates a missing Lease and leads, then renews it every retry period', async () => {
    const e = start();
    await settle();
    expect(leases.calls).toEqual(['get', 'create']);
    expect(e.isLeader).toBe(true);
    expect(timeline).toEqual(['started at 0']);

    await at(2_000);
    expect(leases.calls).toEqual(['get', 'create', 'get', 'update']);
    expect(leases.lease?.spec).toEqual({
      holderIdentity: 'me',
      leaseDurationSeconds: 15,
      acquireTime: micro(T0),
      renewTime: micro(T0 + 2_000),
      leaseTransitions: 0,
    });
  });

  it('stops leading the moment the renew deadline passes while a renewal hangs', async () => {
    const e = start();
    await at(2_000); // renewed, attempted at 2 s
    leases.delayMs = Infinity;
    await at(4_000); // this renewal never gets an answer

    await at(11_999);
    expect(e.isLeader).toBe(true);
    expect(timeline).toEqual(['started at 0']);
    // 10 s after the last renewal was sent, not when the hanging request gives up (14 s); a standby may take
    // over only 15 s after it last saw the Lease change, by which time this replica has long stopped writing.
    await at(12_000);
    expect(e.isLeader).toBe(false);
    expect(timeline).toEqual(['started at 0', 'stopped at 12000']);
  });

  it('stops leading as soon as it sees another holder, and takes over only a lease duration after the last change it saw', async () => {
    const e = start();
    await settle();
    await at(1_000);
    leases.write({
      holderIdentity: 'other',
      leaseDurationSeconds: 15,
      renewTime: micro(T0 + 1_000),
      leaseTransitions: 1,
    });
    leases.calls.length = 0;

    await at(2_000);
    expect(timeline).toEqual(['started at 0', 'stopped at 2000']);
    expect(e.leaderIdentity).toBe('other');
    expect(leases.calls).toEqual(['get']); // the other's Lease is not overwritten

    // Seen at 2 s, unchanged since: free at 17 s; the standby's attempts come every 2.2 s (..., 15.2, 17.4).
    await at(17_399);
    expect(e.isLeader).toBe(false);
    expect(leases.lease?.spec?.holderIdentity).toBe('other');
    await at(17_400);
    expect(e.isLeader).toBe(true);
    expect(leases.lease?.spec).toMatchObject({ holderIdentity: 'me', leaseTransitions: 2 });
  });

  it('loses a race for a free Lease on a 409 quietly, and follows the winner', async () => {
    leases.write({ holderIdentity: '', leaseDurationSeconds: 1 });
    leases.beforeUpdate = () =>
      leases.write({ holderIdentity: 'other', leaseDurationSeconds: 15, leaseTransitions: 1 });
    const e = start();
    await settle();
    expect(leases.calls).toEqual(['get', 'update']);
    expect(e.isLeader).toBe(false);

    await at(2_200);
    expect(e.isLeader).toBe(false);
    expect(e.leaderIdentity).toBe('other');
    expect(leases.lease?.spec?.holderIdentity).toBe('other');
    expect(timeline).toEqual([]);
    // A conflict is the expected outcome of a race, not a failure worth a warning.
    expect(log.lines.filter((l) => l.msg === 'lease request failed')).toEqual([]);

    // whereas a failing API server is
    leases.write({ holderIdentity: '', leaseDurationSeconds: 1 });
    leases.failNextUpdate = apiError(500, 'InternalError');
    await at(4_400);
    expect(log.lines.filter((l) => l.msg === 'lease request failed')).toHaveLength(1);
    expect(e.isLeader).toBe(false);
  });

  it('does not lead on an acquisition whose answers came in after the renew deadline', async () => {
    leases.write({ holderIdentity: '', leaseDurationSeconds: 1 });
    leases.delayMs = 6_000; // each request within its own deadline, the two together not
    const e = start();
    await at(12_000);
    expect(leases.calls).toEqual(['get', 'update']);
    expect(leases.lease?.spec?.holderIdentity).toBe('me');
    expect(e.isLeader).toBe(false);
    expect(timeline).toEqual([]);
  });

  it('releases the Lease on stop so that a standby need not wait for it to expire', async () => {
    const e = start();
    await at(2_000);
    await e.stop();
    expect(timeline).toEqual(['started at 0', 'stopped at 2000']);
    expect(leases.lease?.spec).toMatchObject({
      holderIdentity: '',
      leaseDurationSeconds: 1,
      renewTime: micro(T0 + 2_000),
    });
  });
});
