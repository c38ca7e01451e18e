// The objects the SDK mock's watch hooks serve in a test: a test puts fixture objects (and optionally a
// load error or a not-yet-loaded state per kind) here before rendering; updates re-render subscribers.
import type {
  K8sGroupVersionKind,
  K8sResourceCommon,
  Selector,
  WatchK8sResource,
} from '@openshift-console/dynamic-plugin-sdk';
import { withSummaries } from './fake-controller';

type State = {
  objects: K8sResourceCommon[];
  errors: Map<string, unknown>;
  pending: Set<string>;
};

let state: State = { objects: [], errors: new Map(), pending: new Set() };
const listeners = new Set<() => void>();

const kindKey = (gvk: K8sGroupVersionKind) => `${gvk.group ?? ''}/${gvk.version}/${gvk.kind}`;
const objectKey = (o: K8sResourceCommon) => {
  const [group, version] = (o.apiVersion ?? '').includes('/')
    ? (o.apiVersion ?? '').split('/')
    : ['', o.apiVersion ?? ''];
  return kindKey({ group, version: version ?? '', kind: o.kind ?? '' });
};

const emit = () => {
  for (const listener of listeners) listener();
};

export const fakeCluster = {
  reset(): void {
    state = { objects: [], errors: new Map(), pending: new Set() };
    emit();
  },
  /**
   * The objects, and the fleet summaries the controller would publish for their MCMs (unless `controller` is
   * false: a controller that has not reported yet).
   */
  set(objects: K8sResourceCommon[], { controller = true }: { controller?: boolean } = {}): void {
    state = {
      ...state,
      objects: controller ? (withSummaries(objects) as K8sResourceCommon[]) : objects,
    };
    emit();
  },
  // New collections, not mutated ones: the snapshot's identity is what tells subscribers that it changed.
  failWatch(gvk: K8sGroupVersionKind, error: unknown): void {
    state = { ...state, errors: new Map(state.errors).set(kindKey(gvk), error) };
    emit();
  },
  holdWatch(gvk: K8sGroupVersionKind): void {
    state = { ...state, pending: new Set(state.pending).add(kindKey(gvk)) };
    emit();
  },
  /** Applies JSON patch `add` operations to the object of that kind and name (cluster-scoped); returns it. */
  patch(
    kind: string,
    name: string,
    ops: { op: string; path: string; value: unknown }[],
  ): K8sResourceCommon {
    const at = state.objects.findIndex((o) => o.kind === kind && o.metadata?.name === name);
    if (at < 0) throw new Error(`fake cluster: no ${kind} ${name}`);
    const next = JSON.parse(JSON.stringify(state.objects[at])) as Record<string, unknown>;
    for (const op of ops) {
      if (op.op !== 'add') throw new Error(`fake cluster: patch op ${op.op} not supported`);
      const keys = op.path
        .split('/')
        .slice(1)
        .map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
      let target = next;
      for (const k of keys.slice(0, -1)) {
        if (typeof target[k] !== 'object' || target[k] === null)
          throw new Error(`fake cluster: patch path ${op.path} does not exist`);
        target = target[k] as Record<string, unknown>;
      }
      target[keys[keys.length - 1]!] = op.value;
    }
    const objects = [...state.objects];
    objects[at] = next as K8sResourceCommon;
    state = { ...state, objects };
    emit();
    return next as K8sResourceCommon;
  },
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  /** a snapshot identity that changes whenever the state changes (for useSyncExternalStore) */
  snapshot(): State {
    return state;
  },
};

const matches = (labels: Record<string, string> | undefined, selector: Selector | undefined) => {
  if (!selector) return true;
  const l = labels ?? {};
  const byLabels = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => l[k] === v);
  const byExpressions = (selector.matchExpressions ?? []).every((e) => {
    switch (e.operator) {
      case 'Exists':
        return e.key in l;
      case 'DoesNotExist':
        return !(e.key in l);
      case 'In':
        return (e.values ?? []).includes(l[e.key] ?? '');
      case 'NotIn':
        return !(e.values ?? []).includes(l[e.key] ?? '');
      default:
        throw new Error(`fake cluster: selector operator ${e.operator} not supported`);
    }
  });
  return byLabels && byExpressions;
};

/** What a watch of `resource` sees: [data, loaded, loadError], as the SDK's hook returns it. */
export const watch = (s: State, resource: WatchK8sResource | null): [unknown, boolean, unknown] => {
  if (!resource) return [undefined, true, undefined];
  if (!resource.groupVersionKind) {
    throw new Error('fake cluster: the plugin must watch by groupVersionKind');
  }
  const key = kindKey(resource.groupVersionKind);
  if (s.errors.has(key)) return [resource.isList ? [] : undefined, true, s.errors.get(key)];
  if (s.pending.has(key)) return [resource.isList ? [] : undefined, false, undefined];
  const found = s.objects.filter(
    (o) =>
      objectKey(o) === key &&
      (resource.namespace === undefined || o.metadata?.namespace === resource.namespace) &&
      (resource.name === undefined || o.metadata?.name === resource.name) &&
      matches(o.metadata?.labels, resource.selector),
  );
  if (resource.isList) return [found, true, undefined];
  if (found.length === 0) {
    return [undefined, true, Object.assign(new Error('Not Found'), { code: 404 })];
  }
  return [found[0], true, undefined];
};
