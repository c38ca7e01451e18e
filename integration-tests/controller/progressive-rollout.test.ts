import {
  RESUME_ROLLOUT_ANNOTATION,
  ROLLOUT_WRITTEN_AT_ANNOTATION,
  kernelVersionsOf,
  workState,
  type ManagedClusterModule,
  type ManifestWork,
} from 'kmm-hub-controller/model';
import { sleep, waitFor } from '../helpers';
import {
  clusters,
  condition,
  createMcm,
  driverMcm,
  getMcm,
  startController,
  startHub,
  updateMcm,
  waitForStatus,
  worksOf,
  type Hub,
} from './harness';

// Progressive rollout end to end: the controller in-process against a sandbox hub whose simulated spokes
// apply ManifestWorks and report the spoke Module's status. Two canaries and six other clusters, waves of
// two, a minSuccessTime of 1 s; a spoke that cannot pull the new image reports degraded and halts the
// rollout; an annotation resumes it.

jest.setTimeout(120_000);

const MCM = 'waves';
const MAX_CONCURRENCY = 2;
const MIN_SUCCESS_MS = 1000;

let hub: Hub;
let canaries: string[];
let others: string[];

/** What an observer polling the hub saw of each cluster's work: when each image tag arrived, when it was healthy. */
class Observer {
  readonly firstSeen = new Map<string, number>();
  readonly firstHealthy = new Map<string, number>();
  private maxProgressing = 0;
  /** statuses seen Ready while clusters waited for their wave */
  readyWhileWaiting = 0;
  /** statuses seen with clusters waiting */
  waiting = 0;
  private running = true;
  private readonly done: Promise<void>;

  constructor() {
    this.done = this.loop();
  }

  private async loop() {
    while (this.running) {
      const now = Date.now();
      const [works, mcm] = await Promise.all([worksOf(hub, MCM), getMcm(hub, MCM)]);
      for (const [cluster, work] of works) {
        const key = `${cluster}@${tagOf(work)}`;
        if (!this.firstSeen.has(key)) this.firstSeen.set(key, now);
        if (!this.firstHealthy.has(key) && healthy(work)) this.firstHealthy.set(key, now);
      }
      this.maxProgressing = Math.max(this.maxProgressing, mcm.status?.rollout?.progressing ?? 0);
      if ((mcm.status?.rollout?.pending ?? 0) > 0) {
        this.waiting++;
        if (condition(mcm, 'Ready')?.status === 'True') this.readyWhileWaiting++;
      }
      await sleep(25);
    }
  }

  async stop(): Promise<number> {
    this.running = false;
    await this.done;
    return this.maxProgressing;
  }
}

const tagOf = (w: ManifestWork) => /drv-(v\d)/.exec(JSON.stringify(w.spec))?.[1];
const writtenAt = (w: ManifestWork) =>
  Date.parse(w.metadata.annotations?.[ROLLOUT_WRITTEN_AT_ANNOTATION] ?? '');
function healthy(w: ManifestWork): boolean {
  const s = workState(w);
  const applied = w.status?.conditions?.find((c) => c.type === 'Applied');
  return (
    s.appliedCurrent &&
    applied?.observedGeneration === w.metadata.generation &&
    s.available === 'True' &&
    !s.degraded
  );
}

/** The works' write stamps for `tag`, grouped into the batches the controller wrote (one instant each). */
async function batches(tag: string): Promise<{ at: number; clusters: string[] }[]> {
  const byTime = new Map<number, string[]>();
  for (const [cluster, w] of await worksOf(hub, MCM)) {
    if (tagOf(w) !== tag) continue;
    const t = writtenAt(w);
    if (!byTime.has(t)) byTime.set(t, []);
    byTime.get(t)!.push(cluster);
  }
  return [...byTime.entries()]
    .sort(([a], [b]) => a - b)
    .map(([at, clusters]) => ({ at, clusters: clusters.sort() }));
}

/** updateMcm, again on a conflict: the controller writes the status between our read and our write. */
async function change(fn: (m: ManagedClusterModule) => void): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await updateMcm(hub, MCM, fn);
      return;
    } catch (error) {
      if ((error as { code?: number }).code !== 409 || attempt === 5) throw error;
    }
  }
}

