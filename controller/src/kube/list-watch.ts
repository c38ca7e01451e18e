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
 * The client-node implementation: CustomObjectsApi lists and client-node's Watch, nothing more. A namespaced
 * resource is listed in all namespaces unless `namespace` names one.
 */
export function kubeListWatch(
  kubeConfig: KubeConfig,
  resource: ResourceRef,
  namespace?: string,
): ListWatchClient {
  const api = kubeConfig.makeApiClient(CustomObjectsApi);
  const { group, version, plural, namespaced } = resource;
  return {
    list: ({ labelSelector, limit, continue: _continue }) => {
      const query = { group, version, labelSelector, limit, _continue };
      if (namespaced && namespace)
        return api.listNamespacedCustomObject({ ...query, namespace, plural });
      return namespaced
        ? api.listCustomObjectForAllNamespaces({ ...query, resourcePlural: plural })
        : api.listClusterCustomObject({ ...query, plural });
    },
    watch: (query, onEvent, onDone) =>
      new Watch(kubeConfig).watch(
        collectionPath(resource, namespaced ? namespace : undefined),
        { ...query },
        onEvent,
        onDone,
      ),
  };
}
