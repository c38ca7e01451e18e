import type { JSONSchemaProps } from '../schema';
import { installBuiltins } from './builtins-install';
import { ALL_VERBS, type PrinterColumn, type ResourceType } from './types';

/*
 * Hand-written, minimal but honest OpenAPI schemas of the built-in kinds the sandbox serves. No upstream
 * built-in OpenAPI is available here, so each schema spells out the fields that matter and marks what it
 * does not model with x-kubernetes-preserve-unknown-fields (never pruned, never validated).
 */

const str: JSONSchemaProps = { type: 'string' };
const int: JSONSchemaProps = { type: 'integer' };
const bool: JSONSchemaProps = { type: 'boolean' };
const time: JSONSchemaProps = { type: 'string', format: 'date-time' };
const stringMap: JSONSchemaProps = { type: 'object', additionalProperties: str };
export const open = (description: string): JSONSchemaProps => ({
  type: 'object',
  description,
  'x-kubernetes-preserve-unknown-fields': true,
});

const objectMeta: JSONSchemaProps = {
  type: 'object',
  description:
    "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
  properties: {
    name: { type: 'string', description: 'Name must be unique within a namespace.' },
    generateName: { type: 'string', description: 'Prefix for a server-generated unique name.' },
    namespace: { type: 'string', description: 'The namespace the object lives in.' },
    uid: str,
    resourceVersion: str,
    generation: int,
    creationTimestamp: time,
    deletionTimestamp: time,
    deletionGracePeriodSeconds: int,
    labels: { ...stringMap, description: 'Map of string keys and values for selecting objects.' },
    annotations: { ...stringMap, description: 'Unstructured key value map.' },
    finalizers: {
      type: 'array',
      items: str,
      'x-kubernetes-list-type': 'set',
      'x-kubernetes-patch-strategy': 'merge',
    },
    ownerReferences: {
      type: 'array',
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['uid'],
      'x-kubernetes-patch-merge-key': 'uid',
      'x-kubernetes-patch-strategy': 'merge',
      items: {
        type: 'object',
        required: ['apiVersion', 'kind', 'name', 'uid'],
        properties: {
          apiVersion: str,
          kind: str,
          name: str,
          uid: str,
          controller: bool,
          blockOwnerDeletion: bool,
        },
      },
    },
    managedFields: {
      type: 'array',
      items: open('A field set managed by one manager (server-side apply).'),
    },
  },
};

export const OBJECT_META_SCHEMA = objectMeta;

export function kindSchema(
  description: string,
  properties: Record<string, JSONSchemaProps>,
): JSONSchemaProps {
  return {
    type: 'object',
    description,
    properties: {
      apiVersion: { type: 'string', description: 'APIVersion defines the versioned schema.' },
      kind: {
        type: 'string',
        description: 'Kind is a string value representing the REST resource.',
      },
      metadata: objectMeta,
      ...properties,
    },
  };
}

const objectReference: JSONSchemaProps = {
  type: 'object',
  properties: {
    apiVersion: str,
    kind: str,
    name: str,
    namespace: str,
    uid: str,
    resourceVersion: str,
    fieldPath: str,
  },
};

export const conditions: JSONSchemaProps = {
  type: 'array',
  'x-kubernetes-list-type': 'map',
  'x-kubernetes-list-map-keys': ['type'],
  'x-kubernetes-patch-merge-key': 'type',
  'x-kubernetes-patch-strategy': 'merge',
  items: open('A condition.'),
};

export const namedList = (description: string): JSONSchemaProps => ({
  type: 'array',
  description,
  'x-kubernetes-list-type': 'map',
  'x-kubernetes-list-map-keys': ['name'],
  'x-kubernetes-patch-merge-key': 'name',
  'x-kubernetes-patch-strategy': 'merge',
  items: { ...open(description), required: ['name'] },
});

export const podSpec: JSONSchemaProps = {
  type: 'object',
  description: 'PodSpec (containers, volumes and the rest; only the lists are modelled).',
  'x-kubernetes-preserve-unknown-fields': true,
  required: ['containers'],
  properties: {
    containers: namedList('Containers of the pod.'),
    initContainers: namedList('Init containers of the pod.'),
    volumes: namedList('Volumes of the pod.'),
    imagePullSecrets: namedList('Image pull secrets.'),
    nodeName: str,
    restartPolicy: { type: 'string', enum: ['Always', 'OnFailure', 'Never'] },
    serviceAccountName: str,
  },
};

export interface Builtin {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  statusSubresource?: boolean;
  hasGeneration?: boolean;
  selectableFields?: string[];
  printerColumns?: PrinterColumn[];
  verbs?: string[];
  schema: JSONSchemaProps;
}

