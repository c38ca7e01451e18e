// Fakes of the API server for the controller's unit tests: what each seam (list/watch, Lease, Event and hub
// writes) is answered with, so that the recovery branches run without a server and in fake time.
import { ApiException } from '@kubernetes/client-node';
import pino from 'pino';
import type { ListPage, ListQuery, ListWatchClient, WatchQuery } from '../kube/list-watch';
import type { Logger } from '../logging';

/** A logger that writes nothing, unless KMM_TEST_LOG names a level. */
export function silentLogger(): Logger {
  return pino({ level: process.env.KMM_TEST_LOG ?? 'silent' });
}

/** A logger that keeps every line (debug and up) for the test to read. */
export function capturingLogger(): { logger: Logger; lines: { level: number; msg: string }[] } {
  const lines: { level: number; msg: string }[] = [];
  const logger = pino(
    { level: 'debug' },
    { write: (line: string) => lines.push(JSON.parse(line)) },
  );
  return { logger, lines };
}

/** An error as client-node's generated APIs throw it: the HTTP code and a metav1.Status body. */
export function apiError(
  code: number,
  reason = '',
  message = `HTTP ${code}`,
): ApiException<unknown> {
  return new ApiException(code, message, { kind: 'Status', code, reason, message }, {});
}

/** Lets every promise chain that is not waiting for a timer or I/O run to its end. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** One watch the informer opened: the test sends its events and ends it. */
export interface FakeWatch {
  readonly query: WatchQuery;
  send(type: string, obj: unknown): void;
  /** The connection ends: cleanly without an error, as client-node reports a server-side close. */
  end(error?: unknown): void;
  readonly ended: boolean;
}

/**
 * A scripted API server for one informer: `onList` answers each list request (throw to fail it), and each
 * watch is kept in `watches` for the test to drive.
 */
export class FakeListWatch implements ListWatchClient {
  readonly lists: ListQuery[] = [];
  readonly watches: FakeWatch[] = [];
  onList: (query: ListQuery) => ListPage = () => ({
    items: [],
    metadata: { resourceVersion: '1' },
  });

  async list(query: ListQuery): Promise<ListPage> {
    this.lists.push(query);
    return this.onList(query);
  }

  async watch(
    query: WatchQuery,
    onEvent: (type: string, obj: unknown) => void,
    onDone: (error: unknown) => void,
  ): Promise<AbortController> {
    const controller = new AbortController();
    let ended = false;
    const end = (error: unknown): void => {
      if (ended) return;
      ended = true;
      onDone(error);
    };
    // An aborted fetch ends the way client-node reports it: with the AbortError.
    controller.signal.addEventListener('abort', () =>
      end(new DOMException('This operation was aborted', 'AbortError')),
    );
    this.watches.push({
      query,
      send: (type, obj) => {
        if (!ended) onEvent(type, obj);
      },
      end: (error) => end(error ?? null),
      get ended() {
        return ended;
      },
    });
    return controller;
  }

  /** The watch opened last (the test fails if there is none). */
  get current(): FakeWatch {
    const w = this.watches.at(-1);
    if (!w) throw new Error('no watch was opened');
    return w;
  }
}
