import { startApiServer, type ApiServerHandle } from 'kmm-hub-sandbox';
import type { LeaderElectionConfig } from 'kmm-hub-controller';
import { LeaseLeaderElector } from 'kmm-hub-controller';
import { kubeConfigFrom, testLogger, waitFor } from '../helpers';

// Leader election on a coordination.k8s.io/v1 Lease in the sandbox API server: one leader at a time, a clean
// hand-over on stop (the Lease is released), and a leader that cannot renew stops leading before anyone else
// may start.

jest.setTimeout(30_000);

type LeaseObj = {
  metadata: { name: string };
  spec?: {
    holderIdentity?: string;
    leaseTransitions?: number;
    leaseDurationSeconds?: number;
    renewTime?: string;
  };
};

describe('LeaseLeaderElector', () => {
  let server: ApiServerHandle;
  const electors: LeaseLeaderElector[] = [];

  beforeAll(async () => {
    server = await startApiServer();
    server.objects.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kmm-hub' } });
  });
  afterAll(() => server.stop());
  afterEach(async () => {
    server.faults.clear();
    await Promise.all(electors.splice(0).map((e) => e.stop()));
  });

  const lease = (name: string) =>
    server.objects.get<LeaseObj>('coordination.k8s.io/v1', 'Lease', name, 'kmm-hub');

  /** When each identity started or stopped leading (ms since the epoch), for ordering checks. */
  const at = new Map<string, number>();

  function elector(
    identity: string,
    leaseName: string,
    timeline: string[],
    timings: Partial<LeaderElectionConfig> = {},
  ) {
    const config: LeaderElectionConfig = {
      enabled: true,
      leaseName,
      namespace: 'kmm-hub',
      identity,
      leaseDurationMs: 1000,
      renewDeadlineMs: 600,
      retryPeriodMs: 100,
      ...timings,
    };
    const e = new LeaseLeaderElector(kubeConfigFrom(server.kubeconfig), config, testLogger());
    electors.push(e);
    e.start({
      onStartedLeading: () => {
        timeline.push(`${identity} started`);
        at.set(`${leaseName} ${identity} started`, Date.now());
      },
      onStoppedLeading: () => {
        timeline.push(`${identity} stopped`);
        at.set(`${leaseName} ${identity} stopped`, Date.now());
      },
    });
    return e;
  }

  it('elects exactly one leader, and hands over at once when the leader stops and releases the Lease', async () => {
    const timeline: string[] = [];
    const a = elector('a', 'handover', timeline);
    await waitFor('a to lead', () => a.isLeader);
    const b = elector('b', 'handover', timeline);
    // b keeps trying for several retry periods but must not take a Lease that a keeps renewing.
    await new Promise((r) => setTimeout(r, 500));
    expect(b.isLeader).toBe(false);
    expect(b.leaderIdentity).toBe('a');
    expect(lease('handover')?.spec).toMatchObject({
      holderIdentity: 'a',
      leaseDurationSeconds: 1,
      leaseTransitions: 0,
    });

    await a.stop();
    expect(lease('handover')?.spec?.holderIdentity).toBe('');
    await waitFor('b to lead', () => b.isLeader);
    expect(lease('handover')?.spec).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 });
    expect(timeline).toEqual(['a started', 'a stopped', 'b started']);
  });

  it('a leader that cannot renew stops leading within the renew deadline, before the standby takes over', async () => {
    const timeline: string[] = [];
    const a = elector('a', 'cutoff', timeline);
    await waitFor('a to lead', () => a.isLeader);
    const b = elector('b', 'cutoff', timeline);
    // Every Lease update fails from now on: a cannot renew, and b cannot take over either.
    server.faults.failNext({ verb: 'update', resource: 'leases', count: 1_000_000, status: 500 });
    // The last moment a was seen leading (the clock read before asking, so a slow poll only makes it earlier).
    let lastLeading = 0;
    await waitFor(
      'a to stop leading',
      () => {
        const t = Date.now();
        if (!a.isLeader) return true;
        lastLeading = t;
        return false;
      },
      { intervalMs: 5 },
    );
    // The Lease holds a's last successful renewal: a led for less than the renew deadline (600 ms) after
    // it, well before the Lease (1 s) lets anyone else in. Measured against that record rather than against
    // when this test happened to look, so that a loaded machine cannot make it fail.
    const renewed = Date.parse(lease('cutoff')!.spec!.renewTime!);
    expect(lastLeading).toBeGreaterThan(0);
    expect(lastLeading - renewed).toBeLessThan(600);
    // The controller stops its workers on this callback (the write gate already refuses on the clock).
    await waitFor('a to be told it stopped leading', () => timeline.includes('a stopped'));
    expect(timeline).toEqual(['a started', 'a stopped']);
    // a is cut off for good (as a partitioned replica would be); its Lease is still in its name, so b takes
    // over only once the Lease has expired: a full lease duration after a's last renewal.
    await a.stop();
    server.faults.clear();
    await waitFor('b to lead', () => b.isLeader);
    expect(at.get('cutoff b started')! - renewed).toBeGreaterThanOrEqual(1000);
    expect(timeline).toEqual(['a started', 'a stopped', 'b started']);
    expect(lease('cutoff')?.spec).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 });
  });

  it('a leader whose renewals fail for a moment, but less than the renew deadline, keeps leading', async () => {
    const timeline: string[] = [];
    // A renew deadline far longer than two failed retries take, even on a loaded machine.
    const a = elector('a', 'blip', timeline, { leaseDurationMs: 4000, renewDeadlineMs: 3000 });
    await waitFor('a to lead', () => a.isLeader);
    const updates = () => server.audit.count({ verb: 'update', resource: 'leases' });
    const before = updates();
    server.faults.failNext({ verb: 'update', resource: 'leases', count: 2, status: 500 });
    // Attempts are sequential: a fourth one means the third, the first after the failures, was answered.
    await waitFor('two failed renewals and two more', () => updates() >= before + 4);
    expect(a.isLeader).toBe(true);
    expect(timeline).toEqual(['a started']);
  });

  it('creates the Lease when it does not exist', async () => {
    const a = elector('solo', 'fresh', []);
    await waitFor('solo to lead', () => a.isLeader);
    expect(lease('fresh')?.spec?.holderIdentity).toBe('solo');
  });
});