const builtins: Builtin[] = [
  {
    group: '',
    version: 'v1',
    kind: 'Namespace',
    plural: 'namespaces',
    namespaced: false,
    shortNames: ['ns'],
    statusSubresource: true,
    selectableFields: ['status.phase'],
    printerColumns: [
      { name: 'Status', type: 'string', jsonPath: '.status.phase' },
      { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
    ],
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    schema: kindSchema('Namespace provides a scope for Names.', {
      spec: {
        type: 'object',
        properties: {
          finalizers: { type: 'array', items: str, 'x-kubernetes-list-type': 'atomic' },
        },
      },
      status: {
        type: 'object',
        properties: {
          phase: { type: 'string', enum: ['Active', 'Terminating'] },
          conditions,
        },
      },
    }),
  },
  {
    group: '',
    version: 'v1',
    kind: 'ConfigMap',
    plural: 'configmaps',
    namespaced: true,
    shortNames: ['cm'],
    printerColumns: [
      { name: 'Data', type: 'integer', jsonPath: '.data', count: true },
      { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
    ],
    schema: kindSchema('ConfigMap holds configuration data for pods to consume.', {
      data: { ...stringMap, description: 'Data contains the configuration data.' },
      binaryData: {
        type: 'object',
        description: 'BinaryData contains the binary data.',
        additionalProperties: { type: 'string', format: 'byte' },
      },
      immutable: bool,
    }),
  },
  {
    group: '',
    version: 'v1',
    kind: 'Secret',
    plural: 'secrets',
    namespaced: true,
    selectableFields: ['type'],
    printerColumns: [
      { name: 'Type', type: 'string', jsonPath: '.type' },
      { name: 'Data', type: 'integer', jsonPath: '.data', count: true },
      { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
    ],
    schema: kindSchema('Secret holds secret data of a certain type.', {
      data: {
        type: 'object',
        description: 'Data contains the secret data, base64 encoded.',
        additionalProperties: { type: 'string', format: 'byte' },
      },
      stringData: { ...stringMap, description: 'Write-only convenience field, merged into data.' },
      type: {
        type: 'string',
        description: 'Used to facilitate programmatic handling of secret data.',
      },
      immutable: bool,
    }),
  },
  {
    group: '',
    version: 'v1',
    kind: 'ServiceAccount',
    plural: 'serviceaccounts',
    namespaced: true,
    shortNames: ['sa'],
    printerColumns: [
      { name: 'Secrets', type: 'integer', jsonPath: '.secrets', count: true },
      { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
    ],
    schema: kindSchema('ServiceAccount binds together a name, a principal and a set of secrets.', {
      secrets: {
        type: 'array',
        items: objectReference,
        'x-kubernetes-patch-merge-key': 'name',
        'x-kubernetes-patch-strategy': 'merge',
      },
      imagePullSecrets: {
        type: 'array',
        items: { type: 'object', properties: { name: str } },
      },
      automountServiceAccountToken: bool,
    }),
  },
  {
    group: '',
    version: 'v1',
    kind: 'Pod',
    plural: 'pods',
    namespaced: true,
    shortNames: ['po'],
    categories: ['all'],
    statusSubresource: true,
    selectableFields: ['spec.nodeName', 'spec.serviceAccountName', 'status.phase', 'status.podIP'],
    printerColumns: [
      { name: 'Status', type: 'string', jsonPath: '.status.phase' },
      { name: 'Node', type: 'string', jsonPath: '.spec.nodeName', priority: 1 },
      { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
    ],
    schema: kindSchema('Pod is a collection of containers (no kubelet runs them here).', {
      spec: podSpec,
      status: open('PodStatus.'),
    }),
  },
  {
    group: '',
    version: 'v1',
    kind: 'Event',
    plural: 'events',
    namespaced: true,
    shortNames: ['ev'],
    selectableFields: [
      'involvedObject.kind',
      'involvedObject.namespace',
      'involvedObject.name',
      'involvedObject.uid',
      'involvedObject.apiVersion',
      'reason',
      'reportingComponent',
      'source',
      'type',
    ],
    printerColumns: [
      { name: 'Type', type: 'string', jsonPath: '.type' },
      { name: 'Reason', type: 'string', jsonPath: '.reason' },
      { name: 'Object', type: 'string', jsonPath: '.involvedObject.name' },
      { name: 'Message', type: 'string', jsonPath: '.message' },
    ],
    schema: kindSchema('Event is a report of an event somewhere in the cluster.', {
      involvedObject: objectReference,
      reason: str,
      message: str,
      type: str,
      count: int,
      firstTimestamp: time,
      lastTimestamp: time,
      eventTime: { type: 'string', format: 'date-time', nullable: true },
      action: str,
      reportingComponent: str,
      reportingInstance: str,
      source: { type: 'object', properties: { component: str, host: str } },
      series: open('EventSeries.'),
      related: objectReference,
    }),
  },
  {
    group: 'events.k8s.io',
    version: 'v1',
    kind: 'Event',
    plural: 'events',
    namespaced: true,
    shortNames: ['ev'],
    printerColumns: [
      { name: 'Type', type: 'string', jsonPath: '.type' },
      { name: 'Reason', type: 'string', jsonPath: '.reason' },
      { name: 'Note', type: 'string', jsonPath: '.note' },
    ],
    schema: kindSchema('Event is a report of an event somewhere in the cluster.', {
      regarding: objectReference,
      related: objectReference,
      note: str,
      reason: str,
      type: str,
      action: str,
      eventTime: { type: 'string', format: 'date-time', nullable: true },
      series: open('EventSeries.'),
      reportingController: str,
      reportingInstance: str,
      deprecatedSource: { type: 'object', properties: { component: str, host: str } },
      deprecatedFirstTimestamp: time,
      deprecatedLastTimestamp: time,
      deprecatedCount: int,
    }),
  },
  {
    group: 'coordination.k8s.io',
    version: 'v1',
    kind: 'Lease',
    plural: 'leases',
    namespaced: true,
    printerColumns: [
      { name: 'Holder', type: 'string', jsonPath: '.spec.holderIdentity' },
      { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
    ],
    schema: kindSchema('Lease defines a lease concept.', {
      spec: {
        type: 'object',
        properties: {
          holderIdentity: str,
          leaseDurationSeconds: int,
          acquireTime: { type: 'string', format: 'date-time' },
          renewTime: { type: 'string', format: 'date-time' },
          leaseTransitions: int,
          strategy: str,
          preferredHolder: str,
        },
      },
    }),
  },
  {
    group: 'batch',
    version: 'v1',
    kind: 'Job',
    plural: 'jobs',
    namespaced: true,
    categories: ['all'],
    statusSubresource: true,
    hasGeneration: true,
    printerColumns: [
      { name: 'Status', type: 'string', jsonPath: '.status.conditions[0].type' },
      { name: 'Completions', type: 'integer', jsonPath: '.status.succeeded' },
      { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
    ],
    schema: kindSchema('Job represents the configuration of a single job (nothing runs it here).', {
      spec: {
        type: 'object',
        'x-kubernetes-preserve-unknown-fields': true,
        required: ['template'],
        properties: {
          template: {
            type: 'object',
            properties: { metadata: open('ObjectMeta of the pods.'), spec: podSpec },
          },
          backoffLimit: int,
          completions: int,
          parallelism: int,
          activeDeadlineSeconds: int,
          ttlSecondsAfterFinished: int,
        },
      },
      status: open('JobStatus, written by whatever plays the job controller.'),
    }),
  },
  {
    // Answered, never stored: evaluated by RBAC for the requesting user (system:masters may do anything).
    group: 'authorization.k8s.io',
    version: 'v1',
    kind: 'SelfSubjectAccessReview',
    plural: 'selfsubjectaccessreviews',
    namespaced: false,
    verbs: ['create'],
    schema: kindSchema(
      'SelfSubjectAccessReview checks whether the current user can perform an action.',
      {
        spec: {
          type: 'object',
          properties: {
            resourceAttributes: open(
              'ResourceAttributes: namespace, verb, group, version, resource, name.',
            ),
            nonResourceAttributes: open('NonResourceAttributes: path, verb.'),
          },
        },
        status: open('SubjectAccessReviewStatus: allowed, denied, reason.'),
      },
    ),
  },
  {
    group: 'apiextensions.k8s.io',
    version: 'v1',
    kind: 'CustomResourceDefinition',
    plural: 'customresourcedefinitions',
    namespaced: false,
    shortNames: ['crd', 'crds'],
    categories: ['api-extensions'],
    statusSubresource: true,
    hasGeneration: true,
    printerColumns: [{ name: 'Created At', type: 'date', jsonPath: '.metadata.creationTimestamp' }],
    schema: kindSchema('CustomResourceDefinition represents a resource served by the API server.', {
      spec: {
        ...open('CustomResourceDefinitionSpec (group, names, scope, versions with schemas).'),
        required: ['group', 'names', 'scope', 'versions'],
      },
      status: open('CustomResourceDefinitionStatus.'),
    }),
  },
];

export function builtinTypes(): ResourceType[] {
  return [...builtins, ...installBuiltins()].map((b) => ({
    group: b.group,
    plural: b.plural,
    singular: b.kind.toLowerCase(),
    kind: b.kind,
    listKind: `${b.kind}List`,
    namespaced: b.namespaced,
    shortNames: b.shortNames ?? [],
    categories: b.categories ?? [],
    versions: [
      {
        name: b.version,
        schema: b.schema,
        printerColumns: b.printerColumns ?? [],
        statusSubresource: b.statusSubresource ?? false,
      },
    ],
    builtin: true,
    hasGeneration: b.hasGeneration ?? false,
    verbs: b.verbs ?? ALL_VERBS,
    selectableFields: b.selectableFields ?? [],
  }));
}
