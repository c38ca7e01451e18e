// Issue 13, "Faults": the controller, as its own process, killed with SIGKILL at 20 seeded points of a
// rollout that needs hub builds and signatures, then started again (same identity, as a container restarted
// in its pod). Every time the end state is the one an undisturbed rollout reaches (same ManifestWorks, Jobs
// and status), no Job is left behind, and the audit log shows each ManifestWork and Job created once, at most
// one more attempt (the write in flight when it died, retried), nothing deleted, nothing flapping.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchV1Api } from '@kubernetes/client-node';
import type { AuditEvent } from 'kmm-hub-sandbox';
import { startTestRegistry, type TestRegistry } from '../registry/docker-registry';
import { waitFor } from '../helpers';
import { pinnedEverywhere, writeReport } from './fault-audit';
import { buildMcm, commonKernels, createBuildInputs, mappingsOf } from './hub-build-fixtures';
import { seeded, spawnController, type ControllerProcess, type Lease } from './controller-process';
import {
  NAMESPACE,
  createMcm,
  deleteMcm,
  getMcm,
  isReady,
  startHub,
  waitForStatus,
  worksOf,
  type Hub,
} from './harness';

jest.setTimeout(120_000);

const TRIALS = 20;
const SEED = 13;
const USER = 'kmm-hub-controller-0';
const LEASE: Lease = { durationMs: 2000, renewDeadlineMs: 1500, retryPeriodMs: 250 };

let registry: TestRegistry;
let hub: Hub;
let dir: string;
let kernels: Map<string, string[]>;
let controller: ControllerProcess | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kmm-hub-sigkill-'));
  registry = await startTestRegistry();
  hub = await startHub(12, 30, { buildExecutor: { delayMs: 50 } });
  hub.sandbox.audit.level = 'Request';
  await createBuildInputs(hub);
  kernels = commonKernels(hub.sandbox, 2);
});
afterAll(async () => {
  await controller?.kill();
  await hub?.stop();
  await registry?.destroy();
  await rm(dir, { recursive: true, force: true });
});

/** The writes of `name`'s rollout: its ManifestWorks, its Jobs, its status (not the Lease, not Events). */
const isRolloutWrite = (name: string) => (e: AuditEvent) => {
  if (e.user !== USER || !['create', 'update', 'patch', 'delete'].includes(e.verb)) return false;
  if (e.resource === 'jobs') return JSON.stringify(e.requestObject ?? {}).includes(`/${name}:`);
  return ['manifestworks', 'managedclustermodules'].includes(e.resource ?? '') && e.name === name;
};

/** Deletes the MCM and waits for its ManifestWorks to be gone, so that the next trial starts clean. */
async function remove(name: string): Promise<void> {
  await deleteMcm(hub, name);
  await waitFor(
    `${name}: its ManifestWorks gone`,
    async () => (await worksOf(hub, name)).size === 0,
  );
}

async function registryDigest(repository: string, tag: string): Promise<string> {
  const res = await fetch(`${registry.baseUrl}/v2/${repository}/manifests/${tag}`, {
    method: 'HEAD',
    headers: { accept: 'application/vnd.oci.image.manifest.v1+json' },
  });
  return res.headers.get('docker-content-digest') ?? '';
}

/** Waits for the MCM to be rolled out everywhere, pinned to what the registry has, and Ready. */
async function converged(name: string): Promise<void> {
  await waitFor(
    `${name}: every cluster pinned to the built images`,
    () => pinnedEverywhere(hub, name, registry, name, kernels),
    { timeoutMs: 60_000, intervalMs: 100 },
  );
  await waitForStatus(hub, name, 'Ready', isReady, 60_000);
  const works = await worksOf(hub, name);
  for (const [kernel, holders] of kernels) {
    const digest = await registryDigest(name, kernel);
    for (const c of holders)
      expect(mappingsOf(works.get(c)).get(kernel)).toBe(`${registry.host}/${name}@${digest}`);
  }
}

/** What the rollout left, with the MCM's name (and repository) and the digests made comparable. */
async function endState(name: string) {
  const norm = (v: unknown) =>
    JSON.parse(
      JSON.stringify(v ?? null)
        .replaceAll(name, 'MCM')
        .replace(/sha256:[0-9a-f]{64}/g, 'sha256:DIGEST')
        .replace(/"lastTransitionTime":"[^"]*"/g, '"lastTransitionTime":"T"'),
    ) as unknown;
  const works = [...(await worksOf(hub, name))]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([c, w]) => [c, norm(w.metadata.labels), norm(w.spec)]);
  const batch = hub.kubeConfig.makeApiClient(BatchV1Api);
  const jobs = (await batch.listNamespacedJob({ namespace: NAMESPACE })).items
    .filter((j) => j.metadata?.annotations?.['kmm-hub.io/image']?.includes(`/${name}:`))
    .map((j) =>
      norm([
        j.metadata?.labels?.['kmm-hub.io/image-job'],
        j.metadata?.annotations?.['kmm-hub.io/image'],
        j.status?.conditions?.map((c) => `${c.type}=${c.status}`),
      ]),
    )
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  const status = (await getMcm(hub, name)).status;
  return {
    works,
    jobs,
    status: norm({
      numbers: [status?.numberDesired, status?.numberApplied, status?.numberDegraded],
      conditions: status?.conditions?.map((c) => [c.type, c.status, c.reason]),
      images: status?.images?.map((i) => [i.image, i.state, i.digest]),
    }),
  };
}

