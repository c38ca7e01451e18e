// A fake hub for the reconciler's and the controller's unit tests: the HubWriter answered by an in-memory
// API server (uids, resourceVersions, preconditions, so that 404s and 409s come where a real one gives them),
// and informer caches the test fills directly.
import type { WritableCache } from '../caches';
import { MCM_INDEX } from '../caches';
import type { EventInput } from '../events/event-recorder';
import { Store, objectKey } from '../kube/store';
import {
  mcmOfWork,
  type ManagedCluster,
  type ManagedClusterModule,
  type ManagedClusterModuleFleetSummary,
  type ManifestWork,
} from '../model';
import type { KubeObject } from '../model/types';
import type { HubWriter } from '../reconcile/hub-writer';
import { apiError } from './kube';

/** An informer cache without the informer: the test puts in what the watch would have delivered. */
export class FakeCache<T extends KubeObject> implements WritableCache<T> {
  readonly store = new Store<T>();
  recordWrite(written: T): void {
    this.store.upsert(written);
  }
  recordDelete(obj: T): void {
    this.store.remove(objectKey(obj));
  }
}

export function fakeCaches() {
  const caches = {
    mcms: new FakeCache<ManagedClusterModule>(),
    clusters: new FakeCache<ManagedCluster>(),
    works: new FakeCache<ManifestWork>(),
  };
  caches.works.store.addIndex(MCM_INDEX, (w) => {
    const mcm = mcmOfWork(w);
    return mcm ? [mcm] : [];
  });
  return caches;
}

const copy = <T>(o: T): T => structuredClone(o);

/**
 * The hub's ManifestWorks and MCMs, written through the HubWriter methods. Every request is logged in `calls`
 * as `verb key` (`create c1/drv`, `update c1/drv`, `delete c1/drv`, `get c1/drv`, `status drv`; the fleet summary's
 * in `summaryCalls`); `hold` may
 * keep one waiting, and `intercept` sees each one before it is answered and may answer it with an error
 * instead (or change the world meanwhile).
 */
export class FakeHub implements HubWriter {
  readonly works = new Map<string, ManifestWork>();
  readonly mcms = new Map<string, ManagedClusterModule>();
  readonly summaries = new Map<string, ManagedClusterModuleFleetSummary>();
  readonly calls: string[] = [];
  /** the fleet summary requests, apart: they follow their own timer, not the reconcile's order */
  readonly summaryCalls: string[] = [];
  readonly events: EventInput[] = [];
  intercept?: (call: string) => unknown;
  /** a request is answered only once the promise this returns for it settles (a slow or hanging request) */
  hold?: (call: string) => Promise<void> | undefined;
  /** every write stored, for a test that echoes them as watch events */
  onStored?: (type: 'ADDED' | 'MODIFIED' | 'DELETED', obj: KubeObject) => void;
  private rv = 1000;

  /** Puts an object on the server as someone else would (and returns what the server stored). */
  seedWork(work: ManifestWork): ManifestWork {
    return this.storeWork(work, 'ADDED');
  }

  seedMcm(mcm: ManagedClusterModule): ManagedClusterModule {
    const stored = copy({
      ...mcm,
      metadata: {
        uid: `uid-${mcm.metadata.name}`,
        ...mcm.metadata,
        resourceVersion: this.nextRv(),
      },
    });
    this.mcms.set(stored.metadata.name!, stored);
    return copy(stored);
  }

  async createWork(work: ManifestWork): Promise<ManifestWork> {
    await this.enter(`create ${objectKey(work)}`);
    if (this.works.has(objectKey(work))) throw apiError(409, 'AlreadyExists', 'already exists');
    return this.storeWork(work, 'ADDED');
  }

  async updateWork(work: ManifestWork): Promise<ManifestWork> {
    await this.enter(`update ${objectKey(work)}`);
    const current = this.works.get(objectKey(work));
    if (!current) throw apiError(404, 'NotFound', 'not found');
    if (current.metadata.resourceVersion !== work.metadata.resourceVersion)
      throw apiError(409, 'Conflict', 'the object has been modified');
    return this.storeWork(
      {
        ...work,
        metadata: { ...work.metadata, generation: (current.metadata.generation ?? 0) + 1 },
      },
      'MODIFIED',
    );
  }

