// Jest stand-in for @openshift-console/dynamic-plugin-sdk (mapped in jest.config.js). The real package needs
// the console's internals and redux store. Every export is typed as the real one, so a test cannot use an
// API differently from the console. Watches are served from the fake cluster a test fills with fixtures.
import type * as Real from '@openshift-console/dynamic-plugin-sdk';
import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { Link, NavLink, Route, Routes, useSearchParams } from 'react-router';
import { fakeCluster, watch } from '../test-utils/fake-cluster';

type SDK = typeof Real;
// The SDK exports no Extension type of its own; its type guards take one.
type Extension = Parameters<SDK['isPerspective']>[0];

const useClusterState = () => useSyncExternalStore(fakeCluster.subscribe, fakeCluster.snapshot);

export const useK8sWatchResource: SDK['useK8sWatchResource'] = <R,>(
  resource: Real.WatchK8sResource | null,
) => {
  const s = useClusterState();
  const key = JSON.stringify(resource);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- keyed by the resource's content, as the SDK is
  return useMemo(() => watch(s, resource), [s, key]) as [R, boolean, unknown];
};

export const useK8sWatchResources: SDK['useK8sWatchResources'] = <R extends Real.ResourcesObject>(
  resources: Real.WatchK8sResources<R>,
) => {
  const s = useClusterState();
  const key = JSON.stringify(resources);
  return useMemo(() => {
    const results: Record<string, Real.WatchK8sResultsObject<Real.K8sResourceCommon>> = {};
    for (const [name, resource] of Object.entries(resources)) {
      const [data, loaded, loadError] = watch(s, resource);
      results[name] = { data: data as Real.K8sResourceCommon, loaded, loadError };
    }
    return results as Real.WatchK8sResults<R>;
    // eslint-disable-next-line react-hooks/exhaustive-deps -- keyed by the resources' content, as the SDK is
  }, [s, key]);
};

/** Per-test switches for access reviews, the modal launchers and the other plugins' extensions. */
export const sdkMock = {
  denied: new Set<string>(),
  launchedLabelsModal: [] as string[],
  launchedDeleteModal: [] as string[],
  /** extensions of the console and its other plugins, resolved, as useResolvedExtensions serves them */
  extensions: [] as Real.ResolvedExtension[],
  /** every k8sPatch call: the kind, the object's name and the JSON patch */
  patches: [] as { kind: string; name: string; data: unknown }[],
  /** when set, k8sPatch rejects with this message (as the console does with the API server's) */
  failPatch: undefined as string | undefined,
  reset(): void {
    this.denied.clear();
    this.launchedLabelsModal = [];
    this.launchedDeleteModal = [];
    this.extensions = [];
    this.patches = [];
    this.failPatch = undefined;
  },
};

/** As the console's, once resolution is complete: the extensions any of the type guards accepts. */
export const useResolvedExtensions: SDK['useResolvedExtensions'] = <E extends Extension>(
  ...typeGuards: ((e: Extension) => e is E)[]
) => [
  sdkMock.extensions.filter((e) =>
    typeGuards.some((guard) => guard(e)),
  ) as Real.ResolvedExtension<E>[],
  true,
  [],
];

export const isPerspective: SDK['isPerspective'] = (e: Extension): e is Real.Perspective =>
  e.type === 'console.perspective';

export const useAccessReview: SDK['useAccessReview'] = (attributes) => [
  !sdkMock.denied.has(attributes.verb ?? ''),
  false,
];

/** Records the patch and applies its `add` operations to the fake cluster's object, as the watch would show. */
export const k8sPatch: SDK['k8sPatch'] = async <R extends Real.K8sResourceCommon>({
  model,
  resource,
  data,
}: Parameters<SDK['k8sPatch']>[0]): Promise<R> => {
  const name = resource.metadata?.name ?? '';
  sdkMock.patches.push({ kind: model.kind, name, data });
  if (sdkMock.failPatch) throw new Error(sdkMock.failPatch);
  return fakeCluster.patch(
    model.kind,
    name,
    data as { op: string; path: string; value: unknown }[],
  ) as R;
};

export const useLabelsModal: SDK['useLabelsModal'] = (resource) => () => {
  sdkMock.launchedLabelsModal.push(resource.metadata?.name ?? '');
};

export const useDeleteModal: SDK['useDeleteModal'] = (resource) => () => {
  sdkMock.launchedDeleteModal.push(resource.metadata?.name ?? '');
};

const referenceOf = (gvk: Real.K8sGroupVersionKind) =>
  `${gvk.group ?? 'core'}~${gvk.version}~${gvk.kind}`;

export const ResourceLink: SDK['ResourceLink'] = ({
  groupVersionKind,
  name,
  namespace,
  displayName,
}) => (
  <a
    href={`/k8s/${namespace ? `ns/${namespace}` : 'cluster'}/${groupVersionKind ? referenceOf(groupVersionKind) : ''}/${name}`}
  >
    {displayName ?? name}
  </a>
);

export const ResourceIcon: SDK['ResourceIcon'] = ({ groupVersionKind }) => (
  <span>{groupVersionKind?.kind}</span>
);

