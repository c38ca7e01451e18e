import { KubeConfig } from '@kubernetes/client-node';
import { FakeHub } from './__fakes__/hub';
import { FakeListWatch, capturingLogger, settle } from './__fakes__/kube';
import type { ControllerConfig } from './config';
import { Controller } from './controller';
import type { EventClient } from './events/event-recorder';
import type { Leadership, LeadershipCallbacks } from './leader/leader-elector';
import { createMetrics } from './metrics';
import { K94, cluster, mcm } from './model/__fixtures__/rollout';
import type { KubeObject, ManagedClusterModule, ManifestWork } from './model/types';

// The controller's wiring with every API request faked and leadership in the test's hands, in fake time:
// what happens to a reconcile in flight when the Lease goes (and comes back), which informer events enqueue
// what and when, the cleanup on taking over, and the bounded shutdown.

/** Leadership the test hands out and takes away. */
class FakeLeadership implements Leadership {
  isLeader = false;
  leaderIdentity = '';
  private callbacks?: LeadershipCallbacks;
  start(callbacks: LeadershipCallbacks): void {
    this.callbacks = callbacks;
  }
  async stop(): Promise<void> {
    if (this.isLeader) this.lose();
  }
  gain(): void {
    this.isLeader = true;
    this.callbacks!.onStartedLeading();
  }
  lose(): void {
    this.isLeader = false;
    this.callbacks!.onStoppedLeading();
  }
}

const noEvents: EventClient = {
  create: async (_, e) => e,
  replace: async (_, e) => e,
};

const named = (name: string): ManagedClusterModule => {
  const m = mcm();
  return { ...m, metadata: { ...m.metadata, name, uid: `uid-${name}` } };
};

function config(over: Partial<ControllerConfig> = {}): ControllerConfig {
  return {
    namespace: 'kmm-hub',
    concurrency: 4,
    writeConcurrency: 1,
    resyncPeriodMs: 600_000,
    workStatusBatchMs: 1000,
    httpAddress: { host: '127.0.0.1', port: 0 },
    eventsNamespace: 'default',
    shutdownTimeoutMs: 5000,
    logLevel: 'silent',
    leaderElection: {
      enabled: false,
      leaseName: 'kmm-hub-controller',
      namespace: 'kmm-hub',
      identity: 'test',
      leaseDurationMs: 15_000,
      renewDeadlineMs: 10_000,
      retryPeriodMs: 2_000,
    },
    ...over,
  };
}

/** A gate the test opens: the request it holds is answered once `release` is called. */
function deferred() {
  let release!: () => void;
  const promise = new Promise<void>((resolve) => (release = resolve));
  return { promise, release };
}

