import { jsonEqual } from 'kmm-hub-controller/model';
import type { FieldError } from '../schema';
import * as fe from '../schema/field-errors';
import { validateInstallKind } from './strategy-install';
import { isCoreKind, type KubeObject, type ResourceType } from './types';
import { nowRfc3339 } from './util';

/*
 * What kube-apiserver's per-kind REST strategies do on create and update, for the kinds served here.
 * Pure functions over (previous, candidate); `candidate` is a private copy and may be changed in place.
 */

export function prepareForCreate(type: ResourceType, object: KubeObject): void {
  if (isCoreKind(type, 'Namespace')) {
    object.spec = { finalizers: ['kubernetes'] };
    object.status = { phase: 'Active' };
    return;
  }
  if (isCoreKind(type, 'Secret')) {
    mergeStringData(object);
    object.type ??= 'Opaque';
    return;
  }
  if (isCoreKind(type, 'Pod')) {
    object.status = { phase: 'Pending', qosClass: 'BestEffort' };
    return;
  }
  if (type.builtin && type.kind === 'CustomResourceDefinition') {
    object.status = establishedStatus(object);
    return;
  }
  const statusSubresource = type.versions[0]?.statusSubresource ?? false;
  if (statusSubresource) delete object.status;
}

export function establishedStatus(crd: KubeObject): Record<string, unknown> {
  const spec = (crd.spec ?? {}) as {
    names?: unknown;
    versions?: { name: string; storage?: boolean }[];
  };
  const now = nowRfc3339();
  const condition = (type: string, reason: string, message: string) => ({
    type,
    status: 'True',
    lastTransitionTime: now,
    reason,
    message,
  });
  return {
    acceptedNames: spec.names ?? {},
    conditions: [
      condition('NamesAccepted', 'NoConflicts', 'no conflicts found'),
      condition('Established', 'InitialNamesAccepted', 'the initial names have been accepted'),
    ],
    storedVersions: (spec.versions ?? []).filter((v) => v.storage).map((v) => v.name),
  };
}

/** Secret.stringData is write-only: merged into data (base64) and dropped. */
function mergeStringData(object: KubeObject): void {
  const stringData = object.stringData as Record<string, string> | undefined;
  if (!stringData) return;
  const data = { ...((object.data as Record<string, string> | undefined) ?? {}) };
  for (const [k, v] of Object.entries(stringData))
    data[k] = Buffer.from(String(v)).toString('base64');
  object.data = data;
  delete object.stringData;
}

/**
 * Main-resource updates keep the stored status when the kind has a status subresource; status updates
 * keep everything but status. Namespace phase and spec.finalizers are server-owned.
 */
export function prepareForUpdate(
  type: ResourceType,
  previous: KubeObject,
  candidate: KubeObject,
  subresource: string | undefined,
): KubeObject {
  const statusSubresource = type.versions[0]?.statusSubresource ?? false;
  let out = candidate;
  if (subresource === 'status') {
    out = { ...previous, metadata: { ...previous.metadata }, status: candidate.status };
    if (candidate.status === undefined) delete out.status;
  } else if (statusSubresource) {
    out = { ...candidate, status: previous.status };
    if (previous.status === undefined) delete out.status;
  }
  if (isCoreKind(type, 'Secret')) mergeStringData(out);
  if (isCoreKind(type, 'Namespace') && subresource !== 'finalize') {
    out.spec = previous.spec;
    if (subresource !== 'status') out.status = previous.status;
  }
  return out;
}

/** Kind-specific validation beyond the schema. */
export function validateKind(
  type: ResourceType,
  previous: KubeObject | undefined,
  object: KubeObject,
): FieldError[] {
  const errors: FieldError[] = [];
  if (
    (isCoreKind(type, 'ConfigMap') || isCoreKind(type, 'Secret')) &&
    previous?.immutable === true
  ) {
    for (const field of ['data', 'binaryData', 'immutable']) {
      if (!jsonEqual(previous[field], object[field])) {
        errors.push(fe.forbidden(field, 'field is immutable when `immutable` is set'));
      }
    }
  }
  if (type.builtin && type.kind === 'CustomResourceDefinition') {
    const spec = (object.spec ?? {}) as { group?: string; names?: { plural?: string } };
    const expected = `${spec.names?.plural ?? ''}.${spec.group ?? ''}`;
    if (object.metadata.name !== expected) {
      errors.push(
        fe.invalid(
          'metadata.name',
          object.metadata.name ?? '',
          'must be spec.names.plural+"."+spec.group',
        ),
      );
    }
  }
  errors.push(...validateInstallKind(type, previous, object));
  return errors;
}

/** metadata.generation moves when anything but metadata and status changes. */
export function specChanged(previous: KubeObject, next: KubeObject): boolean {
  const strip = (o: KubeObject) => {
    const rest: Record<string, unknown> = { ...o };
    delete rest.metadata;
    delete rest.status;
    delete rest.apiVersion;
    delete rest.kind;
    return rest;
  };
  return !jsonEqual(strip(previous), strip(next));
}
