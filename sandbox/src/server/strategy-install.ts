import { jsonEqual } from 'kmm-hub-controller/model';
import type { FieldError } from '../schema';
import * as fe from '../schema/field-errors';
import type { KubeObject, ResourceType } from './types';

/*
 * kube-apiserver's validation of the install kinds (builtins-install.ts) beyond their schemas: the rules a
 * wrong chart would hit (k8s.io/kubernetes pkg/apis/{apps,rbac,admissionregistration}/validation).
 */

type Rule = { apiGroups?: string[]; resources?: string[]; nonResourceURLs?: string[] };
type LabelSelector = { matchLabels?: Record<string, string>; matchExpressions?: unknown[] };

function deploymentErrors(object: KubeObject): FieldError[] {
  const spec = (object.spec ?? {}) as {
    selector?: LabelSelector;
    template?: { metadata?: { labels?: Record<string, string> } };
  };
  const selector = spec.selector ?? {};
  const matchLabels = Object.entries(selector.matchLabels ?? {});
  if (matchLabels.length === 0 && (selector.matchExpressions ?? []).length === 0) {
    return [fe.invalid('spec.selector', selector, 'empty selector is invalid for deployment')];
  }
  const labels = spec.template?.metadata?.labels ?? {};
  // matchExpressions are not evaluated here (see sandbox/README.md); matchLabels are, as kube does.
  if (matchLabels.some(([k, v]) => labels[k] !== v)) {
    return [
      fe.invalid(
        'spec.template.metadata.labels',
        labels,
        '`selector` does not match template `labels`',
      ),
    ];
  }
  return [];
}

function ruleErrors(kind: string, rules: Rule[]): FieldError[] {
  const errors: FieldError[] = [];
  rules.forEach((rule, i) => {
    const path = fe.index('rules', i);
    if ((rule.nonResourceURLs ?? []).length > 0) {
      if (kind === 'Role') {
        errors.push(
          fe.invalid(
            fe.child(path, 'nonResourceURLs'),
            rule.nonResourceURLs,
            'namespaced rules cannot apply to non-resource URLs',
          ),
        );
      }
      if ((rule.apiGroups ?? []).length > 0 || (rule.resources ?? []).length > 0) {
        errors.push(
          fe.invalid(
            fe.child(path, 'nonResourceURLs'),
            rule.nonResourceURLs,
            'rules cannot apply to both regular resources and non-resource URLs',
          ),
        );
      }
    } else if ((rule.apiGroups ?? []).length === 0) {
      errors.push(
        fe.required(
          fe.child(path, 'apiGroups'),
          'resource rules must supply at least one api group',
        ),
      );
    } else if ((rule.resources ?? []).length === 0) {
      errors.push(
        fe.required(
          fe.child(path, 'resources'),
          'resource rules must supply at least one resource',
        ),
      );
    }
  });
  return errors;
}

function bindingErrors(
  kind: string,
  previous: KubeObject | undefined,
  object: KubeObject,
): FieldError[] {
  const ref = (object.roleRef ?? {}) as { apiGroup?: string; kind?: string };
  const allowed = kind === 'RoleBinding' ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  const errors: FieldError[] = [];
  if (!allowed.includes(ref.kind ?? ''))
    errors.push(fe.notSupported('roleRef.kind', ref.kind, allowed));
  if (ref.apiGroup !== 'rbac.authorization.k8s.io') {
    errors.push(fe.notSupported('roleRef.apiGroup', ref.apiGroup, ['rbac.authorization.k8s.io']));
  }
  if (previous && !jsonEqual(previous.roleRef, object.roleRef)) {
    errors.push(fe.invalid('roleRef', object.roleRef, 'cannot change roleRef'));
  }
  return errors;
}

interface Webhook {
  name?: string;
  clientConfig?: { url?: string; service?: unknown };
  sideEffects?: string;
  timeoutSeconds?: number;
  admissionReviewVersions?: string[];
}

function webhookErrors(webhooks: Webhook[]): FieldError[] {
  const errors: FieldError[] = [];
  webhooks.forEach((w, i) => {
    const path = fe.index('webhooks', i);
    if ((w.name ?? '').split('.').length < 3) {
      errors.push(
        fe.invalid(
          fe.child(path, 'name'),
          w.name,
          'should be a domain with at least three segments separated by dots',
        ),
      );
    }
    const config = w.clientConfig ?? {};
    if ((config.url === undefined) === (config.service === undefined)) {
      errors.push(
        fe.required(fe.child(path, 'clientConfig'), 'exactly one of url or service is required'),
      );
    }
    if (!['None', 'NoneOnDryRun'].includes(w.sideEffects ?? '')) {
      errors.push(
        fe.notSupported(fe.child(path, 'sideEffects'), w.sideEffects, ['None', 'NoneOnDryRun']),
      );
    }
    const timeout = w.timeoutSeconds ?? 10;
    if (timeout < 1 || timeout > 30) {
      errors.push(
        fe.invalid(
          fe.child(path, 'timeoutSeconds'),
          timeout,
          'the timeout value must be between 1 and 30 seconds',
        ),
      );
    }
    if (!(w.admissionReviewVersions ?? []).some((v) => v === 'v1' || v === 'v1beta1')) {
      errors.push(
        fe.required(
          fe.child(path, 'admissionReviewVersions'),
          'must include at least one of v1, v1beta1',
        ),
      );
    }
  });
  return errors;
}

export function validateInstallKind(
  type: ResourceType,
  previous: KubeObject | undefined,
  object: KubeObject,
): FieldError[] {
  if (!type.builtin) return [];
  switch (`${type.group}/${type.kind}`) {
    case 'apps/Deployment':
      return deploymentErrors(object);
    case 'rbac.authorization.k8s.io/Role':
    case 'rbac.authorization.k8s.io/ClusterRole':
      return ruleErrors(type.kind, (object.rules as Rule[] | undefined) ?? []);
    case 'rbac.authorization.k8s.io/RoleBinding':
    case 'rbac.authorization.k8s.io/ClusterRoleBinding':
      return bindingErrors(type.kind, previous, object);
    case 'admissionregistration.k8s.io/ValidatingWebhookConfiguration':
      return webhookErrors((object.webhooks as Webhook[] | undefined) ?? []);
    default:
      return [];
  }
}