describe('Controller', () => {
  const running: Controller[] = [];

  beforeEach(() => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((c) => c.stop()));
    jest.useRealTimers();
  });

  async function start(
    world: { mcms?: ManagedClusterModule[]; works?: ManifestWork[] },
    over: Partial<ControllerConfig> = {},
  ) {
    const hub = new FakeHub();
    const lists: Record<string, FakeListWatch> = {};
    const serve = (plural: string, items: KubeObject[]) => {
      const lw = new FakeListWatch();
      lw.onList = () => ({ items, metadata: { resourceVersion: '1' } });
      lists[plural] = lw;
    };
    const mcms = (world.mcms ?? []).map((m) => hub.seedMcm(m));
    serve('managedclustermodules', mcms);
    serve('managedclusters', [cluster('c1', [K94]), cluster('c2', [K94])]);
    serve('kernelpreflights', []);
    serve(
      'manifestworks',
      (world.works ?? []).map((w) => hub.seedWork(w)),
    );
    // What the hub stores reaches the informers as a watch event, after the writer has had its answer (the
    // usual order; the informer ignores the event of a write the controller has recorded already).
    hub.onStored = (type, obj) => {
      // nothing watches the fleet summaries
      if (obj.kind === 'ManagedClusterModuleFleetSummary') return;
      const plural = obj.kind === 'ManifestWork' ? 'manifestworks' : 'managedclustermodules';
      setImmediate(() => lists[plural]!.watches.at(-1)?.send(type, obj));
    };
    const leadership = new FakeLeadership();
    const log = capturingLogger();
    const controller = await Controller.start({
      config: config(over),
      // empty: a request that is not faked fails at once instead of reaching anything
      kubeConfig: new KubeConfig(),
      logger: log.logger,
      metrics: createMetrics({ processMetrics: false }),
      api: { listWatch: (r) => lists[r.plural]!, writer: hub, events: noEvents },
      leadership,
    });
    running.push(controller);
    await settle();
    expect(controller.synced).toBe(true);
    const plans = async (source: 'computed' | 'reused') =>
      (await controller.metrics.plans.get()).values.find((v) => v.labels.source === source)?.value;
    return { controller, hub, leadership, log, plans };
  }

  it('stops writing when leadership is lost mid-reconcile, and starts no worker until it is back', async () => {
    const { hub, leadership, log } = await start(
      { mcms: [named('a'), named('b')] },
      { concurrency: 1 },
    );
    const held = deferred();
    hub.hold = (call) => (call === 'create c1/a' ? held.promise : undefined);
    leadership.gain();
    await settle();
    expect(hub.calls).toEqual(['create c1/a']);

    leadership.lose();
    held.release();
    await settle();
    // c1's create was sent while leading and lands; the next write of the same reconcile is refused
    expect(hub.calls).toEqual(['create c1/a']);
    expect([...hub.works.keys()]).toEqual(['c1/a']);
    // and nothing more while standing by, not even the retry of the interrupted reconcile
    await jest.advanceTimersByTimeAsync(60_000);
    expect(hub.calls).toEqual(['create c1/a']);
    // losing the Lease is routine: the interrupted reconcile is no warning
    expect(log.lines.filter((l) => l.msg === 'reconcile failed; retrying')).toEqual([
      expect.objectContaining({ level: 20, mcm: 'a' }),
    ]);

    leadership.gain();
    await settle();
    // b was queued ahead of a's retry
    expect(hub.calls).toEqual([
      'create c1/a',
      'create c1/b',
      'create c2/b',
      'status b',
      'create c2/a',
      'status a',
    ]);
  });

  it('leading again while the last term still has a reconcile in flight, waits for it before starting workers', async () => {
    const { hub, leadership } = await start({ mcms: [named('a'), named('b')] }, { concurrency: 1 });
    const held = deferred();
    hub.hold = (call) => (call === 'create c1/a' ? held.promise : undefined);
    leadership.gain();
    await settle();

    leadership.lose();
    leadership.gain();
    await settle();
    // A new worker would have taken b by now, next to the old term's worker still in a.
    expect(hub.calls).toEqual(['create c1/a']);

    held.release();
    await settle();
    expect(hub.calls).toEqual([
      'create c1/a',
      'create c2/a',
      'status a',
      'create c1/b',
      'create c2/b',
      'status b',
    ]);
  });

  it('acts on a lone status report soon, batches the next ones, and acts on a change to a work at once, planning anew', async () => {
    const { hub, leadership, plans } = await start({ mcms: [named('drv')] });
    leadership.gain();
    await settle();
    expect(hub.calls).toEqual(['create c1/drv', 'create c2/drv', 'status drv']);
    hub.calls.length = 0;
    const stored = (key: string) => structuredClone(hub.works.get(key)!);

    // The work agent reports on c1, then on c2: the same generation, a status.
    const report = (key: string) => {
      const w = stored(key);
      w.status = {
        conditions: [{ type: 'Applied', status: 'True', reason: 'Applied', observedGeneration: 1 }],
      };
      hub.seedWork(w);
    };
    // The first report after a quiet moment is acted on within 50 ms (reports arriving together are one).
    report('c1/drv');
    await jest.advanceTimersByTimeAsync(49);
    expect(hub.calls).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    // one reconcile, for the status only
    expect(hub.calls).toEqual(['status drv']);
    expect(hub.mcms.get('drv')?.status?.numberApplied).toBe(1);
    // the next report waits for the batch (at most one such reconcile a second)
    report('c2/drv');
    await jest.advanceTimersByTimeAsync(900);
    expect(hub.calls).toEqual(['status drv']);
    await jest.advanceTimersByTimeAsync(100);
    expect(hub.calls).toEqual(['status drv', 'status drv']);
    expect(hub.mcms.get('drv')?.status?.numberApplied).toBe(2);
    // both reports reuse the plan that created the works: its writes all succeeded, so it still holds
    expect(await plans('reused')).toBe(2);
    const computed = await plans('computed');

    // Someone edits c2's work (a new generation): acted on without waiting, and the plan is made anew.
    hub.calls.length = 0;
    const edited = stored('c2/drv');
    edited.metadata.generation = 2;
    edited.spec.workload.manifests = [];
    hub.seedWork(edited);
    await settle();
    expect(hub.calls[0]).toBe('update c2/drv');
    expect(await plans('computed')).toBeGreaterThan(computed!);
  });

  it('on taking over, deletes the ManifestWorks of an MCM deleted while no controller ran', async () => {
    const orphan: ManifestWork = {
      apiVersion: 'work.open-cluster-management.io/v1',
      kind: 'ManifestWork',
      metadata: {
        name: 'gone',
        namespace: 'c1',
        labels: { 'kmm.node.kubernetes.io/managedclustermodule.name': 'gone' },
      },
      spec: { workload: { manifests: [] } },
    };
    const { hub, leadership } = await start({ mcms: [], works: [orphan] });
    leadership.gain();
    await settle();
    expect(hub.calls).toEqual(['delete c1/gone']);
    expect(hub.works.size).toBe(0);
  });

  it('gives up waiting for a hanging reconcile at the shutdown timeout', async () => {
    const { controller, hub, leadership, log } = await start({ mcms: [named('a')] });
    hub.hold = () => new Promise<void>(() => undefined);
    leadership.gain();
    await settle();
    expect(hub.calls).toEqual(['create c1/a']);

    let stopped = false;
    const stopping = controller.stop().then(() => (stopped = true));
    await jest.advanceTimersByTimeAsync(4999);
    expect(stopped).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    await stopping;
    expect(log.lines.map((l) => l.msg)).toContain(
      'reconciles still running at the shutdown timeout',
    );
    expect(leadership.isLeader).toBe(false);
  });
});
