import type { JSONSchemaProps } from '../schema';
import { conditions, kindSchema, open, podSpec, type Builtin } from './builtins';

/*
 * The built-in kinds a chart or an OLM install strategy creates on a hub: Deployments, Services, RBAC and
 * ValidatingWebhookConfigurations. Schemas are hand-written like builtins.ts's (the fields kmm-hub's charts and
 * kubectl's server-side apply need, with kube's list types and defaults); what they do not model is preserved
 * and unvalidated. A function, not a constant: builtins.ts imports this module and this module its helpers.
 */

const str: JSONSchemaProps = { type: 'string' };
const int: JSONSchemaProps = { type: 'integer' };
const strings: JSONSchemaProps = { type: 'array', items: str };
const stringMap: JSONSchemaProps = { type: 'object', additionalProperties: str };

const labelSelector: JSONSchemaProps = {
  type: 'object',
  'x-kubernetes-map-type': 'atomic',
  properties: {
    matchLabels: stringMap,
    matchExpressions: {
      type: 'array',
      items: {
        type: 'object',
        required: ['key', 'operator'],
        properties: { key: str, operator: str, values: strings },
      },
    },
  },
};

const policyRule: JSONSchemaProps = {
  type: 'array',
  'x-kubernetes-list-type': 'atomic',
  items: {
    type: 'object',
    required: ['verbs'],
    properties: {
      apiGroups: strings,
      resources: strings,
      resourceNames: strings,
      nonResourceURLs: strings,
      verbs: strings,
    },
  },
};

const roleRef: JSONSchemaProps = {
  type: 'object',
  'x-kubernetes-map-type': 'atomic',
  required: ['apiGroup', 'kind', 'name'],
  properties: { apiGroup: str, kind: str, name: str },
};

const subjects: JSONSchemaProps = {
  type: 'array',
  'x-kubernetes-list-type': 'atomic',
  items: {
    type: 'object',
    'x-kubernetes-map-type': 'atomic',
    required: ['kind', 'name'],
    properties: { kind: str, apiGroup: str, name: str, namespace: str },
  },
};

const webhookClientConfig: JSONSchemaProps = {
  type: 'object',
  properties: {
    url: str,
    caBundle: { type: 'string', format: 'byte' },
    service: {
      type: 'object',
      required: ['namespace', 'name'],
      properties: { namespace: str, name: str, path: str, port: { ...int, default: 443 } },
    },
  },
};

const validatingWebhook: JSONSchemaProps = {
  type: 'object',
  required: ['name', 'clientConfig', 'sideEffects', 'admissionReviewVersions'],
  properties: {
    name: str,
    clientConfig: webhookClientConfig,
    rules: {
      type: 'array',
      'x-kubernetes-list-type': 'atomic',
      items: {
        type: 'object',
        properties: {
          apiGroups: strings,
          apiVersions: strings,
          operations: strings,
          resources: strings,
          scope: { type: 'string', default: '*' },
        },
      },
    },
    failurePolicy: { type: 'string', enum: ['Ignore', 'Fail'], default: 'Fail' },
    matchPolicy: { type: 'string', enum: ['Exact', 'Equivalent'], default: 'Equivalent' },
    namespaceSelector: { ...labelSelector, default: {} },
    objectSelector: { ...labelSelector, default: {} },
    sideEffects: str,
    timeoutSeconds: { ...int, default: 10 },
    admissionReviewVersions: { ...strings, 'x-kubernetes-list-type': 'atomic' },
    matchConditions: {
      type: 'array',
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['name'],
      items: {
        type: 'object',
        required: ['name', 'expression'],
        properties: { name: str, expression: str },
      },
    },
  },
};

const age = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' };