const phase = (m: ManagedClusterModule) => m.status?.rollout?.phase;
const retag = (tag: string) => (m: ManagedClusterModule) => {
  m.spec.moduleSpec.moduleLoader!.container.kernelMappings[0]!.containerImage = `quay.io/acme/drv-${tag}:\${KERNEL_FULL_VERSION}`;
};

beforeAll(async () => {
  hub = await startHub(30);
  // Two canaries and six others whose kernels the canaries do not run, so that an image can be broken
  // for the others only (images are per kernel).
  const withKmm = (await clusters(hub)).filter((c) => (kernelVersionsOf(c) ?? []).length > 0);
  const kernels = (name: string) => hub.sandbox.fleet.kernels(name);
  canaries = withKmm.slice(0, 2).map((c) => c.metadata.name!);
  const canaryKernels = new Set(canaries.flatMap(kernels));
  others = withKmm
    .map((c) => c.metadata.name!)
    .filter((c) => !canaries.includes(c) && kernels(c).every((k) => !canaryKernels.has(k)))
    .slice(0, 6);
  expect(others).toHaveLength(6);
  for (const c of canaries)
    await hub.sandbox.fleet.relabel(c, { 'wave-test': 'yes', ring: 'canary' });
  for (const c of others) await hub.sandbox.fleet.relabel(c, { 'wave-test': 'yes' });
  await startController(hub);
  const mcm = driverMcm(MCM, { 'wave-test': 'yes' }, 'v1');
  mcm.spec.rolloutStrategy = {
    type: 'Progressive',
    maxConcurrency: MAX_CONCURRENCY,
    minSuccessTime: '1s',
    progressDeadline: '3s',
    maxFailures: 1,
    mandatoryDecisionGroups: [{ groupName: 'canary', clusterSelector: { ring: 'canary' } }],
  };
  await createMcm(hub, mcm);
  await waitForStatus(hub, MCM, 'first rollout complete', (m) => phase(m) === 'Complete', 60_000);
});
afterAll(() => hub?.stop());

it('rolls a change out in waves of maxConcurrency, canaries first, each after the one before succeeded', async () => {
  const observer = new Observer();
  await change(retag('v2'));
  const done = await waitForStatus(hub, MCM, 'v2 complete', (m) => phase(m) === 'Complete', 60_000);
  const maxProgressing = await observer.stop();

  const waves = await batches('v2');
  expect(waves.flatMap((w) => w.clusters).sort()).toEqual([...canaries, ...others].sort());
  // Canaries first, on their own; then the others by name, at most maxConcurrency at a time.
  expect(waves[0]!.clusters).toEqual([...canaries].sort());
  expect(waves.slice(1).map((w) => w.clusters)).toEqual([
    [...others].sort().slice(0, 2),
    [...others].sort().slice(2, 4),
    [...others].sort().slice(4, 6),
  ]);
  // Each wave started only once every cluster of the waves before it had been seen healthy on the new work
  // (by a poller independent of the controller), and at least minSuccessTime after the wave before it was
  // written (both stamps from the controller's clock): never more than maxConcurrency clusters moving.
  for (let i = 1; i < waves.length; i++) {
    expect(waves[i]!.at - waves[i - 1]!.at).toBeGreaterThanOrEqual(MIN_SUCCESS_MS);
    for (const c of waves.slice(0, i).flatMap((w) => w.clusters)) {
      const healthyAt = observer.firstHealthy.get(`${c}@v2`);
      expect(healthyAt).toBeDefined();
      expect(healthyAt!).toBeLessThan(waves[i]!.at);
    }
  }
  expect(maxProgressing).toBeLessThanOrEqual(MAX_CONCURRENCY);
  // Healthy clusters on the previous work do not make the MCM Ready while others wait for their wave.
  expect(observer.waiting).toBeGreaterThan(0);
  expect(observer.readyWhileWaiting).toBe(0);
  expect(maxProgressing).toBeGreaterThan(0);
  expect(done.status?.rollout).toMatchObject({
    clusters: 8,
    succeeded: 8,
    failed: 0,
    totalWaves: 4,
    groups: [
      { name: 'canary', clusters: 2, succeeded: 2 },
      { name: 'remaining', clusters: 6, succeeded: 6, waves: 3 },
    ],
  });
  expect(condition(done, 'RolloutHalted')).toMatchObject({
    status: 'False',
    reason: 'RolloutComplete',
  });
  const reasons = (await eventsAbout(MCM)).map((e) => e.reason);
  expect(reasons).toEqual(
    expect.arrayContaining(['RolloutStarted', 'RolloutWaveStarted', 'RolloutFinished']),
  );
});

