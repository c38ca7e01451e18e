import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from './types';

/** The repository root, found from this file (never from the current directory). */
export const REPO_ROOT = resolve(__dirname, '../../..');

/**
 * The CRD files preloaded by default: every `crds/upstream/*.yaml`, plus `charts/kmm-hub/crds/*.yaml`
 * when present (a CRD there replaces the upstream CRD of the same name: the project's own MCM CRD).
 */
export function defaultCrdFiles(root = REPO_ROOT): string[] {
  const yamlIn = (dir: string) =>
    existsSync(dir)
      ? readdirSync(dir)
          .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
          .sort()
          .map((f) => join(dir, f))
      : [];
  return [...yamlIn(join(root, 'crds/upstream')), ...yamlIn(join(root, 'charts/kmm-hub/crds'))];
}

/**
 * The CRDs of what the charts and the OLM bundle install on a hub besides kmm-hub's own (ConsolePlugin,
 * ServiceMonitor, the ACM policy kinds, OLM's ClusterServiceVersion, cert-manager's Certificate and Issuer):
 * `crds/upstream/install/*.yaml`. Not
 * preloaded by default; pass `crdFiles: [...defaultCrdFiles(), ...installCrdFiles()]` to serve them.
 */
export function installCrdFiles(root = REPO_ROOT): string[] {
  const dir = join(root, 'crds/upstream/install');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => join(dir, f));
}

/** Reads CRD objects from YAML files; later files replace earlier CRDs with the same name. */
export function readCrds(files: string[]): KubeObject[] {
  const byName = new Map<string, KubeObject>();
  for (const file of files) {
    for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
      if (doc.errors.length > 0) {
        throw new Error(`${file}: invalid YAML: ${doc.errors[0]?.message ?? ''}`);
      }
      const object = doc.toJS() as KubeObject | null;
      if (!object) continue;
      if (object.kind !== 'CustomResourceDefinition') {
        throw new Error(
          `${file}: expected kind CustomResourceDefinition, found ${String(object.kind)}`,
        );
      }
      byName.set(object.metadata?.name ?? '', object);
    }
  }
  return [...byName.values()];
}
