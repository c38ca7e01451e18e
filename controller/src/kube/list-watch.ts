import { CustomObjectsApi, Watch, type KubeConfig } from '@kubernetes/client-node';
import type { KubeObject } from '../model/types';
import { collectionPath, type ResourceRef } from './resources';

/** One page of a list as the API server answers it. */
export interface ListPage {
  items?: KubeObject[];
  metadata?: { resourceVersion?: string; continue?: string };
}

export interface ListQuery {
  labelSelector?: string;
  /** page size; undefined lists everything in one answer */
  limit?: number;
  continue?: string;
}

export interface WatchQuery {
  resourceVersion: string;
  allowWatchBookmarks: boolean;
  timeoutSeconds: number;
  labelSelector?: string;
}

/**
 * The two requests an informer makes of one resource. Behind an interface so that the informer's recovery
 * (resume, relist after 410, backoff) can be driven by a scripted API server in unit tests.
 */
export interface ListWatchClient {
  /** Rejects with the API's error (e.g. 410 Gone for an expired continue token). */
  list(query: ListQuery): Promise<ListPage>;
  /**
   * Starts a watch. Every event goes to onEvent (type ADDED, MODIFIED, DELETED, BOOKMARK or ERROR with a
   * Status); its end, cleanly or with an error, to onDone, exactly once. Resolves to what stops it early.
   */
  watch(
    query: WatchQuery,
    onEvent: (type: string, obj: unknown) => void,
    onDone: (error: unknown) => void,
  ): Promise<AbortController>;
}

/**
 * How long a watch may carry nothing before the client gives up on its connection. kube-apiserver sends a
 * bookmark about every minute on a quiet watch (and one 2 s before the watch's deadline), so a healthy watch is
 * never silent much longer than that; client-node's own default, 30 s, would cut every quiet watch before its
 * first bookmark and keep its resourceVersion from ever moving forward.
 */
export const WATCH_IDLE_TIMEOUT_MS = 90_000;

export interface KubeListWatchOptions {
  /** one namespace of a namespaced resource (default: all namespaces) */
  namespace?: string;
  /** see WATCH_IDLE_TIMEOUT_MS (the default) */
  watchIdleTimeoutMs?: number;
}

/**
 * The client-node implementation: CustomObjectsApi lists and client-node's Watch. A namespaced resource is
 * listed and watched in all namespaces unless `namespace` names one. A watch the client ends for
 * inactivity is reported as a normal end (`onDone(null)`), like a server-side close: the resource was quiet,
 * and the informer resumes from its last resourceVersion.
 */
export function kubeListWatch(
  kubeConfig: KubeConfig,
  resource: ResourceRef,
  options: KubeListWatchOptions = {},
): ListWatchClient {
  const api = kubeConfig.makeApiClient(CustomObjectsApi);
  const { group, version, plural, namespaced } = resource;
  const namespace = namespaced ? options.namespace : undefined;
  return {
    list: ({ labelSelector, limit, continue: _continue }) => {
      const query = { group, version, labelSelector, limit, _continue };
      if (namespace) return api.listNamespacedCustomObject({ ...query, namespace, plural });
      return namespaced
        ? api.listCustomObjectForAllNamespaces({ ...query, resourcePlural: plural })
        : api.listClusterCustomObject({ ...query, plural });
    },
    watch: async (query, onEvent, onDone) => {
      const watch = new Watch(kubeConfig);
      // Private in client-node's types, but the one way to set its timer (read at every watch() call).
      (watch as unknown as { requestTimeoutMs: number }).requestTimeoutMs =
        options.watchIdleTimeoutMs ?? WATCH_IDLE_TIMEOUT_MS;
      // client-node reports both of its timeouts as a TimeoutError: before the answer's headers (the API
      // server did not answer: a failure) and after them (nothing came for the idle timeout: a quiet watch).
      // Its watch() resolves once the headers are in, and calls onDone before that when they never come.
      let answered = false;
      const controller = await watch.watch(
        collectionPath(resource, namespace),
        { ...query },
        onEvent,
        (error) => onDone(answered && isTimeout(error) ? null : error),
      );
      answered = true;
      return controller;
    },
  };
}

function isTimeout(error: unknown): boolean {
  return (error as { name?: unknown } | null)?.name === 'TimeoutError';
}
