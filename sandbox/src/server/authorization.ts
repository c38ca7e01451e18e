import { ApiError } from './errors';
import type { ResourceRequest } from './request';
import type { Store } from './store';
import type { KubeObject } from './types';

/*
 * Bearer tokens and RBAC as kube-apiserver evaluates them (k8s.io/kubernetes plugin/pkg/auth/authorizer/rbac):
 * a request is allowed when some ClusterRoleBinding, or some RoleBinding in the request's namespace, names the
 * user (or one of its groups, or its ServiceAccount) and grants a rule covering the verb, API group, resource
 * (`plural/subresource` for a subresource) and name. `system:masters` may do anything: the sandbox's own
 * token is in it, so suites that use that token see no authorization at all.
 */

export interface UserInfo {
  username: string;
  groups: string[];
}

export const ADMIN: UserInfo = {
  username: 'sandbox-admin',
  groups: ['system:masters', 'system:authenticated'],
};

export function serviceAccountUser(namespace: string, name: string): UserInfo {
  return {
    username: `system:serviceaccount:${namespace}:${name}`,
    groups: [
      'system:serviceaccounts',
      `system:serviceaccounts:${namespace}`,
      'system:authenticated',
    ],
  };
}

interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
  verbs?: string[];
}

interface Subject {
  kind?: string;
  name?: string;
  namespace?: string;
}

export type Attributes =
  | {
      verb: string;
      group: string;
      resource: string;
      subresource?: string;
      namespace?: string;
      name?: string;
    }
  | { verb: string; path: string };

/** A refused request, kept for tests: "which call did the controller make that its RBAC does not allow". */
export interface Denial {
  user: string;
  attributes: Attributes;
}

const has = (list: string[] | undefined, value: string) =>
  (list ?? []).some((v) => v === '*' || v === value);

function ruleAllows(rule: PolicyRule, a: Attributes): boolean {
  if (!has(rule.verbs, a.verb)) return false;
  if ('path' in a) {
    return (rule.nonResourceURLs ?? []).some(
      (u) => u === '*' || u === a.path || (u.endsWith('*') && a.path.startsWith(u.slice(0, -1))),
    );
  }
  if (!has(rule.apiGroups, a.group)) return false;
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const resources = rule.resources ?? [];
  const resourceOk = resources.some(
    (r) =>
      r === '*' || r === resource || (a.subresource !== undefined && r === `*/${a.subresource}`),
  );
  if (!resourceOk) return false;
  const names = rule.resourceNames ?? [];
  return names.length === 0 || (a.name !== undefined && names.includes(a.name));
}

function subjectMatches(subject: Subject, user: UserInfo): boolean {
  switch (subject.kind) {
    case 'User':
      return subject.name === user.username;
    case 'Group':
      return subject.name !== undefined && user.groups.includes(subject.name);
    case 'ServiceAccount':
      return (
        user.username === `system:serviceaccount:${subject.namespace ?? ''}:${subject.name ?? ''}`
      );
    default:
      return false;
  }
}

export class Authorizer {
  readonly denials: Denial[] = [];

  constructor(private readonly store: Store) {}

  private rulesOf(
    ref: { kind?: string; name?: string },
    namespace: string | undefined,
  ): PolicyRule[] {
    const role =
      ref.kind === 'ClusterRole'
        ? this.store.get('rbac.authorization.k8s.io/clusterroles', `/${ref.name ?? ''}`)
        : this.store.get('rbac.authorization.k8s.io/roles', `${namespace ?? ''}/${ref.name ?? ''}`);
    return (role?.rules as PolicyRule[] | undefined) ?? [];
  }

  allowed(user: UserInfo, a: Attributes): boolean {
    if (user.groups.includes('system:masters')) return true;
    // kube's default ClusterRole system:basic-user, bound to every authenticated user
    if (
      !('path' in a) &&
      a.group === 'authorization.k8s.io' &&
      a.resource === 'selfsubjectaccessreviews'
    ) {
      return a.verb === 'create';
    }
    const grants = (binding: KubeObject, namespace: string | undefined) =>
      ((binding.subjects as Subject[] | undefined) ?? []).some((s) => subjectMatches(s, user)) &&
      this.rulesOf(binding.roleRef as { kind?: string; name?: string }, namespace).some((r) =>
        ruleAllows(r, a),
      );
    for (const [, binding] of this.store.list(
      'rbac.authorization.k8s.io/clusterrolebindings',
      {},
    )) {
      if (grants(binding, undefined)) return true;
    }
    const namespace = 'path' in a ? undefined : a.namespace;
    if (namespace !== undefined) {
      for (const [, binding] of this.store.list('rbac.authorization.k8s.io/rolebindings', {
        namespace,
      })) {
        if (grants(binding, namespace)) return true;
      }
    }
    return false;
  }

  /** Throws kube-apiserver's 403 unless allowed. */
  authorize(user: UserInfo, a: Attributes): void {
    if (this.allowed(user, a)) return;
    this.denials.push({ user: user.username, attributes: a });
    throw forbidden(user, a);
  }
}

export function attributesOf(r: ResourceRequest): Attributes {
  return {
    verb: r.verb,
    group: r.type.group,
    resource: r.type.plural,
    ...(r.subresource ? { subresource: r.subresource } : {}),
    ...(r.type.namespaced && r.namespace !== undefined ? { namespace: r.namespace } : {}),
    ...(r.name !== undefined ? { name: r.name } : {}),
  };
}

function forbidden(user: UserInfo, a: Attributes): ApiError {
  if ('path' in a) {
    return new ApiError(
      403,
      'Forbidden',
      `forbidden: User "${user.username}" cannot ${a.verb} path "${a.path}"`,
    );
  }
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const what = a.group ? `${a.resource}.${a.group}` : a.resource;
  const subject = a.name ? `${what} "${a.name}"` : what;
  const scope =
    a.namespace !== undefined ? `in the namespace "${a.namespace}"` : 'at the cluster scope';
  return new ApiError(
    403,
    'Forbidden',
    `${subject} is forbidden: User "${user.username}" cannot ${a.verb} resource "${resource}" in API group "${a.group}" ${scope}`,
    { ...(a.name ? { name: a.name } : {}), group: a.group, kind: a.resource },
  );
}

/** A SelfSubjectAccessReview answered for the user who sends it. */
export function selfSubjectAccessReview(authorizer: Authorizer, user: UserInfo, body: unknown) {
  const spec = ((body as { spec?: Record<string, unknown> } | null)?.spec ?? {}) as {
    resourceAttributes?: Record<string, string | undefined>;
    nonResourceAttributes?: { path?: string; verb?: string };
  };
  let allowed = false;
  if (spec.resourceAttributes) {
    const r = spec.resourceAttributes;
    allowed = authorizer.allowed(user, {
      verb: r.verb ?? '',
      group: r.group ?? '',
      resource: r.resource ?? '',
      ...(r.subresource ? { subresource: r.subresource } : {}),
      ...(r.namespace ? { namespace: r.namespace } : {}),
      ...(r.name ? { name: r.name } : {}),
    });
  } else if (spec.nonResourceAttributes) {
    allowed = authorizer.allowed(user, {
      verb: spec.nonResourceAttributes.verb ?? '',
      path: spec.nonResourceAttributes.path ?? '',
    });
  }
  return {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SelfSubjectAccessReview',
    metadata: { creationTimestamp: null },
    spec,
    status: allowed
      ? {
          allowed: true,
          reason: user.groups.includes('system:masters') ? 'system:masters' : 'allowed by RBAC',
        }
      : { allowed: false },
  };
}