  async deleteWork(work: ManifestWork): Promise<void> {
    await this.enter(`delete ${objectKey(work)}`);
    const current = this.works.get(objectKey(work));
    if (!current) throw apiError(404, 'NotFound', 'not found');
    if (work.metadata.uid && current.metadata.uid !== work.metadata.uid)
      throw apiError(409, 'Conflict', 'Precondition failed: UID in precondition');
    this.works.delete(objectKey(work));
    this.onStored?.('DELETED', copy(current));
  }

  async getWork(namespace: string, name: string): Promise<ManifestWork> {
    await this.enter(`get ${namespace}/${name}`);
    const current = this.works.get(`${namespace}/${name}`);
    if (!current) throw apiError(404, 'NotFound', 'not found');
    return copy(current);
  }

  async updateMcmStatus(mcm: ManagedClusterModule): Promise<ManagedClusterModule> {
    const name = mcm.metadata.name!;
    await this.enter(`status ${name}`);
    const current = this.mcms.get(name);
    if (!current) throw apiError(404, 'NotFound', 'not found');
    if (current.metadata.resourceVersion !== mcm.metadata.resourceVersion)
      throw apiError(409, 'Conflict', 'the object has been modified');
    const stored = copy({
      ...current,
      metadata: { ...current.metadata, resourceVersion: this.nextRv() },
      status: mcm.status,
    });
    this.mcms.set(name, stored);
    this.onStored?.('MODIFIED', copy(stored));
    return copy(stored);
  }

  recordEvent(event: EventInput): void {
    this.events.push(event);
  }

  async getFleetSummary(name: string): Promise<ManagedClusterModuleFleetSummary> {
    await this.enter(`get summary ${name}`, this.summaryCalls);
    const current = this.summaries.get(name);
    if (!current) throw apiError(404, 'NotFound', 'not found');
    return copy(current);
  }

  async createFleetSummary(
    summary: ManagedClusterModuleFleetSummary,
  ): Promise<ManagedClusterModuleFleetSummary> {
    const name = summary.metadata.name!;
    await this.enter(`create summary ${name}`, this.summaryCalls);
    if (this.summaries.has(name)) throw apiError(409, 'AlreadyExists', 'already exists');
    return this.storeSummary(summary, 'ADDED');
  }

  async updateFleetSummary(
    summary: ManagedClusterModuleFleetSummary,
  ): Promise<ManagedClusterModuleFleetSummary> {
    const name = summary.metadata.name!;
    await this.enter(`update summary ${name}`, this.summaryCalls);
    const current = this.summaries.get(name);
    if (!current) throw apiError(404, 'NotFound', 'not found');
    if (current.metadata.resourceVersion !== summary.metadata.resourceVersion)
      throw apiError(409, 'Conflict', 'the object has been modified');
    return this.storeSummary(summary, 'MODIFIED');
  }

  private storeSummary(
    summary: ManagedClusterModuleFleetSummary,
    type: 'ADDED' | 'MODIFIED',
  ): ManagedClusterModuleFleetSummary {
    const stored = copy({
      ...summary,
      metadata: { ...summary.metadata, resourceVersion: this.nextRv() },
    });
    this.summaries.set(stored.metadata.name!, stored);
    this.onStored?.(type, copy(stored));
    return copy(stored);
  }

  /** The Events recorded, as `Type Reason: message`. */
  get eventLines(): string[] {
    return this.events.map((e) => `${e.type} ${e.reason}: ${e.message}`);
  }

  private async enter(call: string, log = this.calls): Promise<void> {
    log.push(call);
    await this.hold?.(call);
    const error = this.intercept?.(call);
    if (error) throw error;
  }

  private storeWork(work: ManifestWork, type: 'ADDED' | 'MODIFIED'): ManifestWork {
    const key = objectKey(work);
    const stored = copy({
      ...work,
      metadata: {
        uid: `uid-${key}`,
        generation: 1,
        ...work.metadata,
        resourceVersion: this.nextRv(),
      },
    });
    this.works.set(key, stored);
    this.onStored?.(type, copy(stored));
    return copy(stored);
  }

  private nextRv(): string {
    return String(++this.rv);
  }
}
