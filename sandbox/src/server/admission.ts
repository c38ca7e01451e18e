import { randomUUID } from 'node:crypto';
import { request as httpsRequest } from 'node:https';
import { checkServerIdentity } from 'node:tls';
import type { UserInfo } from './authorization';
import { ApiError } from './errors';
import type { ResourceRequest } from './request';
import type { Store } from './store';
import { objectKey } from './store';
import type { KubeObject } from './types';

/*
 * Validating admission webhooks, called as kube-apiserver calls them (k8s.io/apiserver
 * pkg/admission/plugin/webhook): every ValidatingWebhookConfiguration whose rules match the request gets an
 * AdmissionReview v1 over HTTPS, verified against its caBundle, within its timeoutSeconds, in parallel; the
 * first refusal is the request's error (`admission webhook "<name>" denied the request: <message>`), and a
 * webhook that cannot be called fails the request or is ignored by its failurePolicy.
 */

export type Operation = 'CREATE' | 'UPDATE';

interface Rule {
  apiGroups?: string[];
  apiVersions?: string[];
  operations?: string[];
  resources?: string[];
  scope?: string;
}

interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

interface Webhook {
  name: string;
  clientConfig: {
    url?: string;
    caBundle?: string;
    service?: { namespace: string; name: string; path?: string; port?: number };
  };
  rules?: Rule[];
  failurePolicy?: 'Fail' | 'Ignore';
  matchPolicy?: 'Exact' | 'Equivalent';
  namespaceSelector?: LabelSelector;
  objectSelector?: LabelSelector;
  timeoutSeconds?: number;
}

/** Where a Service's port is reached from the sandbox (no cluster network here): `host:port` of a test server. */
export type ServiceRoutes = Map<string, { host: string; port: number }>;
export const serviceRouteKey = (namespace: string, name: string, port: number) =>
  `${namespace}/${name}:${port}`;

const VWC_RESOURCE = 'admissionregistration.k8s.io/validatingwebhookconfigurations';

const matchesAny = (list: string[] | undefined, value: string) =>
  (list ?? []).some((v) => v === '*' || v === value);

// resources: plural, plural/sub, a star, star/sub, plural/star, star/star (kube's rule matching)
function resourceMatches(list: string[] | undefined, plural: string, sub: string | undefined) {
  const want = sub ? `${plural}/${sub}` : plural;
  return (list ?? []).some((r) => {
    if (r === want || r === '*/*') return true;
    if (!sub) return r === '*';
    return r === `*/${sub}` || r === `${plural}/*`;
  });
}

export function selectorMatches(
  selector: LabelSelector | undefined,
  labels: Record<string, string>,
) {
  if (!selector) return true;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {}))
    if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, e.key);
    const value = labels[e.key];
    const ok =
      e.operator === 'In'
        ? has && (e.values ?? []).includes(value!)
        : e.operator === 'NotIn'
          ? !has || !(e.values ?? []).includes(value!)
          : e.operator === 'Exists'
            ? has
            : e.operator === 'DoesNotExist'
              ? !has
              : false;
    if (!ok) return false;
  }
  return true;
}

export class Admission {
  readonly serviceRoutes: ServiceRoutes = new Map();

  constructor(private readonly store: Store) {}

  private webhooksFor(
    r: ResourceRequest,
    operation: Operation,
    object: KubeObject,
    old?: KubeObject,
  ) {
    const configurations = this.store.list(VWC_RESOURCE, {});
    const out: Webhook[] = [];
    for (const [, configuration] of configurations) {
      for (const w of (configuration.webhooks as Webhook[] | undefined) ?? []) {
        const ruleHit = (w.rules ?? []).some(
          (rule) =>
            matchesAny(rule.operations, operation) &&
            matchesAny(rule.apiGroups, r.type.group) &&
            (matchesAny(rule.apiVersions, r.version) || w.matchPolicy !== 'Exact') &&
            resourceMatches(rule.resources, r.type.plural, r.subresource) &&
            (rule.scope === undefined ||
              rule.scope === '*' ||
              rule.scope === (r.type.namespaced ? 'Namespaced' : 'Cluster')),
        );
        if (!ruleHit) continue;
        // a cluster-scoped object other than a Namespace is never skipped by a namespaceSelector
        const namespace = r.type.namespaced ? r.namespace : undefined;
        if (namespace !== undefined) {
          const ns = this.store.get('/namespaces', objectKey(undefined, namespace));
          if (!selectorMatches(w.namespaceSelector, ns?.metadata.labels ?? {})) continue;
        }
        const labelsMatch = (o: KubeObject | undefined) =>
          o !== undefined && selectorMatches(w.objectSelector, o.metadata.labels ?? {});
        if (!labelsMatch(object) && !labelsMatch(old)) continue;
        out.push(w);
      }
    }
    return out;
  }

  /** Whether any webhook could apply to this resource at all: requests without one skip the dry run. */
  watches(r: ResourceRequest): boolean {
    if (this.store.count(VWC_RESOURCE) === 0) return false;
    return this.store
      .list(VWC_RESOURCE, {})
      .some(([, c]) =>
        ((c.webhooks as Webhook[] | undefined) ?? []).some((w) =>
          (w.rules ?? []).some((rule) => matchesAny(rule.apiGroups, r.type.group)),
        ),
      );
  }

