// A simulated spoke's API server, as far as OCM's work agent uses it: apply (create or update) an object of
// a known kind with kube-apiserver's checks (kind known, namespace exists, CRD schema with pruning and
// defaults, KMM's Module webhook), get it back (status filled in live by the simulated operators), delete it.

import { randomUUID } from 'node:crypto';
import { describeFieldError, normalize, validate } from '../schema';
import type { ModuleSpec } from 'kmm-hub-controller/model';
import type { SpokeKind } from './spoke-catalog';
import { moduleAdmissionError, moduleUpdateError } from './spoke-webhook';

export type SpokeErrorReason = 'NotFound' | 'Invalid' | 'NoKindMatch' | 'BadRequest' | 'Forbidden';

/** An error as the spoke's API server (or the agent's client) would return it. */
export class SpokeApiError extends Error {
  constructor(
    message: string,
    readonly reason: SpokeErrorReason,
  ) {
    super(message);
    this.name = 'SpokeApiError';
  }
}

export interface SpokeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    uid: string;
    generation: number;
    resourceVersion: string;
    creationTimestamp: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [field: string]: unknown;
  };
  [field: string]: unknown;
}

/** How a ManifestWork's manifestConfig says to apply (workv1 UpdateStrategy.type). */
export type UpdateStrategy = 'Update' | 'CreateOnly' | 'ServerSideApply' | 'ReadOnly';

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function qualifiedKind(kind: SpokeKind): string {
  return kind.group ? `${kind.kind}.${kind.group}` : kind.kind;
}

function invalid(kind: SpokeKind, name: string, causes: string[]): SpokeApiError {
  const detail = causes.length === 1 ? causes[0] : `[${causes.join(', ')}]`;
  return new SpokeApiError(`${qualifiedKind(kind)} "${name}" is invalid: ${detail}`, 'Invalid');
}

function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** Everything but metadata and status: what a change of bumps metadata.generation. */
function content(object: Record<string, unknown>): string {
  const rest = Object.fromEntries(
    Object.entries(object).filter(([k]) => k !== 'metadata' && k !== 'status'),
  );
  return JSON.stringify(rest);
}

export type StatusSource = (kind: SpokeKind, object: SpokeObject) => unknown;

export class SpokeApi {
  private readonly objects = new Map<string, SpokeObject>();
  private revision = 0;
  private readonly kinds: SpokeKind[];

