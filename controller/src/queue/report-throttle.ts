/** The one queue operation the throttle needs. */
export interface DelayedQueue {
  addAfter(key: string, delayMs: number): void;
}

/**
 * Turns ManifestWork status reports into reconciles of their MCM: at most one per `windowMs` per MCM, so that
 * a fleet reporting in does not keep every MCM in a reconcile loop, but a report after a quiet moment is acted
 * on within `settleMs` (reports that arrive together are still one reconcile) instead of a whole window later.
 * A report that arrives while its MCM's reconcile is already due needs nothing more: that reconcile reads the
 * cache after the report.
 */
export class ReportThrottle {
  /** per MCM: when the last report-driven reconcile was due */
  private readonly due = new Map<string, number>();

  constructor(
    private readonly queue: DelayedQueue,
    private readonly windowMs: number,
    private readonly settleMs = Math.min(50, windowMs),
    private readonly now: () => number = Date.now,
  ) {}

  report(key: string): void {
    const now = this.now();
    const last = this.due.get(key);
    if (last !== undefined && last > now) {
      // One is due already. Asked again all the same: the queue may have pulled that reconcile forward (an
      // earlier retry of the key replaces a later delayed add) and run it before this report; then this adds it
      // back at the due time, and otherwise it changes nothing (the queue keeps the earlier of two delays).
      this.queue.addAfter(key, last - now);
      return;
    }
    const at = Math.max(now + this.settleMs, last === undefined ? 0 : last + this.windowMs);
    this.due.set(key, at);
    this.queue.addAfter(key, at - now);
  }

  /** The MCM is gone. */
  forget(key: string): void {
    this.due.delete(key);
  }
}
