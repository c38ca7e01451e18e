import type { Leadership } from '../leader/leader-elector';
import type { ControllerMetrics } from '../metrics';
import { apiFailure } from './api-errors';

export type WriteVerb = 'create' | 'update' | 'delete' | 'patch';

/** Thrown instead of writing when this replica is not (or no longer) the leader. */
export class NotLeaderError extends Error {
  constructor(verb: WriteVerb, resource: string) {
    super(`not the leader: refusing to ${verb} ${resource}`);
    this.name = 'NotLeaderError';
  }
}

/**
 * Every API write passes here: it is refused unless this replica leads at that instant (so losing the Lease
 * stops writes at once, even mid-reconcile), and counted by verb and resource for /metrics.
 */
export class WriteGate {
  constructor(
    private readonly leadership: Pick<Leadership, 'isLeader'>,
    private readonly metrics?: ControllerMetrics,
  ) {}

  get canWrite(): boolean {
    return this.leadership.isLeader;
  }

  async write<T>(verb: WriteVerb, resource: string, request: () => Promise<T>): Promise<T> {
    if (!this.leadership.isLeader) throw new NotLeaderError(verb, resource);
    try {
      const result = await request();
      this.metrics?.countWrite(verb, resource);
      return result;
    } catch (error) {
      this.metrics?.countWrite(verb, resource, apiFailure(error).code);
      throw error;
    }
  }
}