export function installBuiltins(): Builtin[] {
  return [
    {
      group: 'apps',
      version: 'v1',
      kind: 'Deployment',
      plural: 'deployments',
      namespaced: true,
      shortNames: ['deploy'],
      categories: ['all'],
      statusSubresource: true,
      hasGeneration: true,
      printerColumns: [
        { name: 'Ready', type: 'integer', jsonPath: '.status.readyReplicas' },
        { name: 'Desired', type: 'integer', jsonPath: '.spec.replicas' },
        age,
      ],
      schema: kindSchema(
        'Deployment enables declarative updates for Pods (no controller runs it here).',
        {
          spec: {
            type: 'object',
            required: ['selector', 'template'],
            properties: {
              replicas: { ...int, default: 1 },
              selector: labelSelector,
              template: {
                type: 'object',
                properties: { metadata: open('ObjectMeta of the pods.'), spec: podSpec },
              },
              strategy: open('DeploymentStrategy.'),
              minReadySeconds: int,
              revisionHistoryLimit: { ...int, default: 10 },
              progressDeadlineSeconds: { ...int, default: 600 },
              paused: { type: 'boolean' },
            },
          },
          status: { ...open('DeploymentStatus.'), properties: { conditions } },
        },
      ),
    },
    {
      group: '',
      version: 'v1',
      kind: 'Service',
      plural: 'services',
      namespaced: true,
      shortNames: ['svc'],
      categories: ['all'],
      statusSubresource: true,
      printerColumns: [
        { name: 'Type', type: 'string', jsonPath: '.spec.type' },
        { name: 'Cluster-IP', type: 'string', jsonPath: '.spec.clusterIP' },
        age,
      ],
      schema: kindSchema('Service is a named abstraction of a set of pods (no proxy here).', {
        spec: {
          type: 'object',
          'x-kubernetes-preserve-unknown-fields': true,
          properties: {
            type: {
              type: 'string',
              enum: ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'],
              default: 'ClusterIP',
            },
            selector: { ...stringMap, 'x-kubernetes-map-type': 'atomic' },
            clusterIP: str,
            ports: {
              type: 'array',
              'x-kubernetes-list-type': 'map',
              'x-kubernetes-list-map-keys': ['port', 'protocol'],
              items: {
                type: 'object',
                required: ['port'],
                properties: {
                  name: str,
                  port: int,
                  targetPort: { 'x-kubernetes-int-or-string': true },
                  protocol: { type: 'string', enum: ['TCP', 'UDP', 'SCTP'], default: 'TCP' },
                  appProtocol: str,
                  nodePort: int,
                },
              },
            },
          },
        },
        status: open('ServiceStatus.'),
      }),
    },
    ...(['Role', 'ClusterRole'] as const).map((kind): Builtin => ({
      group: 'rbac.authorization.k8s.io',
      version: 'v1',
      kind,
      plural: `${kind.toLowerCase()}s`,
      namespaced: kind === 'Role',
      printerColumns: [
        { name: 'Created At', type: 'date', jsonPath: '.metadata.creationTimestamp' },
      ],
      schema: kindSchema(`${kind} is a set of PolicyRules.`, {
        rules: policyRule,
        ...(kind === 'ClusterRole' ? { aggregationRule: open('AggregationRule.') } : {}),
      }),
    })),
    ...(['RoleBinding', 'ClusterRoleBinding'] as const).map((kind): Builtin => ({
      group: 'rbac.authorization.k8s.io',
      version: 'v1',
      kind,
      plural: `${kind.toLowerCase()}s`,
      namespaced: kind === 'RoleBinding',
      printerColumns: [
        { name: 'Role', type: 'string', jsonPath: '.roleRef.name' },
        { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
      ],
      schema: {
        ...kindSchema(`${kind} grants the permissions of a role to subjects.`, {
          subjects,
          roleRef,
        }),
        required: ['roleRef'],
      },
    })),
    {
      group: 'admissionregistration.k8s.io',
      version: 'v1',
      kind: 'ValidatingWebhookConfiguration',
      plural: 'validatingwebhookconfigurations',
      namespaced: false,
      categories: ['api-extensions'],
      printerColumns: [
        { name: 'Webhooks', type: 'integer', jsonPath: '.webhooks', count: true },
        age,
      ],
      schema: kindSchema(
        'ValidatingWebhookConfiguration: admission webhooks the API server calls.',
        {
          webhooks: {
            type: 'array',
            'x-kubernetes-list-type': 'map',
            'x-kubernetes-list-map-keys': ['name'],
            'x-kubernetes-patch-merge-key': 'name',
            'x-kubernetes-patch-strategy': 'merge',
            items: validatingWebhook,
          },
        },
      ),
    },
  ];
}
