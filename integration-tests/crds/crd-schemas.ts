import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { crdSchema, type JSONSchemaProps } from 'kmm-hub-sandbox/schema';

// The openAPIV3Schema of the CRDs the tests check objects against, read once per test file (parsing these
// YAML files is most of such a test's time).

export const ROOT = join(__dirname, '../..');

const schemaOf = (file: string, version: string) =>
  crdSchema(parse(readFileSync(join(ROOT, file), 'utf8')), version) as JSONSchemaProps;

export const mcmSchema = () =>
  schemaOf('charts/kmm-hub/crds/hub.kmm.sigs.x-k8s.io_managedclustermodules.yaml', 'v1beta1');
export const fleetSummarySchema = () =>
  schemaOf(
    'charts/kmm-hub/crds/hub.kmm.sigs.x-k8s.io_managedclustermodulefleetsummaries.yaml',
    'v1beta1',
  );
export const moduleSchema = () =>
  schemaOf('crds/upstream/kmm.sigs.x-k8s.io_modules.yaml', 'v1beta1');
export const manifestWorkSchema = () =>
  schemaOf('crds/upstream/work.open-cluster-management.io_manifestworks.yaml', 'v1');
export const managedClusterSchema = () =>
  schemaOf('crds/upstream/cluster.open-cluster-management.io_managedclusters.yaml', 'v1');