  constructor(
    kinds: readonly SpokeKind[],
    namespaces: readonly string[],
    /** the live status of an object (what the spoke's operators report), or undefined */
    private readonly statusOf: StatusSource,
  ) {
    this.kinds = [...kinds];
    const namespaceKind = this.mapping('v1', 'Namespace');
    for (const name of namespaces) {
      this.apply(
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name } },
        'Update',
        namespaceKind,
      );
    }
  }

  /** Starts serving more kinds (an operator installed later brings its CRDs) and creates namespaces. */
  serve(kinds: readonly SpokeKind[], namespaces: readonly string[] = []): void {
    for (const k of kinds) if (!this.kinds.includes(k)) this.kinds.push(k);
    const namespaceKind = this.mapping('v1', 'Namespace');
    for (const name of namespaces) {
      this.apply(
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name } },
        'Update',
        namespaceKind,
      );
    }
  }

  /** Stops serving kinds (their CRDs deleted): their objects go with them, as kube-apiserver deletes CRs. */
  unserve(kinds: readonly SpokeKind[]): void {
    for (const k of kinds) {
      const i = this.kinds.indexOf(k);
      if (i >= 0) this.kinds.splice(i, 1);
      const prefix = `${k.group}/${k.resource}/`;
      for (const key of [...this.objects.keys()])
        if (key.startsWith(prefix)) this.objects.delete(key);
    }
  }

  /** Whether the spoke serves this kind (what `kubectl api-resources` would list). */
  serves(apiVersion: string, kind: string): boolean {
    const { group, version } = splitApiVersion(apiVersion);
    return this.kinds.some((k) => k.group === group && k.version === version && k.kind === kind);
  }

  private static key(kind: SpokeKind, namespace: string | undefined, name: string): string {
    return `${kind.group}/${kind.resource}/${namespace ?? ''}/${name}`;
  }

  /** The kind served for apiVersion + kind, as the agent's REST mapper finds it. */
  mapping(apiVersion: string, kind: string): SpokeKind {
    const { group, version } = splitApiVersion(apiVersion);
    const found = this.kinds.find(
      (k) => k.group === group && k.version === version && k.kind === kind,
    );
    if (!found) {
      throw new SpokeApiError(
        `no matches for kind "${kind}" in version "${apiVersion}"`,
        'NoKindMatch',
      );
    }
    return found;
  }

  /** The object with its live status, or undefined. */
  get(kind: SpokeKind, namespace: string | undefined, name: string): SpokeObject | undefined {
    const stored = this.objects.get(
      SpokeApi.key(kind, kind.namespaced ? namespace : undefined, name),
    );
    if (!stored) return undefined;
    const copy = structuredClone(stored);
    const status = this.statusOf(kind, copy);
    if (status !== undefined) copy.status = status;
    return copy;
  }

  /** Every stored object of a kind (without status), for accessors and tests. */
  list(kind: SpokeKind): SpokeObject[] {
    const prefix = `${kind.group}/${kind.resource}/`;
    return [...this.objects.entries()]
      .filter(([key]) => key.startsWith(prefix))
      .map(([, object]) => structuredClone(object));
  }

  /**
   * Creates or updates `manifest` as OCM's work agent does with the given strategy, and returns what is
   * stored. Throws SpokeApiError with kube-apiserver's wording when the spoke would refuse it.
   */
  apply(
    manifest: unknown,
    strategy: UpdateStrategy,
    knownKind?: SpokeKind,
  ): { kind: SpokeKind; object: SpokeObject } {
    const required = manifest as Record<string, unknown> & {
      metadata?: Record<string, unknown>;
    };
    if (!required || typeof required !== 'object' || Array.isArray(required)) {
      throw new SpokeApiError('manifest is not a JSON object', 'BadRequest');
    }
    if (typeof required.kind !== 'string' || required.kind === '') {
      throw new SpokeApiError(
        `Object 'Kind' is missing in '${JSON.stringify(required)}'`,
        'BadRequest',
      );
    }
    if (typeof required.apiVersion !== 'string' || required.apiVersion === '') {
      throw new SpokeApiError(
        `Object 'apiVersion' is missing in '${JSON.stringify(required)}'`,
        'BadRequest',
      );
    }
    const kind = knownKind ?? this.mapping(required.apiVersion, required.kind);
    const metadata = (required.metadata ?? {}) as Record<string, unknown>;
    const name = typeof metadata.name === 'string' ? metadata.name : '';
    const namespace =
      kind.namespaced && typeof metadata.namespace === 'string' ? metadata.namespace : undefined;

    if (name === '') {
      throw invalid(kind, '', ['metadata.name: Required value: name or generateName is required']);
    }
    if (!DNS_SUBDOMAIN.test(name) || name.length > 253) {
      throw invalid(kind, name, [
        `metadata.name: Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
      ]);
    }
    if (kind.namespaced && !namespace) {
      throw invalid(kind, name, ['metadata.namespace: Required value']);
    }
    if (namespace !== undefined && !this.objects.has(`/namespaces//${namespace}`)) {
      throw new SpokeApiError(`namespaces "${namespace}" not found`, 'NotFound');
    }

    const key = SpokeApi.key(kind, namespace, name);
    const existing = this.objects.get(key);
    if (strategy === 'ReadOnly' || (strategy === 'CreateOnly' && existing)) {
      if (!existing) {
        throw new SpokeApiError(
          `${kind.resource}${kind.group ? `.${kind.group}` : ''} "${name}" not found`,
          'NotFound',
        );
      }
      return { kind, object: structuredClone(existing) };
    }

    // kube-apiserver: prune unknown fields and default (fieldValidation defaults to Warn), then validate.
    let body: Record<string, unknown> = { ...required };
    delete body.status;
    if (kind.schema) {
      body = normalize(kind.schema, body).value as Record<string, unknown>;
      const errors = validate(kind.schema, body, { skipRootMetadata: true });
      if (errors.length > 0) throw invalid(kind, name, errors.map(describeFieldError));
    }
    if (kind.group === 'kmm.sigs.x-k8s.io' && kind.kind === 'Module') {
      const denied =
        (existing
          ? moduleUpdateError(existing.spec as ModuleSpec, body.spec as ModuleSpec)
          : undefined) ?? moduleAdmissionError(name, namespace ?? '', body.spec as ModuleSpec);
      if (denied) {
        throw new SpokeApiError(
          `admission webhook "vmodule.kb.io" denied the request: ${denied}`,
          'Forbidden',
        );
      }
    }

    const merged = (field: 'labels' | 'annotations'): Record<string, string> | undefined => {
      const value = {
        ...((existing?.metadata[field] as Record<string, string> | undefined) ?? {}),
        ...((metadata[field] as Record<string, string> | undefined) ?? {}),
      };
      return Object.keys(value).length > 0 ? value : undefined;
    };
    const changed = !existing || content(existing) !== content(body);
    const object: SpokeObject = {
      ...body,
      apiVersion: required.apiVersion,
      kind: required.kind,
      metadata: {
        name,
        ...(namespace !== undefined ? { namespace } : {}),
        uid: existing?.metadata.uid ?? randomUUID(),
        generation: existing ? existing.metadata.generation + (changed ? 1 : 0) : 1,
        resourceVersion: String(++this.revision),
        creationTimestamp: existing?.metadata.creationTimestamp ?? new Date().toISOString(),
        ...(merged('labels') ? { labels: merged('labels') } : {}),
        ...(merged('annotations') ? { annotations: merged('annotations') } : {}),
      },
    };
    this.objects.set(key, object);
    return { kind, object: structuredClone(object) };
  }

  /** Deletes an object (a Namespace takes its contents with it); false if it did not exist. */
  delete(kind: SpokeKind, namespace: string | undefined, name: string): boolean {
    const existed = this.objects.delete(
      SpokeApi.key(kind, kind.namespaced ? namespace : undefined, name),
    );
    if (existed && kind.group === '' && kind.kind === 'Namespace') {
      for (const [key, object] of this.objects) {
        if (object.metadata.namespace === name) this.objects.delete(key);
      }
    }
    return existed;
  }
}
