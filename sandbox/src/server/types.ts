import type { ObjectMeta as ModelObjectMeta } from 'kmm-hub-controller/model';
import type { JSONSchemaProps } from '../schema';

// The project's model types (the contract shared with the controller and plugin), extended with the
// metadata only an API server deals with.
export type { OwnerReference } from 'kmm-hub-controller/model';

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

export interface ObjectMeta extends ModelObjectMeta {
  deletionGracePeriodSeconds?: number;
  managedFields?: ManagedFieldsEntry[];
  selfLink?: string;
}

/** Any Kubernetes object as JSON. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

export interface PrinterColumn {
  name: string;
  type: string;
  jsonPath: string;
  description?: string;
  format?: string;
  priority?: number;
  /** Built-in tables only: the cell is the number of entries of the value (absent: 0). */
  count?: boolean;
}

/** One served version of a resource. */
export interface ResourceVersion {
  name: string;
  schema: JSONSchemaProps;
  printerColumns: PrinterColumn[];
  statusSubresource: boolean;
}

/**
 * A resource the server serves (a built-in kind or a CRD), stored once whatever the version asked:
 * CRD versions are served with conversion strategy None (only apiVersion changes).
 */
export interface ResourceType {
  group: string;
  plural: string;
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  /** Served versions, the storage version first. */
  versions: ResourceVersion[];
  /** Built-in kinds get strategic merge patch and hand-written OpenAPI; CRDs do not. */
  builtin: boolean;
  /** metadata.generation moves on spec changes (CRDs, Jobs, ...); not for ConfigMaps and the like. */
  hasGeneration: boolean;
  /** `metadata.name` of the CRD that defines it. */
  crdName?: string;
  /** Verbs in discovery. */
  verbs: string[];
  /** Field-selector fields beyond metadata.name and metadata.namespace. */
  selectableFields: string[];
}

export const ALL_VERBS = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
];

/** `group/plural`, the storage key of a resource (core group: `/plural`). */
export function resourceKey(type: { group: string; plural: string }): string {
  return `${type.group}/${type.plural}`;
}

/** Whether `type` is the built-in core/v1 kind `kind` (Namespace, Secret, ...). */
export function isCoreKind(type: ResourceType, kind: string): boolean {
  return type.builtin && type.group === '' && type.kind === kind;
}

/** Whether the served version `version` of `type` has a status subresource. */
export function hasStatusSubresource(type: ResourceType, version: string): boolean {
  return type.versions.find((v) => v.name === version)?.statusSubresource ?? false;
}

export function groupVersion(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}
