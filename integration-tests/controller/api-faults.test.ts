// Issue 13, "Faults": the controller against an API server that throttles (429 with Retry-After), conflicts
// (409 bursts on status updates), fails (500s), is slow (2 s per request), drops watches, restarts and forgets
// its watch history, in the middle of a rollout that needs hub builds. Each time it converges, and the
// sandbox's audit log (one entry per request, with the writer's identity and the request body) shows every
// ManifestWork and every build/sign Job created exactly once, no ManifestWork deleted, none flapping back to
// an earlier spec, and a Retry-After always honoured.
import type { AuditEvent } from 'kmm-hub-sandbox';
import { startTestRegistry, type TestRegistry } from '../registry/docker-registry';
import { sleep, waitFor } from '../helpers';
import { pinnedEverywhere, startControllerAs, writeReport } from './fault-audit';
import { buildMcm, commonKernels, createBuildInputs } from './hub-build-fixtures';
import {
  createMcm,
  deleteMcm,
  getMcm,
  isReady,
  waitForStatus,
  startHub,
  type Hub,
} from './harness';

jest.setTimeout(120_000);

let registry: TestRegistry;
let hub: Hub;
let kernels: Map<string, string[]>;

beforeAll(async () => {
  registry = await startTestRegistry();
  hub = await startHub(16, 30, { buildExecutor: { delayMs: 100 } });
  hub.sandbox.audit.level = 'Request';
  await createBuildInputs(hub);
  kernels = commonKernels(hub.sandbox, 2);
});
afterAll(async () => {
  await hub?.stop();
  await registry?.destroy();
});
afterEach(() => hub.sandbox.faults.clear());

/**
 * Rolls `name` out (builds into its own repository) with `user`'s controller while `during` injects faults;
 * returns the audit report once every cluster is pinned to the built images and the MCM is Ready.
 */
async function rollOut(name: string, user: string, during: () => Promise<void> | void) {
  const controller = await startControllerAs(hub, user);
  await during();
  await createMcm(hub, buildMcm(name, registry, name, [...kernels.keys()]));
  const started = Date.now();
  const works = await waitFor(
    `${name}: every cluster pinned to the built images`,
    () => pinnedEverywhere(hub, name, registry, name, kernels),
    { timeoutMs: 90_000, intervalMs: 100 },
  );
  const mcm = await waitForStatus(hub, name, 'Ready', isReady, 60_000);
  const seconds = (Date.now() - started) / 1000;
  await controller.stop();
  const report = writeReport(hub.sandbox, user, name, name);
  // Every ManifestWork there is was created once and never deleted or flipped back; so was every Job.
  expect([...report.workCreates.keys()].sort()).toEqual(
    [...works.keys()].map((c) => `${c}/${name}`).sort(),
  );
  expect([...report.workCreates.values()].every((n) => n === 1)).toBe(true);
  expect(report.workDeletes).toBe(0);
  expect(report.flapping).toEqual([]);
  expect(report.jobCreates.size).toBe(2 * kernels.size);
  expect([...report.jobCreates.values()].every((n) => n === 1)).toBe(true);
  expect(mcm.status?.numberApplied).toBe(works.size);
  await deleteMcm(hub, name);
  return { report, seconds, controller };
}

/** For each request answered `code`, the same client's next request for the same object, and the gap. */
function nextAfter(writes: AuditEvent[], code: number) {
  const same = (a: AuditEvent, b: AuditEvent) =>
    a.verb === b.verb &&
    a.resource === b.resource &&
    (a.subresource ?? '') === (b.subresource ?? '') &&
    a.namespace === b.namespace &&
    a.name === b.name;
  return writes
    .filter((e) => e.code === code)
    .map((e) => {
      const next = writes.find((n) => n.seq > e.seq && same(n, e));
      return { event: e, next, gapMs: next ? next.time - (e.completed ?? e.time) : undefined };
    });
}