it('halts when the spokes of a wave report degraded past progressDeadline, keeps the rest on the old module, and resumes on request', async () => {
  // v3 cannot be pulled on the other clusters' kernels; the canaries' kernels can pull it.
  hub.sandbox.fleet.setImagePullable('quay.io/acme/drv-v3:*', false);
  for (const k of new Set(canaries.flatMap((c) => hub.sandbox.fleet.kernels(c))))
    hub.sandbox.fleet.setImagePullable(`quay.io/acme/drv-v3:${k}`, true);
  await change(retag('v3'));
  const halted = await waitForStatus(hub, MCM, 'halted', (m) => phase(m) === 'Halted', 30_000);

  const firstOthers = [...others].sort().slice(0, 2);
  const rest = [...others].sort().slice(2);
  expect(halted.status?.rollout).toMatchObject({
    haltedReason: 'ProgressDeadlineExceeded',
    failed: 2,
    pending: 4,
  });
  expect(halted.status?.rollout?.failedClusters?.map((f) => [f.cluster, f.reason])).toEqual(
    firstOthers.map((c) => [c, 'TimedOut']),
  );
  expect(halted.status?.rollout?.failedClusters?.[0]?.message).toMatch(
    /^not healthy within progressDeadline 3s: moduleLoader: \d+ of \d+ nodes available$/,
  );
  const haltedCondition = condition(halted, 'RolloutHalted');
  expect(haltedCondition).toMatchObject({ status: 'True', reason: 'ProgressDeadlineExceeded' });
  expect(haltedCondition?.message).toContain(firstOthers[0]);
  // Not Ready: two clusters are degraded (the reason says so first) and four wait on the previous spec.
  expect(condition(halted, 'Ready')).toMatchObject({
    status: 'False',
    reason: 'ManifestWorksDegraded',
  });
  const warning = await waitFor('the RolloutHalted Event', async () =>
    (await eventsAbout(MCM)).find((e) => e.reason === 'RolloutHalted'),
  );
  expect(warning).toMatchObject({ type: 'Warning' });
  expect(warning.message).toContain(firstOthers[1]);

  // The rest keep the old module, and nothing more is written while halted.
  const before = await worksOf(hub, MCM);
  for (const c of rest) expect(tagOf(before.get(c)!)).toBe('v2');
  for (const c of [...canaries, ...firstOthers]) expect(tagOf(before.get(c)!)).toBe('v3');
  for (const c of rest) expect(hub.sandbox.fleet.spokeModule(c, MCM)).toBeDefined();
  await sleep(2000);
  const after = await worksOf(hub, MCM);
  for (const c of rest)
    expect(after.get(c)!.metadata.resourceVersion).toBe(before.get(c)!.metadata.resourceVersion);
  expect(phase(await getMcm(hub, MCM))).toBe('Halted');

  // Fix the cause, then resume: the rollout continues with the waves left, to completion.
  hub.sandbox.fleet.setImagePullable('quay.io/acme/drv-v3:*', true);
  await change((m) => {
    m.metadata.annotations = {
      ...m.metadata.annotations,
      [RESUME_ROLLOUT_ANNOTATION]: 'fixed-pull',
    };
  });
  const done = await waitForStatus(hub, MCM, 'v3 complete', (m) => phase(m) === 'Complete', 60_000);
  expect(done.status?.rollout).toMatchObject({ resumeToken: 'fixed-pull', pending: 0 });
  await waitForStatus(hub, MCM, 'Ready', (m) => condition(m, 'Ready')?.status === 'True');
  const works = await worksOf(hub, MCM);
  for (const c of [...canaries, ...others]) expect(tagOf(works.get(c)!)).toBe('v3');
  const resumedWaves = (await batches('v3')).filter((w) =>
    w.clusters.some((c) => rest.includes(c)),
  );
  expect(resumedWaves.map((w) => w.clusters)).toEqual([rest.slice(0, 2), rest.slice(2, 4)]);
  expect((await eventsAbout(MCM)).map((e) => e.reason)).toContain('RolloutResumed');
});

async function eventsAbout(name: string) {
  const list = await hub.core.listNamespacedEvent({ namespace: 'default' });
  return list.items.filter((e) => e.involvedObject.name === name);
}
