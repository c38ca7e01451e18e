import { CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { apiFailure } from '../kube/api-errors';
import { kubeListWatch } from '../kube/list-watch';
import {
  MANAGED_CLUSTER_RESOURCE,
  MANIFEST_WORK_RESOURCE,
  MCM_RESOURCE,
  type ResourceRef,
} from '../kube/resources';
import { MCM_NAME_LABEL } from '../model/constants';
import type { DefaultingSchema } from '../model/schema-defaults';
import type { ManagedCluster, ManagedClusterModule, ManifestWork } from '../model/types';

/** The hub could not be read: unreachable, credentials refused, a permission missing, an API not served. */
export class HubError extends Error {}

/** What the preview reads of the hub for one MCM. */
export interface HubMcm {
  live?: ManagedClusterModule;
  works: ManifestWork[];
}

const PAGE = 500;

const CRD_RESOURCE: ResourceRef = {
  group: 'apiextensions.k8s.io',
  version: 'v1',
  plural: 'customresourcedefinitions',
  namespaced: false,
};

/** Read-only access to a hub: the fleet, and an MCM with its ManifestWorks (by kmm-hub's label). */
export class HubReader {
  private readonly api: CustomObjectsApi;
  private readonly server: string;

  constructor(private readonly kubeConfig: KubeConfig) {
    this.api = kubeConfig.makeApiClient(CustomObjectsApi);
    this.server = kubeConfig.getCurrentCluster()?.server ?? '(no server)';
  }

  /**
   * The served MCM version's schema, whose defaults the API server gives every MCM it stores: the edited file
   * gets them too before it is compared.
   */
  async mcmSchema(): Promise<DefaultingSchema | undefined> {
    const { group, version, plural } = MCM_RESOURCE;
    try {
      // read as plain JSON: client-node's typed CRD model renames `default` to `_default`
      const crd = (await this.api.getClusterCustomObject({
        group: CRD_RESOURCE.group,
        version: CRD_RESOURCE.version,
        plural: CRD_RESOURCE.plural,
        name: `${plural}.${group}`,
      })) as {
        spec?: { versions?: { name: string; schema?: { openAPIV3Schema?: DefaultingSchema } }[] };
      };
      return crd.spec?.versions?.find((v) => v.name === version)?.schema?.openAPIV3Schema;
    } catch (error) {
      throw this.failure(error, 'get', CRD_RESOURCE);
    }
  }

  clusters(): Promise<ManagedCluster[]> {
    return this.list<ManagedCluster>(MANAGED_CLUSTER_RESOURCE);
  }

  async mcm(name: string): Promise<HubMcm> {
    const [live, works] = await Promise.all([
      this.get(name),
      this.list<ManifestWork>(MANIFEST_WORK_RESOURCE, `${MCM_NAME_LABEL}=${name}`),
    ]);
    return { live, works };
  }

  private async get(name: string): Promise<ManagedClusterModule | undefined> {
    const { group, version, plural } = MCM_RESOURCE;
    try {
      return (await this.api.getClusterCustomObject({
        group,
        version,
        plural,
        name,
      })) as ManagedClusterModule;
    } catch (error) {
      const f = apiFailure(error);
      // 404 with reason NotFound: no such MCM (a new one); a 404 without a Status is an API not served
      if (
        f.code === 404 &&
        f.reason === 'NotFound' &&
        !/the server could not find/i.test(f.message)
      )
        return undefined;
      throw this.failure(error, 'get', MCM_RESOURCE);
    }
  }

  private async list<T>(resource: ResourceRef, labelSelector?: string): Promise<T[]> {
    const client = kubeListWatch(this.kubeConfig, resource);
    const out: T[] = [];
    let token: string | undefined;
    do {
      let page;
      try {
        page = await client.list({ labelSelector, limit: PAGE, continue: token });
      } catch (error) {
        throw this.failure(error, 'list', resource);
      }
      out.push(...((page.items ?? []) as T[]));
      token = page.metadata?.continue || undefined;
    } while (token);
    return out;
  }

  /** The one-line reason, naming the verb and resource and what to do. */
  private failure(error: unknown, verb: string, r: ResourceRef): HubError {
    const f = apiFailure(error);
    const what = `${verb} ${r.plural}.${r.group}${r.namespaced ? ' (all namespaces)' : ''}`;
    if (f.code === 0)
      return new HubError(
        `cannot reach the hub at ${this.server} (${what}): ${f.message}; check the kubeconfig's server and that the hub is up`,
      );
    if (f.code === 401)
      return new HubError(
        `the hub at ${this.server} refused the kubeconfig's credentials (401 Unauthorized, on ${what}): log in again or fix the kubeconfig's user`,
      );
    if (f.code === 403)
      return new HubError(
        `not allowed to ${what} (403 Forbidden: ${f.message}); plan --diff needs get on managedclustermodules ` +
          'and on their customresourcedefinition, list on managedclusters and list on manifestworks in all namespaces (see the README for a ClusterRole)',
      );
    if (f.code === 404)
      return new HubError(
        `the hub at ${this.server} does not serve ${r.plural}.${r.group}/${r.version} (${what}: 404): ` +
          'is this an OCM hub with kmm-hub installed?',
      );
    return new HubError(
      `${what} on the hub at ${this.server} failed (HTTP ${f.code}): ${f.message}`,
    );
  }
}