it('429 with Retry-After on ManifestWork creates, Job creates and status updates: waits as asked, converges', async () => {
  const user = 'ctl-throttled';
  const { report } = await rollOut('throttled', user, () => {
    const faults = hub.sandbox.faults;
    faults.failNext({ user, verb: 'create', resource: 'manifestworks', status: 429, count: 6 });
    faults.failNext({ user, verb: 'create', resource: 'jobs', status: 429, count: 2 });
    faults.failNext({
      user,
      verb: 'update',
      resource: 'managedclustermodules',
      subresource: 'status',
      status: 429,
      retryAfterSeconds: 2,
      // a Status saying it too, as kube's 429s other than API Priority and Fairness's plain-text one
      priorityAndFairness: false,
      count: 2,
    });
  });
  const throttled = nextAfter(report.writes, 429);
  expect(throttled.length).toBe(10);
  // Retry-After: 1 s, or 2 s for the status; the next try of the same write never came sooner.
  const early = throttled.filter(
    ({ event, gapMs }) =>
      gapMs === undefined || gapMs < (event.subresource === 'status' ? 2000 : 1000) - 20,
  );
  expect(
    early.map(({ event, gapMs }) => `${event.verb} ${event.namespace}/${event.name}: ${gapMs}`),
  ).toEqual([]);
});

it('bursts of 409 on status updates (a user editing the MCM meanwhile, and injected ones): re-reads and converges', async () => {
  const user = 'ctl-conflicted';
  let editing = true;
  let edits = 0;
  const editor = (async () => {
    // Someone keeps annotating the MCM while it rolls out: every status write from a cache a step behind is
    // a real 409.
    await waitFor('the MCM', () => getMcm(hub, 'conflicted'), { intervalMs: 10 });
    while (editing && edits < 60) {
      await hub.api
        .patchClusterCustomObject({
          group: 'hub.kmm.sigs.x-k8s.io',
          version: 'v1beta1',
          plural: 'managedclustermodules',
          name: 'conflicted',
          body: { metadata: { annotations: { touched: String(++edits) } } },
        })
        .catch(() => undefined);
      await sleep(40);
    }
  })();
  const { report } = await rollOut('conflicted', user, () =>
    hub.sandbox.faults.failNext({
      user,
      verb: 'update',
      resource: 'managedclustermodules',
      subresource: 'status',
      status: 409,
      count: 5,
    }),
  );
  editing = false;
  await editor;
  const statusWrites = report.writes.filter(
    (e) => e.resource === 'managedclustermodules' && e.subresource === 'status',
  );
  expect(statusWrites.filter((e) => e.code === 409).length).toBeGreaterThanOrEqual(5);
  expect(statusWrites.at(-1)?.code).toBe(200);
  expect(edits).toBeGreaterThan(5);
});

it('500s and 2 s of latency on every request only slow it down', async () => {
  const user = 'ctl-slow';
  const { report, seconds } = await rollOut('slow', user, () => {
    const faults = hub.sandbox.faults;
    faults.setLatency(2000, { user });
    faults.failNext({ user, verb: 'create', resource: 'manifestworks', count: 4 });
    faults.failNext({ user, verb: 'create', resource: 'jobs', count: 1 });
    faults.failNext({ user, verb: 'list', resource: 'manifestworks', count: 1 });
    faults.failNext({ user, verb: 'update', resource: 'managedclustermodules', count: 2 });
  });
  expect(report.writes.filter((e) => e.code === 500).length).toBeGreaterThanOrEqual(5);
  // every request took 2 s: a rollout of several steps (lists, Jobs, works, status) takes a few of them
  expect(seconds).toBeGreaterThan(4);
});

it('dropped watches, an API server restart and a forced 410 mid-rollout: no duplicate, lost or flapping write', async () => {
  const user = 'ctl-restarted';
  let dropping = true;
  let dropped = 0;
  const chaos = (async () => {
    await waitFor(
      'the rollout under way',
      () => hub.sandbox.audit.events({ user, writes: true }).length > 3,
      {
        intervalMs: 5,
      },
    );
    hub.sandbox.faults.setLatency(300, { user, verb: 'watch' });
    await hub.sandbox.faults.restart({ downtimeMs: 150 });
    hub.sandbox.faults.compact();
    await sleep(400);
    hub.sandbox.faults.setLatency(0, { user, verb: 'watch' });
    while (dropping) {
      dropped += hub.sandbox.faults.dropWatches({ resource: 'manifestworks' });
      await sleep(150);
    }
  })();
  const { controller } = await rollOut('restarted', user, () => undefined);
  dropping = false;
  await chaos;
  expect(dropped).toBeGreaterThan(0);
  // the informers did have to relist after the compacted history, and to resume dropped watches
  const restarts = (await controller.metrics.watchRestarts.get()).values;
  const count = (reason: string) =>
    restarts.filter((v) => v.labels.reason === reason).reduce((sum, v) => sum + v.value, 0);
  expect(count('expired')).toBeGreaterThan(0);
  expect(count('closed')).toBeGreaterThan(0);
});
