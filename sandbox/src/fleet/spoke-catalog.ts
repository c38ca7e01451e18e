// The kinds a simulated spoke's API server knows: a few built-ins a ManifestWork commonly carries, the OCM
// ClusterClaim CRD the klusterlet installs, and, where KMM is installed, KMM's spoke CRDs (read from the same
// upstream YAML the hub serves). Built-ins are accepted without schema checks; CRD kinds are validated.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { crdSchema, type JSONSchemaProps } from '../schema';

export interface SpokeKind {
  group: string;
  version: string;
  kind: string;
  /** plural resource name, as in a ManifestWork's resourceMeta and manifestConfigs */
  resource: string;
  namespaced: boolean;
  /** the CRD's openAPIV3Schema; undefined for built-ins */
  schema?: JSONSchemaProps;
}

export interface SpokeCatalog {
  /** kinds every spoke has */
  base: SpokeKind[];
  /** kinds a spoke with KMM also has */
  kmm: SpokeKind[];
}

const BUILTINS: SpokeKind[] = [
  { group: '', version: 'v1', kind: 'Namespace', resource: 'namespaces', namespaced: false },
  { group: '', version: 'v1', kind: 'ConfigMap', resource: 'configmaps', namespaced: true },
  { group: '', version: 'v1', kind: 'Secret', resource: 'secrets', namespaced: true },
  {
    group: '',
    version: 'v1',
    kind: 'ServiceAccount',
    resource: 'serviceaccounts',
    namespaced: true,
  },
  ...(['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'] as const).map((kind) => ({
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    kind,
    resource: `${kind.toLowerCase()}s`,
    namespaced: !kind.startsWith('Cluster'),
  })),
  { group: 'apps', version: 'v1', kind: 'Deployment', resource: 'deployments', namespaced: true },
  { group: 'apps', version: 'v1', kind: 'DaemonSet', resource: 'daemonsets', namespaced: true },
];

interface Crd {
  spec: {
    group: string;
    scope: string;
    names: { kind: string; plural: string };
    versions: { name: string; served?: boolean }[];
  };
}

function kindsOf(crd: Crd): SpokeKind[] {
  return crd.spec.versions
    .filter((v) => v.served !== false)
    .map((v) => ({
      group: crd.spec.group,
      version: v.name,
      kind: crd.spec.names.kind,
      resource: crd.spec.names.plural,
      namespaced: crd.spec.scope === 'Namespaced',
      schema: crdSchema(crd, v.name),
    }));
}

/** The repository's upstream CRD folder, resolved from this file so it works from any working directory. */
export const UPSTREAM_CRDS = join(__dirname, '../../../crds/upstream');

const loaded = new Map<string, SpokeCatalog>();

/**
 * Reads the spoke CRDs from `dir` (the upstream CRD folder): KMM's `kmm.sigs.x-k8s.io` ones and
 * ClusterClaim. Parsing them takes about a second, so each folder is read once per process.
 */
export function loadSpokeCatalog(dir: string = UPSTREAM_CRDS): SpokeCatalog {
  let catalog = loaded.get(dir);
  if (!catalog) {
    catalog = readSpokeCatalog(dir);
    loaded.set(dir, catalog);
  }
  return catalog;
}

function readSpokeCatalog(dir: string): SpokeCatalog {
  const read = (file: string): Crd => parse(readFileSync(join(dir, file), 'utf8')) as Crd;
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
  const kmmFiles = files.filter((f) => f.startsWith('kmm.sigs.x-k8s.io_'));
  if (!kmmFiles.some((f) => f.includes('_modules.'))) {
    throw new Error(`no Module CRD (kmm.sigs.x-k8s.io_modules.yaml) in ${dir}`);
  }
  const claims = files.filter((f) => f === 'cluster.open-cluster-management.io_clusterclaims.yaml');
  return {
    base: [...BUILTINS, ...claims.flatMap((f) => kindsOf(read(f)))],
    kmm: kmmFiles.flatMap((f) => kindsOf(read(f))),
  };
}
