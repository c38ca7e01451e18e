// The SDK's data hooks over the shared watches and the API server's access reviews.
import type * as Real from '@openshift-console/dynamic-plugin-sdk';
import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { requestJSON } from './api';
import { modelFor, resourceURL } from './models';
import { selectorString } from './selector';
import { sharedWatch, type WatchSnapshot } from './watch';
import { useFeatureFlag } from '@openshift/dynamic-plugin-sdk';

type SDK = typeof Real;

const NO_WATCH = {
  subscribe: () => () => undefined,
  getSnapshot: (): WatchSnapshot => IDLE,
};
const IDLE: WatchSnapshot = { list: [], loaded: false, error: undefined };

function watchFor(resource: Real.WatchK8sResource | null) {
  if (!resource) return NO_WATCH;
  const model = modelFor(resource.groupVersionKind ?? resource.kind);
  if (!model) {
    const missing: WatchSnapshot = {
      list: [],
      loaded: true,
      error: new Error(
        `The API server does not serve ${JSON.stringify(resource.groupVersionKind ?? resource.kind)}`,
      ),
    };
    return { subscribe: NO_WATCH.subscribe, getSnapshot: () => missing };
  }
  return sharedWatch({
    model,
    ...(resource.namespace && model.namespaced ? { namespace: resource.namespace } : {}),
    ...(resource.name ? { name: resource.name } : {}),
    ...(resource.selector ? { labelSelector: selectorString(resource.selector) } : {}),
    ...(resource.fieldSelector ? { fieldSelector: resource.fieldSelector } : {}),
  });
}

const resultOf = (resource: Real.WatchK8sResource | null, s: WatchSnapshot) => {
  if (!resource || resource.isList || !resource.name) return [s.list, s.loaded, s.error] as const;
  const object = s.list[0];
  // As the console: a named resource that is not there is a 404 once loaded.
  const error =
    s.error ??
    (s.loaded && !object
      ? Object.assign(
          new Error(
            `${resource.groupVersionKind?.kind ?? resource.kind} "${resource.name}" not found`,
          ),
          {
            json: { code: 404, reason: 'NotFound' },
          },
        )
      : undefined);
  return [object, s.loaded, error] as const;
};

export const useK8sWatchResource: SDK['useK8sWatchResource'] = <R>(
  resource: Real.WatchK8sResource | null,
) => {
  const key = JSON.stringify(resource);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- keyed by content, as the console's hook is
  const watch = useMemo(() => watchFor(resource), [key]);
  const snapshot = useSyncExternalStore(watch.subscribe, watch.getSnapshot);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- keyed by content
  return useMemo(() => resultOf(resource, snapshot), [key, snapshot]) as unknown as [
    R,
    boolean,
    unknown,
  ];
};

export const useK8sWatchResources: SDK['useK8sWatchResources'] = <R extends Real.ResourcesObject>(
  resources: Real.WatchK8sResources<R>,
) => {
  const key = JSON.stringify(resources);
  const names = Object.keys(resources);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- keyed by content
  const watches = useMemo(() => names.map((n) => watchFor(resources[n] ?? null)), [key]);
  const [, setTick] = useState(0);
  useEffect(() => {
    const unsubscribe = watches.map((w) => w.subscribe(() => setTick((t) => t + 1)));
    return () => unsubscribe.forEach((u) => u());
  }, [watches]);
  const snapshots = watches.map((w) => w.getSnapshot());
  return useMemo(() => {
    const results: Record<string, Real.WatchK8sResultsObject<Real.K8sResourceCommon>> = {};
    names.forEach((n, i) => {
      const [data, loaded, loadError] = resultOf(resources[n] ?? null, snapshots[i] ?? IDLE);
      results[n] = { data: data as Real.K8sResourceCommon, loaded, loadError };
    });
    return results as Real.WatchK8sResults<R>;
    // eslint-disable-next-line react-hooks/exhaustive-deps -- recomputed when any snapshot changes
  }, [key, ...snapshots]);
};

const reviews = new Map<string, Promise<boolean>>();

/** A real SelfSubjectAccessReview, cached per attributes for the page's life (as the console caches it). */
export function checkAccess(attributes: Real.AccessReviewResourceAttributes): Promise<boolean> {
  const key = JSON.stringify(attributes);
  let review = reviews.get(key);
  if (!review) {
    const model = modelFor({
      group: 'authorization.k8s.io',
      version: 'v1',
      kind: 'SelfSubjectAccessReview',
    });
    review = model
      ? requestJSON<{ status?: { allowed?: boolean } }>(resourceURL(model), 'POST', {
          apiVersion: 'authorization.k8s.io/v1',
          kind: 'SelfSubjectAccessReview',
          spec: { resourceAttributes: attributes },
        }).then(
          (r) => r.status?.allowed === true,
          () => {
            reviews.delete(key);
            return false;
          },
        )
      : Promise.resolve(false);
    reviews.set(key, review);
  }
  return review;
}

export const useAccessReview: SDK['useAccessReview'] = (attributes) => {
  const key = JSON.stringify(attributes);
  const [state, setState] = useState<{ key: string; allowed: boolean } | undefined>();
  useEffect(() => {
    let live = true;
    void checkAccess(attributes).then((allowed) => live && setState({ key, allowed }));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- keyed by content
  }, [key]);
  const done = state?.key === key;
  return [done ? state.allowed : false, !done];
};

export const useFlag: SDK['useFlag'] = (flag) => useFeatureFlag(flag)[0] === true;

export const useK8sModel: SDK['useK8sModel'] = (ref) => [
  modelFor(ref as Real.K8sGroupVersionKind | string) as Real.K8sModel,
  false,
];

export const useActiveNamespace: SDK['useActiveNamespace'] = () => {
  const [ns, setNs] = useState('#ALL_NS#');
  return [ns, setNs];
};