  /** Calls the matching webhooks; throws the first refusal or call failure (failurePolicy Fail). */
  async review(
    r: ResourceRequest,
    operation: Operation,
    object: KubeObject,
    old: KubeObject | undefined,
    dryRun: boolean,
    user: UserInfo,
  ): Promise<void> {
    const webhooks = this.webhooksFor(r, operation, object, old);
    const review = {
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      request: {
        uid: '',
        kind: { group: r.type.group, version: r.version, kind: r.type.kind },
        resource: { group: r.type.group, version: r.version, resource: r.type.plural },
        ...(r.subresource ? { subResource: r.subresource } : {}),
        requestKind: { group: r.type.group, version: r.version, kind: r.type.kind },
        requestResource: { group: r.type.group, version: r.version, resource: r.type.plural },
        name: object.metadata.name,
        ...(r.type.namespaced ? { namespace: object.metadata.namespace } : {}),
        operation,
        userInfo: { username: user.username, groups: user.groups },
        object,
        oldObject: old ?? null,
        dryRun,
        options: {
          apiVersion: 'meta.k8s.io/v1',
          kind: operation === 'CREATE' ? 'CreateOptions' : 'UpdateOptions',
        },
      },
    };
    const outcomes = await Promise.all(webhooks.map((w) => this.call(w, review)));
    const refusal = outcomes.find((o) => o !== undefined);
    if (refusal) throw refusal;
  }

  private async call(
    w: Webhook,
    base: { request: { uid: string } },
  ): Promise<ApiError | undefined> {
    const uid = randomUUID();
    const review = { ...base, request: { ...base.request, uid } };
    const timeout = w.timeoutSeconds ?? 10;
    let target: { url: URL; href: string; connect: { host: string; port: number } };
    try {
      target = this.target(w, timeout);
    } catch (error) {
      return this.failure(w, (error as Error).message);
    }
    let answer: unknown;
    try {
      answer = await post(target, JSON.stringify(review), w.clientConfig.caBundle, timeout * 1000);
    } catch (error) {
      return this.failure(
        w,
        `failed to call webhook: Post "${target.href}": ${(error as Error).message}`,
      );
    }
    const response = (answer as { response?: Record<string, unknown> } | null)?.response;
    const a = answer as { apiVersion?: unknown; kind?: unknown } | null;
    if (!response || a?.apiVersion !== 'admission.k8s.io/v1' || a.kind !== 'AdmissionReview') {
      return this.failure(
        w,
        'received invalid webhook response: expected an AdmissionReview v1 with a response',
      );
    }
    if (response.uid !== uid) {
      return this.failure(
        w,
        `received invalid webhook response: expected response.uid="${uid}", got "${String(response.uid)}"`,
      );
    }
    if (response.allowed === true) return undefined;
    const status = (response.status ?? {}) as {
      code?: number;
      reason?: string;
      message?: string;
      details?: ConstructorParameters<typeof ApiError>[3];
    };
    const deniedBy = `admission webhook "${w.name}" denied the request`;
    const message = status.message
      ? `${deniedBy}: ${status.message}`
      : status.reason
        ? `${deniedBy}: ${status.reason}`
        : `${deniedBy} without explanation`;
    const code = status.code !== undefined && status.code >= 400 ? status.code : 400;
    return new ApiError(code, status.reason ?? '', message, status.details);
  }

  private failure(w: Webhook, why: string): ApiError | undefined {
    if (w.failurePolicy === 'Ignore') return undefined;
    return new ApiError(
      500,
      'InternalError',
      `Internal error occurred: failed calling webhook "${w.name}": ${why}`,
    );
  }

  private target(w: Webhook, timeoutSeconds: number) {
    const { url, service } = w.clientConfig;
    if (url) {
      const u = new URL(url);
      u.searchParams.set('timeout', `${timeoutSeconds}s`);
      return { url: u, href: u.href, connect: { host: u.hostname, port: Number(u.port || 443) } };
    }
    if (!service)
      throw new Error('the webhook has neither clientConfig.url nor clientConfig.service');
    const port = service.port ?? 443;
    const u = new URL(
      `https://${service.name}.${service.namespace}.svc:${port}${service.path ?? '/'}`,
    );
    u.searchParams.set('timeout', `${timeoutSeconds}s`);
    const route = this.serviceRoutes.get(serviceRouteKey(service.namespace, service.name, port));
    if (!route) {
      throw new Error(
        `failed to call webhook: Post "https://${service.name}.${service.namespace}.svc:${port}${u.pathname}${u.search}": service "${service.namespace}/${service.name}" has no endpoints in the sandbox (routeService it)`,
      );
    }
    // kube-apiserver joins host and port, so the port shows even when it is 443
    const href = `https://${service.name}.${service.namespace}.svc:${port}${u.pathname}${u.search}`;
    return { url: u, href, connect: route };
  }
}

/** POSTs the review; the certificate must chain to caBundle and name the URL's host (service DNS name). */
function post(
  target: { url: URL; connect: { host: string; port: number } },
  body: string,
  caBundle: string | undefined,
  timeoutMs: number,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      {
        host: target.connect.host,
        port: target.connect.port,
        servername: target.url.hostname,
        path: `${target.url.pathname}${target.url.search}`,
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        ...(caBundle ? { ca: Buffer.from(caBundle, 'base64').toString('utf8') } : {}),
        // verify against the URL's host name (what the certificate must name), not where the route connects
        checkServerIdentity: (_host, cert) => checkServerIdentity(target.url.hostname, cert),
        agent: false,
      },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => {
          if ((res.statusCode ?? 0) >= 300) {
            reject(new Error(`the server responded with ${res.statusCode}: ${text.trim()}`));
            return;
          }
          try {
            resolve(JSON.parse(text));
          } catch {
            reject(new Error('the response is not JSON'));
          }
        });
      },
    );
    const timer = setTimeout(() => req.destroy(new Error('context deadline exceeded')), timeoutMs);
    req.on('close', () => clearTimeout(timer));
    req.on('error', (e) => reject(e));
    req.end(body);
  });
}
