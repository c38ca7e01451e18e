import type { ImageQuery, ImageStateAnswer, ImageStates } from 'kmm-hub-controller';
import {
  condition,
  createMcm,
  driverMcm,
  isReady,
  literalsOf,
  startController,
  startHub,
  waitForStatus,
  worksOf,
  type Hub,
} from './harness';

// The image-state interface is the reconciler's only source of image truth: an implementation other than
// the interim one (here a scripted one, as the registry/build work will be) decides which kernels get a
// mapping, its change notifications reconcile the MCMs concerned, and a digest it resolves is pinned.

jest.setTimeout(60_000);

/** Answers from a table the test edits; announces changes like a registry checker would. */
class ScriptedImageStates implements ImageStates {
  readonly answers = new Map<string, ImageStateAnswer>();
  readonly tracked = new Map<string, ImageQuery[]>();
  private listeners: ((mcms: string[]) => void)[] = [];
  lookup(_mcm: string, image: string): ImageStateAnswer | undefined {
    return this.answers.get(image);
  }
  track(mcm: string, images: readonly ImageQuery[]): boolean {
    this.tracked.set(mcm, [...images]);
    return false;
  }
  forget(mcm: string): void {
    this.tracked.delete(mcm);
  }
  onChange(listener: (mcms: string[]) => void): () => void {
    this.listeners.push(listener);
    return () => (this.listeners = this.listeners.filter((l) => l !== listener));
  }
  announce(mcms: string[]): void {
    for (const l of this.listeners) l(mcms);
  }
  async stop(): Promise<void> {}
}

let hub: Hub;
const states = new ScriptedImageStates();

beforeAll(async () => {
  hub = await startHub(20);
  await startController(hub, {}, undefined, states);
});
afterAll(() => hub?.stop());

it('holds clusters back while their image is not Ready, then pins the digest it learns about', async () => {
  const mcm = driverMcm('pinned', {});
  const mapping = mcm.spec.moduleSpec.moduleLoader!.container.kernelMappings[0]!;
  mapping.containerImage = 'quay.io/acme/drv:v1';
  mapping.build = { dockerfileConfigMap: { name: 'drv-dockerfile' } };
  states.answers.set('quay.io/acme/drv:v1', {
    state: 'Building',
    reason: 'BuildRunning',
    message: 'job drv-1 runs',
  });
  await createMcm(hub, mcm);

  const waiting = await waitForStatus(
    hub,
    'pinned',
    'WaitingForImages',
    (m) => condition(m, 'Progressing')?.reason === 'WaitingForImages',
  );
  expect((await worksOf(hub, 'pinned')).size).toBe(0);
  expect(waiting.status?.numberDesired).toBeGreaterThan(0);
  expect(waiting.status?.images).toEqual([
    expect.objectContaining({
      image: 'quay.io/acme/drv:v1',
      state: 'Building',
      build: true,
      reason: 'BuildRunning',
      message: 'job drv-1 runs',
    }),
  ]);
  // with the recipe an implementation needs to build it: the mapping's build, the MCM's uid
  expect(states.tracked.get('pinned')).toEqual([
    expect.objectContaining({ image: 'quay.io/acme/drv:v1', build: true, sign: false }),
  ]);
  const recipe = states.tracked.get('pinned')![0]!.recipe!;
  expect(recipe.resolved.build?.dockerfileConfigMap).toEqual({ name: 'drv-dockerfile' });
  expect(recipe.mcmUid).toMatch(/^[0-9a-f-]{36}$/);

  const digest = `sha256:${'a'.repeat(64)}`;
  states.answers.set('quay.io/acme/drv:v1', { state: 'Ready', digest });
  states.announce(['pinned']);
  const ready = await waitForStatus(hub, 'pinned', 'Ready', isReady);
  const works = await worksOf(hub, 'pinned');
  expect(works.size).toBe(ready.status?.numberDesired);
  for (const w of works.values()) {
    expect(literalsOf(w).length).toBeGreaterThan(0);
    expect(JSON.stringify(w.spec.workload)).toContain(
      `"containerImage":"quay.io/acme/drv@${digest}"`,
    );
  }
  expect(ready.status?.images?.[0]).toMatchObject({ state: 'Ready', digest });

  // A transient registry error afterwards withdraws nothing.
  states.answers.set('quay.io/acme/drv:v1', { state: 'Unknown', reason: 'RegistryUnreachable' });
  states.announce(['pinned']);
  await waitForStatus(
    hub,
    'pinned',
    'image Unknown',
    (m) => m.status?.images?.[0]?.state === 'Unknown',
  );
  const after = await worksOf(hub, 'pinned');
  expect([...after.keys()]).toEqual([...works.keys()]);
  for (const [c, w] of after) expect(w.metadata.generation).toBe(works.get(c)!.metadata.generation);
});