export const Timestamp: SDK['Timestamp'] = ({ timestamp }) =>
  timestamp ? <time dateTime={timestamp}>{timestamp}</time> : <>-</>;

export const ListPageHeader: SDK['ListPageHeader'] = ({ title, helpText, children }) => (
  <header>
    <h1>{title}</h1>
    {helpText ? <p>{helpText}</p> : null}
    {children}
  </header>
);

/**
 * As the console's (react-helmet): the document's title while mounted, the previous one back after. The console
 * appends its product name ("· Red Hat OpenShift"); the mock sets the plugin's part only.
 */
export const DocumentTitle: SDK['DocumentTitle'] = ({ children }) => {
  useEffect(() => {
    const previous = document.title;
    document.title = children;
    return () => {
      document.title = previous;
    };
  }, [children]);
  return null;
};

export const ListPageBody: SDK['ListPageBody'] = ({ children }) => <div>{children}</div>;

/** As the console's: with `createAccessReview`, shown only to users allowed to create. */
export const ListPageCreate: SDK['ListPageCreate'] = ({
  groupVersionKind,
  createAccessReview,
  children,
}) =>
  createAccessReview && sdkMock.denied.has('create') ? null : (
    <Link
      to={`/k8s/cluster/${typeof groupVersionKind === 'string' ? groupVersionKind : referenceOf(groupVersionKind)}/~new`}
    >
      {children}
    </Link>
  );

/**
 * As the console's: what was typed lives in its own state and in the `name` and `labels` query arguments; when it
 * mounts, it starts from (and applies) what the URL says.
 */
export const ListPageFilter: SDK['ListPageFilter'] = ({ onFilterChange }) => {
  const [params, setParams] = useSearchParams();
  const [initial] = useState(() => ({
    name: params.get('name') ?? '',
    labels: params.get('labels') ?? '',
  }));
  const labelsOf = (text: string) => (text ? text.split(',') : []);
  useEffect(() => {
    onFilterChange('name', { selected: [initial.name] });
    onFilterChange('labels', { all: labelsOf(initial.labels) });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once, on mount, as the console's
  }, []);
  const keep = (argument: string, value: string) =>
    setParams(
      (p) => {
        if (value) p.set(argument, value);
        else p.delete(argument);
        return p;
      },
      { replace: true },
    );
  return (
    <div>
      <input
        aria-label="Filter by name"
        defaultValue={initial.name}
        onChange={(e) => {
          keep('name', e.target.value);
          onFilterChange('name', { selected: [e.target.value] });
        }}
      />
      <input
        aria-label="Filter by label"
        defaultValue={initial.labels}
        onChange={(e) => {
          keep('labels', e.target.value);
          onFilterChange('labels', { all: labelsOf(e.target.value) });
        }}
      />
    </div>
  );
};

/** The console's name filter (substring) and label filter (every key=value present). */
export const useListPageFilter: SDK['useListPageFilter'] = <D,>(data: D[]) => {
  const [filters, setFilters] = useState<Record<string, Real.FilterValue>>({});
  const filtered = useMemo(() => {
    const name = filters.name?.selected?.[0] ?? '';
    const labels = filters.labels?.all ?? [];
    return data.filter((item) => {
      const meta = (item as Real.K8sResourceCommon).metadata;
      const own = meta?.labels ?? {};
      return (
        (meta?.name ?? '').includes(name) &&
        labels.every((l) => {
          const [k = '', v = ''] = l.split('=');
          return own[k] === v;
        })
      );
    });
  }, [data, filters]);
  const onFilterChange = (type: string, value: Real.FilterValue) =>
    setFilters((f) => ({ ...f, [type]: value }));
  return [data, filtered, onFilterChange];
};

/** Routes its pages under the current route, as the console's HorizontalNav does. */
export const HorizontalNav: SDK['HorizontalNav'] = ({ pages }) => (
  <>
    <nav aria-label="Tabs">
      {pages.map((p) => (
        <NavLink key={p.name} to={p.href || '.'} end>
          {p.name}
        </NavLink>
      ))}
    </nav>
    <Routes>
      {pages.map((p) =>
        p.href ? (
          <Route key={p.name} path={p.href} element={<p.component />} />
        ) : (
          <Route key={p.name} index element={<p.component />} />
        ),
      )}
    </Routes>
  </>
);

export const ResourceYAMLEditor: SDK['ResourceYAMLEditor'] = ({ initialResource }) => (
  <pre aria-label="YAML editor">{JSON.stringify(initialResource, null, 2)}</pre>
);

export const ResourceEventStream: SDK['ResourceEventStream'] = ({ resource }) => (
  <div aria-label="Events">{`Events of ${resource.metadata?.name}`}</div>
);

const status = (kind: string): SDK['SuccessStatus'] => {
  const StatusMock: SDK['SuccessStatus'] = ({ title, children }) => (
    <span data-status={kind}>
      {title}
      {children ? <span role="note">{children}</span> : null}
    </span>
  );
  StatusMock.displayName = `${kind} status`;
  return StatusMock;
};
export const SuccessStatus = status('success');
export const ErrorStatus = status('error');
export const ProgressStatus = status('progress');
export const InfoStatus = status('info');
