import { PerKeyBackoff } from './backoff';

/** What a handler may ask for besides plain success: to be looked at again after a while. */
export interface HandlerResult {
  requeueAfterMs?: number;
}

export type KeyHandler = (key: string) => Promise<HandlerResult | void>;

export interface WorkQueueOptions {
  backoff?: PerKeyBackoff;
  /** Called with the number of keys ready to be processed whenever it changes. */
  onDepthChange?: (depth: number) => void;
  /** Called when a handler throws; the key is then retried with its backoff. */
  onError?: (key: string, error: unknown, retryInMs: number) => void;
  /**
   * The least wait a failure asks for (an API server's `Retry-After`): the retry comes after its backoff step
   * or after that, whichever is later.
   */
  retryAfterOf?: (error: unknown) => number | undefined;
}

/** A running set of workers; stop() lets the keys in hand finish and leaves the rest queued. */
export interface Processor {
  stop(): Promise<void>;
}

/**
 * A work queue with client-go's semantics: a key is queued at most once however often it is added ("dirty"),
 * a key is handled by at most one worker at a time (added while being handled, it is queued again once the
 * handler returns), failures retry with per-key exponential backoff, and delayed adds keep the earliest due time.
 */
export class WorkQueue {
  private readonly ready: string[] = [];
  private head = 0;
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly delayed = new Map<string, { due: number; timer: NodeJS.Timeout }>();
  /** keys whose last failure asked for a wait (Retry-After): not handled again before this time */
  private readonly holds = new Map<string, number>();
  private readonly waiters: ((key: string | undefined) => void)[] = [];
  private readonly idleWaiters: (() => void)[] = [];
  private readonly backoff: PerKeyBackoff;
  private closed = false;

  constructor(private readonly options: WorkQueueOptions = {}) {
    this.backoff = options.backoff ?? new PerKeyBackoff();
  }

  /** Keys ready to be handled (not counting delayed ones nor the ones being handled). */
  get depth(): number {
    return this.ready.length - this.head;
  }

  get delayedCount(): number {
    return this.delayed.size;
  }

  add(key: string): void {
    if (this.closed || this.dirty.has(key)) return;
    const hold = this.holdFor(key);
    if (hold > 0) {
      this.addAfter(key, hold);
      return;
    }
    this.dirty.add(key);
    if (this.processing.has(key)) return;
    this.push(key);
  }

  addAfter(key: string, delayMs: number): void {
    if (this.closed) return;
    if (delayMs <= 0) {
      this.add(key);
      return;
    }
    const due = Date.now() + Math.max(delayMs, this.holdFor(key));
    const existing = this.delayed.get(key);
    if (existing && existing.due <= due) return;
    if (existing) clearTimeout(existing.timer);
    const timer = setTimeout(() => {
      this.delayed.delete(key);
      this.add(key);
    }, due - Date.now());
    timer.unref();
    this.delayed.set(key, { due, timer });
  }

  /**
   * Queues key after its next backoff step, or after `atLeastMs` if that is later; returns the delay. With
   * `atLeastMs` (a server's Retry-After), adds of the key before then wait for it too: a watch event must not
   * bring back at once a key the server asked to wait.
   */
  addRateLimited(key: string, atLeastMs = 0): number {
    const delay = Math.max(this.backoff.next(key), atLeastMs);
    if (atLeastMs > 0) this.holds.set(key, Date.now() + atLeastMs);
    this.addAfter(key, delay);
    return delay;
  }

  /** Clears key's failure history (call after it was handled successfully). */
  forget(key: string): void {
    this.backoff.forget(key);
    this.holds.delete(key);
  }

  /** How long key must still wait for a Retry-After (0: not at all). */
  private holdFor(key: string): number {
    const until = this.holds.get(key);
    if (until === undefined) return 0;
    const left = until - Date.now();
    if (left <= 0) this.holds.delete(key);
    return Math.max(0, left);
  }

  failuresOf(key: string): number {
    return this.backoff.failuresOf(key);
  }

  /** Starts `concurrency` workers that hand keys to handler until stopped. */
  process(handler: KeyHandler, concurrency: number): Processor {
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new Error(`work queue: concurrency must be a positive integer, got ${concurrency}`);
    }
    let stopping = false;
    const stopSignals: (() => void)[] = [];
    const worker = async (): Promise<void> => {
      while (!stopping) {
        const key = await this.take(stopSignals);
        if (key === undefined) return;
        await this.handle(key, handler);
      }
    };
    const workers = Array.from({ length: concurrency }, () => worker());
    return {
      stop: async () => {
        stopping = true;
        for (const wake of stopSignals.splice(0)) wake();
        await Promise.all(workers);
      },
    };
  }

  /** Resolves once nothing is ready, delayed or being handled (for tests and benchmarks). */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Drops every queued and delayed key; later adds are ignored. Workers must be stopped separately. */
  close(): void {
    this.closed = true;
    for (const { timer } of this.delayed.values()) clearTimeout(timer);
    this.delayed.clear();
    this.holds.clear();
    this.ready.length = 0;
    this.head = 0;
    this.dirty.clear();
    this.notifyDepth();
    this.checkIdle();
  }

  private async handle(key: string, handler: KeyHandler): Promise<void> {
    try {
      const result = await handler(key);
      this.forget(key);
      if (result?.requeueAfterMs !== undefined) this.addAfter(key, result.requeueAfterMs);
    } catch (error) {
      const retryAfter = this.options.retryAfterOf?.(error) ?? 0;
      // Added again while it was handled: that add waits for the Retry-After too.
      if (retryAfter > 0) this.dirty.delete(key);
      const retryInMs = this.closed ? 0 : this.addRateLimited(key, retryAfter);
      this.options.onError?.(key, error, retryInMs);
    } finally {
      this.done(key);
    }
  }

  private take(stopSignals: (() => void)[]): Promise<string | undefined> {
    const key = this.shift();
    if (key !== undefined) return Promise.resolve(key);
    return new Promise((resolve) => {
      const waiter = (k: string | undefined): void => resolve(k);
      this.waiters.push(waiter);
      stopSignals.push(() => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        resolve(undefined);
      });
    });
  }

  private push(key: string): void {
    const waiter = this.waiters.shift();
    if (waiter) {
      this.dirty.delete(key);
      this.processing.add(key);
      waiter(key);
      return;
    }
    this.ready.push(key);
    this.notifyDepth();
  }

  private shift(): string | undefined {
    if (this.head >= this.ready.length) return undefined;
    const key = this.ready[this.head++] as string;
    // Compact now and then so the array does not grow without bound.
    if (this.head > 1024 && this.head * 2 > this.ready.length) {
      this.ready.splice(0, this.head);
      this.head = 0;
    }
    this.dirty.delete(key);
    this.processing.add(key);
    this.notifyDepth();
    return key;
  }

  private done(key: string): void {
    this.processing.delete(key);
    if (this.dirty.has(key)) this.push(key);
    this.checkIdle();
  }

  private isIdle(): boolean {
    return this.depth === 0 && this.processing.size === 0 && this.delayed.size === 0;
  }

  private checkIdle(): void {
    if (!this.isIdle()) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private notifyDepth(): void {
    this.options.onDepthChange?.(this.depth);
  }
}
