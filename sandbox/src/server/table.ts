import { JSONPath } from 'jsonpath-plus';
import type { KubeObject, PrinterColumn, ResourceType } from './types';

/** k8s.io/apimachinery/pkg/util/duration.HumanDuration: what kubectl shows in AGE. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8)
    return hours % 24 === 0 ? `${hours / 24}d` : `${Math.floor(hours / 24)}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  const days = Math.floor(hours / 24);
  if (hours < 24 * 365 * 8) {
    const d = days % 365;
    return d === 0 ? `${Math.floor(days / 365)}y` : `${Math.floor(days / 365)}y${d}d`;
  }
  return `${Math.floor(days / 365)}y`;
}

/** Evaluates a kubectl-style JSONPath (`.status.conditions[?(@.type=="Ready")].status`). */
export function evaluateJsonPath(object: unknown, path: string): unknown[] {
  const expression = path.startsWith('$')
    ? path
    : `$${path.startsWith('.') || path.startsWith('[') ? '' : '.'}${path}`;
  try {
    return JSONPath({ path: expression, json: object as object, wrap: true }) as unknown[];
  } catch {
    return [];
  }
}

function cell(column: PrinterColumn, object: KubeObject, now: number): unknown {
  const values = evaluateJsonPath(object, column.jsonPath).filter((v) => v !== undefined);
  if (column.count) {
    const value = values[0];
    if (Array.isArray(value)) return value.length;
    return value && typeof value === 'object' ? Object.keys(value).length : 0;
  }
  if (values.length === 0) return null;
  if (values.length > 1) {
    return values.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(',');
  }
  const value = values[0];
  switch (column.type) {
    case 'date': {
      const time = typeof value === 'string' ? Date.parse(value) : NaN;
      return Number.isNaN(time) ? null : humanDuration(now - time);
    }
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value) ? value : null;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    default:
      return typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
}

const NAME_COLUMN = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description:
    'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically.',
  priority: 0,
};

const AGE_COLUMN: PrinterColumn = {
  name: 'Age',
  type: 'date',
  jsonPath: '.metadata.creationTimestamp',
  description:
    'CreationTimestamp is a timestamp representing the server time when this object was created.',
};

/** The printer columns of a version: the CRD's, or Age alone (what kube-apiserver defaults for CRDs). */
export function columnsOf(type: ResourceType, version: string): PrinterColumn[] {
  const columns = type.versions.find((v) => v.name === version)?.printerColumns ?? [];
  return columns.length > 0 ? columns : [AGE_COLUMN];
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

function rowObject(object: KubeObject, include: IncludeObject): unknown {
  if (include === 'None') return undefined;
  if (include === 'Object') return object;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: object.metadata };
}

export function tableRows(
  columns: PrinterColumn[],
  objects: KubeObject[],
  include: IncludeObject,
  now = Date.now(),
): Record<string, unknown>[] {
  return objects.map((object) => ({
    cells: [object.metadata.name ?? '', ...columns.map((c) => cell(c, object, now))],
    object: rowObject(object, include),
  }));
}

/** A meta.k8s.io/v1 Table, as `kubectl get` asks for it. Always carries metadata.resourceVersion. */
export function table(
  columns: PrinterColumn[],
  objects: KubeObject[],
  include: IncludeObject,
  meta: { resourceVersion: string; continue?: string },
  withColumns = true,
): Record<string, unknown> {
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: meta,
    columnDefinitions: withColumns
      ? [
          NAME_COLUMN,
          ...columns.map((c) => ({
            name: c.name,
            type: c.type,
            format: c.format ?? '',
            description: c.description ?? '',
            priority: c.priority ?? 0,
          })),
        ]
      : [],
    rows: tableRows(columns, objects, include),
  };
}