async function start(): Promise<ControllerProcess> {
  controller = await spawnController(hub.sandbox, dir, USER, LEASE);
  return controller;
}

/** What the undisturbed rollout left, and how many writes it took. */
let reference: Awaited<ReturnType<typeof endState>>;
let writes = 0;
const random = seeded(SEED);
const kills: string[] = [];

/** Whether the MCM is rolled out everywhere and Ready (without waiting). */
async function done(name: string): Promise<boolean> {
  return (
    (await pinnedEverywhere(hub, name, registry, name, kernels)) !== undefined &&
    isReady(await getMcm(hub, name))
  );
}

it('rolls out undisturbed first: the reference end state, and the number of writes it takes', async () => {
  await start();
  const before = hub.sandbox.audit.events().length;
  await createMcm(hub, buildMcm('trial-ref', registry, 'trial-ref', [...kernels.keys()]));
  await converged('trial-ref');
  reference = await endState('trial-ref');
  writes = hub.sandbox.audit.events().slice(before).filter(isRolloutWrite('trial-ref')).length;
  expect(reference.works.length).toBeGreaterThan(0);
  expect(reference.jobs).toHaveLength(2 * kernels.size);
  await remove('trial-ref');
});

describe.each(Array.from({ length: TRIALS }, (_, i) => [`trial-${String(i).padStart(2, '0')}`]))(
  'SIGKILL at a seeded write of the rollout, then a restart: %s',
  (name) => {
    it('ends as the undisturbed rollout did, with no Job left behind and no duplicate write', async () => {
      expect(writes).toBeGreaterThan(0);
      const killAt = 1 + Math.floor(random() * writes);
      let seen = 0;
      let killedOn: string | undefined;
      const running = controller!;
      const ofTrial = isRolloutWrite(name);
      let onKill: () => void = () => undefined;
      const killed = new Promise<void>((resolve) => (onKill = resolve));
      const stopListening = hub.sandbox.audit.onRequest((e) => {
        if (killedOn || !ofTrial(e) || ++seen < killAt) return;
        // Dies while this write is in flight: the API server serves it, the controller never hears back.
        killedOn = `${e.verb} ${e.resource} ${e.name}`;
        running.proc.child.kill('SIGKILL');
        onKill();
      });
      try {
        await createMcm(hub, buildMcm(name, registry, name, [...kernels.keys()]));
        // A rollout may take fewer writes than the reference's (an image ready before a work is first
        // written saves an update): then it is killed once done.
        await Promise.race([
          killed,
          waitFor(`${name}: rolled out`, async () => killedOn !== undefined || (await done(name)), {
            timeoutMs: 60_000,
            intervalMs: 250,
          }),
        ]);
      } finally {
        stopListening();
      }
      if (!killedOn) {
        killedOn = 'after the rollout';
        running.proc.child.kill('SIGKILL');
      }
      await running.proc.exited;
      kills.push(`${name} at write ${killAt}: ${killedOn}`);
      await start();
      await converged(name);

      expect(await endState(name)).toEqual(reference);
      const report = writeReport(hub.sandbox, USER, name, name);
      const attempts = (resource: string) => {
        const out = new Map<string, number>();
        for (const e of report.writes.filter((x) => x.resource === resource && x.verb === 'create'))
          out.set(`${e.namespace}/${e.name}`, (out.get(`${e.namespace}/${e.name}`) ?? 0) + 1);
        return Math.max(...out.values());
      };
      expect([...report.workCreates.values()].every((n) => n === 1)).toBe(true);
      expect([...report.jobCreates.values()].every((n) => n === 1)).toBe(true);
      expect(report.jobCreates.size).toBe(2 * kernels.size);
      expect(attempts('manifestworks')).toBeLessThanOrEqual(2);
      expect(attempts('jobs')).toBeLessThanOrEqual(2);
      expect(report.workDeletes).toBe(0);
      expect(report.flapping).toEqual([]);
      await remove(name);
    });
  },
);

it('killed it at writes of every kind: Jobs, ManifestWorks and the status', () => {
  process.stdout.write(
    `sigkill: ${kills.length} trials, ${writes} rollout writes undisturbed; killed ${kills.join('; ')}\n`,
  );
  expect(kills).toHaveLength(TRIALS);
  const hit = new Set(kills.map((k) => /: \w+ (\w+) /.exec(k)?.[1]).filter(Boolean));
  expect(hit).toEqual(new Set(['manifestworks', 'jobs', 'managedclustermodules']));
});
