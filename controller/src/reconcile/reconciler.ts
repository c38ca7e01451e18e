import { MCM_INDEX, type ReconcilerCaches } from '../caches';
import { imageQueries, type ImageStates } from '../images/image-states';
import { apiFailure, isNotFound, retryAfterOf } from '../kube/api-errors';
import { MANIFEST_WORK_RESOURCE, MCM_RESOURCE } from '../kube/resources';
import { NotLeaderError, type WriteGate } from '../kube/write-gate';
import type { Logger } from '../logging';
import type { ControllerMetrics, ReconcileResult } from '../metrics';
import {
  MCM_API_VERSION,
  MCM_KIND,
  MCM_NAME_LABEL,
  isWorkOf,
  gateRollout,
  fleetSummaryOf,
  imageStatuses,
  mcmPreflight,
  upcomingKernels,
  withPreflight,
  withPreflightImages,
  type McmPreflight,
  invalidStatus,
  ManifestWorkRenderer,
  planCoverage,
  resolveStrategy,
  rolloutEvents,
  rolloutStatus,
  selectClusters,
  statusEvents,
  statusFacts,
  statusUnchanged,
  withRolloutStatus,
  writeEvents,
  type ManagedClusterModule,
  type ManagedClusterModuleStatus,
  type ManifestWork,
  type McmCoverage,
  type RolloutStatus,
  type WorkChanges,
  type WorkWriteVerb,
  type WriteOutcome,
} from '../model';
import type { HandlerResult } from '../queue/work-queue';
import type { FleetSummaryPublisher } from './fleet-summaries';
import type { HubWriter } from './hub-writer';
import type { PlanInputs } from './plan-inputs';
import { settleAll } from '../runtime/concurrency';
import { cachedWorkState } from './work-states';

export interface ReconcilerDeps {
  /** what it reads (it never lists from the API server) and where it puts its own writes at once */
  caches: ReconcilerCaches;
  /** every write (ManifestWorks, MCM status, Events) */
  writer: HubWriter;
  /** refuses writes unless this replica leads at that instant */
  gate: WriteGate;
  imageStates: ImageStates;
  metrics: ControllerMetrics;
  logger: Logger;
  /** versions of what plans are made from, kept by the controller's informer handlers */
  planInputs: PlanInputs;
  /** API writes in flight at once within one reconcile */
  writeConcurrency: number;
  /** the per-MCM fleet summaries the console reads; none published without it */
  summaries?: FleetSummaryPublisher;
  now?: () => Date;
}

/**
 * One reconcile failed in part; the queue retries it with backoff, and not before the longest `Retry-After` the
 * API server sent for one of its writes.
 */
export class ReconcileError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'ReconcileError';
  }
}

/** What the ManifestWork writes of one reconcile did, and the longest wait the API server asked for. */
type Written = WriteOutcome & { retryAfterMs?: number };

/**
 * Reconciles one MCM from the informer caches: the model plans the desired ManifestWorks, the minimal writes
 * follow (create / update only what differs in what kmm-hub owns / delete), then the status is written only if
 * it changed, and Events summarise what happened. A reconcile that changes nothing makes no API call at all.
 * Every write goes through the HubWriter, behind the WriteGate; what each answer means is decided here.
 */
export class MCMReconciler {
  private readonly now: () => Date;
  /**
   * per MCM: the last plan whose writes all succeeded and that held nothing back, the inputs it was made from
   * (all of them, those besides the clusters, and the clusters' version), its preflight, and the settled
   * status.rollout it left (none without a progressive strategy). Its decisions only, not its rendered
   * ManifestWorks: those equal the cached ones, and would hold a second copy of every work.
   */
  private readonly plans = new Map<
    string,
    {
      inputs: string;
      others: string;
      clusters: number;
      plan: McmCoverage;
      preflight: McmPreflight;
      rollout: RolloutStatus | undefined;
    }
  >();
  /** per MCM: the status last sent and what the API server stored of it */
  private readonly lastWritten = new Map<
    string,
    { sent: ManagedClusterModuleStatus; stored: ManagedClusterModuleStatus }
  >();

