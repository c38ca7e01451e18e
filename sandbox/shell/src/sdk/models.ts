// Models from API discovery, as the console builds them: every kind the API server serves, keyed by
// `group~version~Kind`. `console.flag/model` flags turn true when their model is discovered.
import type * as Real from '@openshift-console/dynamic-plugin-sdk';
import { API_PREFIX, requestJSON } from './api';

interface APIResource {
  name: string;
  kind: string;
  namespaced: boolean;
  verbs: string[];
  shortNames?: string[];
}
interface ResourceList {
  groupVersion: string;
  resources: APIResource[];
}
interface GroupList {
  groups: {
    name: string;
    preferredVersion: { version: string };
    versions: { version: string }[];
  }[];
}

export const referenceOf = (gvk: Real.K8sGroupVersionKind): string =>
  `${gvk.group || 'core'}~${gvk.version ?? ''}~${gvk.kind}`;

export const parseReference = (ref: string): Real.K8sGroupVersionKind => {
  const [group = '', version = '', kind = ''] = ref.split('~');
  return { group: group === 'core' ? '' : group, version, kind };
};

let models = new Map<string, Real.K8sModel>();
let byKind = new Map<string, Real.K8sModel>();

function add(
  models: Map<string, Real.K8sModel>,
  byKind: Map<string, Real.K8sModel>,
  list: ResourceList,
  preferred: boolean,
): void {
  const [group, version] = list.groupVersion.includes('/')
    ? (list.groupVersion.split('/') as [string, string])
    : ['', list.groupVersion];
  for (const r of list.resources) {
    if (r.name.includes('/')) continue; // subresources
    const model: Real.K8sModel = {
      // Core models carry no apiGroup: resource URLs are built from it.
      ...(group ? { apiGroup: group } : {}),
      apiVersion: version,
      kind: r.kind,
      plural: r.name,
      label: r.kind,
      labelPlural: `${r.kind}s`,
      abbr: r.kind.replace(/[^A-Z]/g, '').slice(0, 4) || r.kind.slice(0, 2).toUpperCase(),
      namespaced: r.namespaced,
      verbs: r.verbs as Real.K8sVerb[],
      ...(r.shortNames ? { shortNames: r.shortNames } : {}),
    };
    models.set(referenceOf({ group, version, kind: r.kind }), model);
    if (preferred || !byKind.has(r.kind)) byKind.set(r.kind, model);
  }
}

/** Reads /api/v1 and every group version under /apis. */
export async function discover(): Promise<void> {
  const core = await requestJSON<ResourceList>(`${API_PREFIX}/api/v1`);
  const groups = await requestJSON<GroupList>(`${API_PREFIX}/apis`);
  // Built aside and swapped in, so a page never sees a half-read discovery.
  const nextModels = new Map<string, Real.K8sModel>();
  const nextByKind = new Map<string, Real.K8sModel>();
  add(nextModels, nextByKind, core, true);
  await Promise.all(
    groups.groups.flatMap((g) =>
      g.versions.map(async (v) =>
        add(
          nextModels,
          nextByKind,
          await requestJSON<ResourceList>(`${API_PREFIX}/apis/${g.name}/${v.version}`),
          v.version === g.preferredVersion.version,
        ),
      ),
    ),
  );
  models = nextModels;
  byKind = nextByKind;
}

export const allModels = (): Real.K8sModel[] => [...models.values()];

/** The model of a group/version/kind, or of a kind reference (`group~version~Kind` or a bare kind). */
export function modelFor(
  gvk: Real.K8sGroupVersionKind | string | undefined,
): Real.K8sModel | undefined {
  if (!gvk) return undefined;
  if (typeof gvk === 'string') return models.get(gvk) ?? byKind.get(gvk);
  if (!gvk.version) return byKind.get(gvk.kind);
  return models.get(referenceOf(gvk));
}

export const gvkOf = (model: Real.K8sModel): Real.K8sGroupVersionKind => ({
  group: model.apiGroup ?? '',
  version: model.apiVersion,
  kind: model.kind,
});

/** `/api/kubernetes/apis/<group>/<version>[/namespaces/<ns>]/<plural>[/<name>]` */
export function resourceURL(
  model: Real.K8sModel,
  options: { ns?: string; name?: string; path?: string; queryParams?: Record<string, string> } = {},
): string {
  const base = model.apiGroup
    ? `${API_PREFIX}/apis/${model.apiGroup}/${model.apiVersion}`
    : `${API_PREFIX}/api/${model.apiVersion}`;
  let url = base;
  if (model.namespaced && options.ns) url += `/namespaces/${encodeURIComponent(options.ns)}`;
  url += `/${model.plural}`;
  if (options.name) url += `/${encodeURIComponent(options.name)}`;
  if (options.path) url += `/${options.path}`;
  const query = new URLSearchParams(options.queryParams ?? {}).toString();
  return query ? `${url}?${query}` : url;
}

/** The model of an object, from its apiVersion and kind. */
export function modelOfObject(o: Real.K8sResourceCommon): Real.K8sModel | undefined {
  const apiVersion = o.apiVersion ?? '';
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  return modelFor({ group: group ?? '', version: version ?? '', kind: o.kind ?? '' });
}
