import { apiFailure, isConflict, isNotFound } from '../kube/api-errors';
import { FLEET_SUMMARY_RESOURCE } from '../kube/resources';
import { NotLeaderError, type WriteGate } from '../kube/write-gate';
import type { Logger } from '../logging';
import {
  fleetSummaryObject,
  sameFleetSummary,
  type FleetSummaryData,
  type ManagedClusterModule,
} from '../model';
import type { HubWriter } from './hub-writer';

export interface FleetSummaryPublisherDeps {
  writer: HubWriter;
  gate: WriteGate;
  logger: Logger;
  /** at most one summary computation (and so at most one write) per MCM per this many milliseconds */
  intervalMs: number;
  now?: () => number;
}

/** The summary a reconcile asks for, computed only when it is due (from the caches as they are then). */
type Request = { mcm: ManagedClusterModule; compute: () => FleetSummaryData };

type McmState = {
  /** what the server holds, once read or written; undefined before that (or after a conflict) */
  stored?: { fleet: FleetSummaryData | undefined; resourceVersion: string | undefined };
  pending?: Request;
  timer?: NodeJS.Timeout;
  busy: boolean;
  /** when the last computation started: the next one waits until intervalMs after it */
  lastAt: number;
};

/**
 * Publishes each MCM's ManagedClusterModuleFleetSummary, off the reconcile path: a reconcile hands over how to
 * compute it, and the publisher computes it at most once per interval per MCM (a burst of reconciles, e.g. a
 * fleet reporting in, costs one computation and at most one write), writes it only if it differs from what the
 * server holds, and never writes at steady state. Writes go through the WriteGate (the leader only); a replica
 * that is not the leader drops the request, since the new leader reconciles every MCM anyway.
 */
export class FleetSummaryPublisher {
  private readonly states = new Map<string, McmState>();
  private readonly now: () => number;
  private readonly inFlight = new Set<Promise<void>>();
  private stopped = false;

  constructor(private readonly deps: FleetSummaryPublisherDeps) {
    this.now = deps.now ?? (() => performance.now());
  }

  publish(mcm: ManagedClusterModule, compute: () => FleetSummaryData): void {
    if (this.stopped) return;
    const name = mcm.metadata.name!;
    let state = this.states.get(name);
    if (!state) {
      state = { busy: false, lastAt: -Infinity };
      this.states.set(name, state);
    }
    state.pending = { mcm, compute };
    this.schedule(name, state);
  }

  /** The MCM is gone: its summary goes with it (garbage collection by the ownerReference). */
  forget(name: string): void {
    const state = this.states.get(name);
    if (state?.timer) clearTimeout(state.timer);
    this.states.delete(name);
  }

  /** Resolves once nothing is scheduled or in flight (tests, shutdown). */
  async idle(): Promise<void> {
    while ([...this.states.values()].some((s) => s.busy || s.timer)) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /** Schedules nothing more and resolves once the writes in flight have settled (a graceful stop). */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const state of this.states.values()) if (state.timer) clearTimeout(state.timer);
    this.states.clear();
    await Promise.allSettled([...this.inFlight]);
  }

  private schedule(name: string, state: McmState): void {
    if (state.timer || state.busy || !state.pending) return;
    const delay = Math.max(0, state.lastAt + this.deps.intervalMs - this.now());
    state.timer = setTimeout(() => {
      state.timer = undefined;
      const flushing = this.flush(name, state);
      this.inFlight.add(flushing);
      void flushing.finally(() => this.inFlight.delete(flushing));
    }, delay);
    state.timer.unref?.();
  }

  private async flush(name: string, state: McmState): Promise<void> {
    const request = state.pending;
    if (!request || this.stopped) return;
    state.pending = undefined;
    state.busy = true;
    state.lastAt = this.now();
    try {
      await this.write(name, state, request);
    } catch (error) {
      if (error instanceof NotLeaderError) {
        state.stored = undefined;
      } else {
        // Read again before the next attempt: a conflict or an unexpected answer leaves what the server holds
        // unknown. The latest request (a newer one if it came meanwhile) is retried after the interval.
        state.stored = undefined;
        state.pending ??= request;
        const level = isConflict(error) ? 'debug' : 'warn';
        this.deps.logger[level](
          { mcm: name, err: apiFailure(error).message },
          'writing the fleet summary failed; retrying',
        );
      }
    } finally {
      state.busy = false;
      if (this.states.get(name) === state) this.schedule(name, state);
    }
  }

  private async write(name: string, state: McmState, request: Request): Promise<void> {
    const { gate, writer } = this.deps;
    // Leader only, reads included: a standby has no business with summaries.
    if (!gate.canWrite) throw new NotLeaderError('update', FLEET_SUMMARY_RESOURCE.plural);
    const fleet = request.compute();
    if (!state.stored) {
      try {
        const current = await writer.getFleetSummary(name);
        state.stored = { fleet: current.fleet, resourceVersion: current.metadata.resourceVersion };
      } catch (error) {
        if (!isNotFound(error)) throw error;
        state.stored = { fleet: undefined, resourceVersion: undefined };
      }
    }
    if (sameFleetSummary(state.stored.fleet, fleet) || this.stopped) return;
    const { plural } = FLEET_SUMMARY_RESOURCE;
    const rv = state.stored.resourceVersion;
    const body = fleetSummaryObject(request.mcm, fleet, rv);
    const stored = rv
      ? await gate.write('update', plural, () => writer.updateFleetSummary(body))
      : await gate.write('create', plural, () => writer.createFleetSummary(body));
    state.stored = { fleet, resourceVersion: stored.metadata.resourceVersion };
  }
}
