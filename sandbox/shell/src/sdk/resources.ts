// k8sGet/Create/Update/Patch/Delete/List, the SDK's object-style functions.
import type * as Real from '@openshift-console/dynamic-plugin-sdk';
import { requestJSON } from './api';
import { resourceURL } from './models';

type SDK = typeof Real;
type Query = Record<string, string>;
const q = (p: unknown) => (p ?? {}) as Query;

export const k8sGet: SDK['k8sGet'] = ({ model, name, ns, path, queryParams }) =>
  requestJSON(resourceURL(model, { name, ns, path, queryParams: q(queryParams) }));

export const k8sCreate: SDK['k8sCreate'] = ({ model, data, path, queryParams }) =>
  requestJSON(
    resourceURL(model, { ns: data.metadata?.namespace, path, queryParams: q(queryParams) }),
    'POST',
    data,
  );

export const k8sUpdate: SDK['k8sUpdate'] = ({ model, data, ns, name, path, queryParams }) =>
  requestJSON(
    resourceURL(model, {
      ns: ns ?? data.metadata?.namespace,
      name: name ?? data.metadata?.name,
      path,
      queryParams: q(queryParams),
    }),
    'PUT',
    data,
  );

/** The URL of an object the caller already holds (patch and delete name it by its metadata). */
const objectURL = (
  model: Real.K8sModel,
  resource: Real.K8sResourceCommon,
  path: string | undefined,
  queryParams: unknown,
) =>
  resourceURL(model, {
    ns: resource.metadata?.namespace,
    name: resource.metadata?.name,
    path,
    queryParams: q(queryParams),
  });

export const k8sPatch: SDK['k8sPatch'] = ({ model, resource, data, path, queryParams }) =>
  requestJSON(objectURL(model, resource, path, queryParams), 'PATCH', data);

export const k8sDelete: SDK['k8sDelete'] = ({ model, resource, path, queryParams, json }) =>
  requestJSON(
    objectURL(model, resource, path, queryParams),
    'DELETE',
    json ?? {
      kind: 'DeleteOptions',
      apiVersion: 'v1',
      propagationPolicy: model.propagationPolicy ?? 'Background',
    },
  );

export const k8sListItems: SDK['k8sListItems'] = async ({ model, queryParams }) => {
  const { ns, ...rest } = q(queryParams);
  const list = await requestJSON<{ items: Real.K8sResourceCommon[] }>(
    resourceURL(model, { ns, queryParams: rest }),
  );
  return list.items as never;
};