  constructor(private readonly deps: ReconcilerDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  async reconcile(name: string): Promise<HandlerResult | void> {
    const started = performance.now();
    let result: ReconcileResult = 'success';
    try {
      const mcm = this.deps.caches.mcms.store.get(name);
      if (!mcm || mcm.metadata.deletionTimestamp) {
        result = 'deleted';
        await this.cleanUp(name, mcm);
        return;
      }
      const outcome = await this.reconcileExisting(mcm);
      result = outcome.result;
      if (outcome.requeueAfterMs !== undefined) return { requeueAfterMs: outcome.requeueAfterMs };
    } catch (error) {
      result = error instanceof NotLeaderError ? 'not_leader' : 'error';
      throw error;
    } finally {
      const seconds = (performance.now() - started) / 1000;
      this.deps.metrics.reconciles.inc({ result });
      this.deps.metrics.reconcileDuration.observe({ result }, seconds);
    }
  }

  /** The MCM is gone (or going): none of its ManifestWorks may stay, wherever garbage collection runs or not. */
  private async cleanUp(name: string, mcm: ManagedClusterModule | undefined): Promise<void> {
    // Works already being deleted (finalizers pending) need nothing more from us.
    const works = this.worksOf(name).filter((w) => !w.metadata.deletionTimestamp);
    this.deps.imageStates.forget(name);
    this.deps.planInputs.forget(name);
    this.plans.delete(name);
    this.lastWritten.delete(name);
    this.deps.summaries?.forget(name);
    this.deps.metrics.selectedClusters.remove({ mcm: name });
    for (const state of ['applied', 'available', 'degraded']) {
      this.deps.metrics.manifestWorks.remove({ mcm: name, state });
    }
    if (works.length === 0) return;
    const outcome = await this.write({ create: [], update: [], delete: works });
    this.deps.logger.info(
      { mcm: name, deleted: outcome.done.delete.length, failed: outcome.failed.length },
      'ManagedClusterModule deleted: removed its ManifestWorks',
    );
    if (mcm) this.recordWriteEvents(mcm, outcome, 'the ManagedClusterModule is being deleted');
    if (outcome.failed.length > 0) throw this.failure(name, outcome);
  }

  private async reconcileExisting(
    mcm: ManagedClusterModule,
  ): Promise<{ result: ReconcileResult; requeueAfterMs?: number }> {
    const name = mcm.metadata.name!;
    const { caches, imageStates, planInputs, metrics } = this.deps;
    // Read before planning: a change arriving later bumps the key, and the next reconcile plans anew.
    const inputs = planInputs.key(mcm);
    const others = planInputs.keyBesidesClusters(mcm);
    const clustersVersion = planInputs.clustersVersion;
    const reusable = this.plans.get(name);
    if (reusable?.inputs === inputs) {
      // Nothing the plan depends on changed since a plan that needed no write (e.g. only ManifestWork
      // status reports came in): the works are as planned, only the status may have moved.
      metrics.plans.inc({ source: 'reused' });
      await this.reportStatus(mcm, reusable.plan, reusable.preflight, reusable.rollout);
      return { result: 'success' };
    }
    // Only some clusters changed since a plan that holds: the decisions are made anew for the fleet (cheap),
    // but only those clusters' ManifestWorks are rendered and compared (most of a plan's cost), so that one
    // spoke's kernel upgrade does not cost a comparison of every ManifestWork of the fleet.
    const changed =
      reusable?.others === others ? planInputs.clustersChangedSince(reusable.clusters) : undefined;
    this.plans.delete(name);
    metrics.plans.inc({ source: 'computed' });
    const clusters = caches.clusters.store.list();
    const works = this.worksOf(name);
    const lookup = (m: string, image: string) => imageStates.lookup(m, image);
    let plan = planCoverage(mcm, clusters, lookup, works);

    if (plan.errors.length > 0) {
      this.publishSummary(mcm, undefined);
      await this.writeStatus(mcm, invalidStatus(mcm, plan.errors, this.timestamp()));
      return { result: 'invalid' };
    }
    // Upcoming kernels' images are tracked with the plan's, so they are checked, built and signed by the same
    // Jobs; they go into no ManifestWork.
    const upcoming = upcomingKernels(caches.preflights?.store.list() ?? []);
    const preflightOf = () => mcmPreflight(mcm, upcoming, (image) => lookup(name, image));
    let preflight = preflightOf();
    if (
      imageStates.track(name, imageQueries(mcm, withPreflightImages(plan.images, preflight.images)))
    ) {
      plan = planCoverage(mcm, clusters, lookup, works);
      preflight = preflightOf();
    }

    // A progressive rollout's gate decides over the whole fleet; otherwise only the changed clusters' works
    // are rendered and compared.
    const only = changed && !resolveStrategy(mcm, plan.works.length) ? new Set(changed) : undefined;
    const renderer = new ManifestWorkRenderer(mcm);
    const desired = plan.works
      .filter((w) => !only || only.has(w.cluster))
      .map((w) => renderer.render(w.cluster, w.mappings));
    const current = only ? works.filter((w) => only.has(w.metadata.namespace ?? '')) : works;
    // The rollout strategy's wave gate stands between the plan and the writes (without a progressive
    // strategy it lets every change through, as before the field existed).
    const gate = gateRollout({
      mcm,
      desired,
      current,
      labelsOf: (c) => caches.clusters.store.get(c)?.metadata.labels,
      stateOf: cachedWorkState,
      now: this.now().getTime(),
    });
    const outcome = await this.write(gate.changes);
    this.recordWriteEvents(mcm, outcome, '');
    // After writes that all succeeded the works are as planned (the cache holds what was written), so the
    // plan holds until one of its inputs changes. A rollout that holds clusters back or is not complete (a
    // halted one waits for a resume annotation, which does not change the plan's inputs) must reach the gate.
    const settled =
      gate.held.length === 0 && (gate.rollout === undefined || gate.rollout.phase === 'Complete');
    if (settled && outcome.failed.length === 0)
      this.plans.set(name, {
        inputs,
        others,
        clusters: clustersVersion,
        plan,
        preflight,
        rollout: gate.rollout,
      });
    await this.reportStatus(mcm, plan, preflight, gate.rollout);
    if (outcome.failed.length > 0) throw this.failure(name, outcome);
    return gate.requeueAfterMs === undefined
      ? { result: 'success' }
      : { result: 'success', requeueAfterMs: gate.requeueAfterMs };
  }

  /** Status, gauges and condition Events from the plan and the MCM's ManifestWorks as they are now. */
  private async reportStatus(
    mcm: ManagedClusterModule,
    plan: McmCoverage,
    preflight: McmPreflight,
    rollout: RolloutStatus | undefined,
  ): Promise<void> {
    const name = mcm.metadata.name!;
    const { caches, imageStates } = this.deps;
    const works = this.worksOf(name);
    const now = this.timestamp(); // one instant for every transition this status records
    const facts = statusFacts(
      mcm,
      plan,
      works,
      (c) => caches.clusters.store.get(c),
      cachedWorkState,
    );
    const images = imageStatuses(
      plan,
      (image) => imageStates.lookup(name, image),
      mcm.status?.images,
      now,
    );
    const status = withPreflight(
      withRolloutStatus(
        rolloutStatus(mcm, facts, images, now),
        rollout,
        mcm.status?.conditions,
        now,
      ),
      preflight.entries,
      mcm.status,
      now,
    );
    this.updateGauges(name, plan, works);
    this.publishSummary(mcm, plan);
    await this.writeStatus(mcm, status);
  }

  /**
   * Hands the fleet summary to the publisher, which computes it from the caches when it is due (at most once
   * per interval) and writes it if it changed. An invalid MCM (no plan) lists the clusters its selector picks.
   */
  private publishSummary(mcm: ManagedClusterModule, plan: McmCoverage | undefined): void {
    const { caches, summaries } = this.deps;
    if (!summaries) return;
    const name = mcm.metadata.name!;
    summaries.publish(mcm, () => {
      const works = new Map<string, ManifestWork>();
      for (const w of this.worksOf(name))
        if (w.metadata.name === name) works.set(w.metadata.namespace ?? '', w);
      return fleetSummaryOf({
        mcm,
        plan,
        selected: plan
          ? undefined
          : selectClusters(mcm, caches.clusters.store.list()).map((c) => c.metadata.name ?? ''),
        clusterByName: (c) => caches.clusters.store.get(c),
        workOf: (c) => works.get(c),
        stateOf: cachedWorkState,
      });
    });
  }

  private worksOf(name: string): ManifestWork[] {
    return this.deps.caches.works.store.byIndex(MCM_INDEX, name);
  }

  private async write(changes: WorkChanges): Promise<Written> {
    const { plural } = MANIFEST_WORK_RESOURCE;
    const { gate, caches, writer } = this.deps;
    const works = caches.works;
    type Op = { verb: WorkWriteVerb; work: ManifestWork; run: () => Promise<void> };
    const ops: Op[] = [
      ...changes.create.map((work): Op => ({
        verb: 'create',
        work,
        run: async () => {
          try {
            works.recordWrite(await gate.write('create', plural, () => writer.createWork(work)));
          } catch (error) {
            if (apiFailure(error).code === 409) throw await this.explainExisting(work, error);
            throw error;
          }
        },
      })),
      ...changes.update.map(({ body }): Op => ({
        verb: 'update',
        work: body,
        run: async () => {
          works.recordWrite(await gate.write('update', plural, () => writer.updateWork(body)));
        },
      })),
      ...changes.delete.map((work): Op => ({
        verb: 'delete',
        work,
        run: async () => {
          try {
            await gate.write('delete', plural, () => writer.deleteWork(work));
          } catch (error) {
            if (!isNotFound(error)) throw error;
          }
          works.recordDelete(work);
        },
      })),
    ];
    const outcome: Written = { done: { create: [], update: [], delete: [] }, failed: [] };
    const results = await settleAll(ops, this.deps.writeConcurrency, (op) => op.run());
    results.forEach((r, i) => {
      const op = ops[i]!;
      const cluster = op.work.metadata.namespace ?? '';
      if (r.status === 'fulfilled') outcome.done[op.verb].push(cluster);
      else if (r.reason instanceof NotLeaderError) throw r.reason;
      else {
        outcome.failed.push({ verb: op.verb, cluster, message: apiFailure(r.reason).message });
        const wait = retryAfterOf(r.reason);
        if (wait !== undefined) outcome.retryAfterMs = Math.max(outcome.retryAfterMs ?? 0, wait);
      }
    });
    return outcome;
  }

  /** A create met an existing ManifestWork: ours but not yet in the cache, or someone else's of the same name. */
  private async explainExisting(work: ManifestWork, error: unknown): Promise<Error> {
    const { name, namespace } = work.metadata as { name: string; namespace: string };
    try {
      const existing = await this.deps.writer.getWork(namespace, name);
      if (isWorkOf(existing, name)) {
        this.deps.caches.works.recordWrite(existing);
        return new Error(
          `ManifestWork ${namespace}/${name} exists already (the cache was behind); retrying`,
        );
      }
      return new Error(
        `ManifestWork ${namespace}/${name} exists but is not labelled ${MCM_NAME_LABEL}=${name}: kmm-hub does not ` +
          'take over ManifestWorks it did not create; delete it or add the label',
      );
    } catch {
      return error instanceof Error ? error : new Error(String(error));
    }
  }

  private async writeStatus(
    mcm: ManagedClusterModule,
    status: ManagedClusterModuleStatus,
  ): Promise<void> {
    if (statusUnchanged(mcm.status, status)) return;
    // The API server may store a status differently from what was sent (fields its CRD prunes, normalised
    // values): if this is what we wrote last and the object still holds what the server made of it, the
    // write would change nothing.
    const last = this.lastWritten.get(mcm.metadata.name!);
    if (last && statusUnchanged(last.sent, status) && statusUnchanged(mcm.status, last.stored))
      return;
    const name = mcm.metadata.name!;
    const body: ManagedClusterModule = { ...mcm, status };
    const updated = await this.deps.gate.write('update', `${MCM_RESOURCE.plural}/status`, () =>
      this.deps.writer.updateMcmStatus(body),
    );
    this.deps.caches.mcms.recordWrite(updated);
    this.lastWritten.set(name, { sent: status, stored: updated.status ?? {} });
    const regarding = this.regarding(mcm);
    for (const e of [
      ...statusEvents(mcm.status, status),
      ...rolloutEvents(mcm.status?.rollout, status.rollout),
    ])
      this.deps.writer.recordEvent({ regarding, ...e });
  }

  /** The model's Events for what the writes did (`why` explains a cleanup). */
  private recordWriteEvents(mcm: ManagedClusterModule, outcome: WriteOutcome, why: string): void {
    const regarding = this.regarding(mcm);
    for (const e of writeEvents(outcome, why)) this.deps.writer.recordEvent({ regarding, ...e });
  }

  private updateGauges(name: string, plan: McmCoverage, works: readonly ManifestWork[]): void {
    const m = this.deps.metrics;
    m.selectedClusters.set({ mcm: name }, plan.selectedClusters.length);
    let applied = 0;
    let available = 0;
    let degraded = 0;
    for (const w of works) {
      const s = cachedWorkState(w);
      if (s.appliedCurrent) applied++;
      if (s.available === 'True') available++;
      if (s.degraded) degraded++;
    }
    m.manifestWorks.set({ mcm: name, state: 'applied' }, applied);
    m.manifestWorks.set({ mcm: name, state: 'available' }, available);
    m.manifestWorks.set({ mcm: name, state: 'degraded' }, degraded);
  }

  private failure(name: string, outcome: Written): ReconcileError {
    const first = outcome.failed[0]!;
    return new ReconcileError(
      `${name}: ${outcome.failed.length} ManifestWork write(s) failed, first: ${first.verb} ${first.cluster}: ${first.message}`,
      outcome.retryAfterMs,
    );
  }

  private regarding(mcm: ManagedClusterModule) {
    return {
      apiVersion: MCM_API_VERSION,
      kind: MCM_KIND,
      name: mcm.metadata.name!,
      uid: mcm.metadata.uid ?? '',
    };
  }

  /** metav1.Time has second precision; writing exactly that keeps the status comparison stable. */
  private timestamp(): string {
    return this.now()
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z');
  }
}
