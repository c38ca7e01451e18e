import { MAX_MODULE_NAME_AND_NAMESPACE } from './constants';
import { isPlainObject } from './json';
import { validateRolloutStrategy } from './rollout-strategy';
import { dnsLabelProblem, dnsSubdomainProblem } from './names';
import { Problems, type ValidationProblem } from './validation-fields';
import { validateModuleLoader } from './validation-loader';
import { validateDRA, validatePluginSpec, validateTolerations } from './validation-pods';

export type { ValidationProblem } from './validation-fields';

/**
 * Everything that makes an MCM unusable, each problem with its full field path and how to fix it: the CRD's
 * required fields and types, every rule of the upstream KMM admission webhook (applied to spec.moduleSpec),
 * and kmm-hub's own (name + spokeNamespace at most 40 characters, spokeNamespace a DNS label, selector
 * present, templates that substitute). Accepts anything (input may be arbitrary YAML); an empty list means
 * the rest of the model may trust the object's shape.
 */
export function validateManagedClusterModule(mcm: unknown): ValidationProblem[] {
  const p = new Problems();
  if (!isPlainObject(mcm)) {
    return [{ field: '', message: 'must be a ManagedClusterModule object (a YAML mapping)' }];
  }
  const root = mcm;
  const metadata = p.object(
    root.metadata,
    'metadata',
    'give the ManagedClusterModule a metadata.name',
  );
  const name = metadata
    ? p.string(metadata.name, 'metadata.name', 'name the ManagedClusterModule')
    : undefined;
  if (name) {
    const problem = dnsSubdomainProblem(name);
    if (problem) p.add('metadata.name', `"${name}" ${problem}`);
  }

  const spec = p.object(root.spec, 'spec', 'add spec with spokeNamespace, selector and moduleSpec');
  if (!spec) return p.list;

  const ns = p.string(
    spec.spokeNamespace,
    'spec.spokeNamespace',
    'name the spoke namespace the Module is created in',
  );
  if (ns) {
    const problem = dnsLabelProblem(ns);
    if (problem) p.add('spec.spokeNamespace', `"${ns}" ${problem}`);
  }
  if (name && ns && name.length + ns.length > MAX_MODULE_NAME_AND_NAMESPACE) {
    p.add(
      'spec.spokeNamespace',
      `metadata.name "${name}" and spokeNamespace "${ns}" are ${name.length + ns.length} characters together; ` +
        `the spoke rejects a Module whose name and namespace exceed ${MAX_MODULE_NAME_AND_NAMESPACE}: ` +
        'shorten either',
    );
  }
  p.stringMap(
    spec.selector,
    'spec.selector',
    'add a ManagedCluster label selector ({} selects every cluster)',
  );
  validateRolloutStrategy(spec.rolloutStrategy, 'spec.rolloutStrategy', p);

  const ms = p.object(
    spec.moduleSpec,
    'spec.moduleSpec',
    'describe the Module to create on each spoke',
  );
  if (!ms) return p.list;
  p.stringMap(
    ms.selector,
    'spec.moduleSpec.selector',
    'add a node label selector ({} selects every node)',
  );
  p.reference(ms.imageRepoSecret, 'spec.moduleSpec.imageRepoSecret', false, 'pull Secret');
  if (
    ms.imageRebuildTriggerGeneration != null &&
    !Number.isInteger(ms.imageRebuildTriggerGeneration)
  ) {
    p.add('spec.moduleSpec.imageRebuildTriggerGeneration', 'must be a whole number');
  }
  validateTolerations(ms.tolerations, 'spec.moduleSpec.tolerations', p);
  validateModuleLoader(ms.moduleLoader, 'spec.moduleSpec.moduleLoader', p);
  validatePluginSpec(ms.devicePlugin, 'spec.moduleSpec.devicePlugin', p, true);
  validateDRA(ms.dra, 'spec.moduleSpec.dra', p);
  if (ms.devicePlugin != null && ms.dra != null) {
    p.add('spec.moduleSpec.dra', 'dra and devicePlugin are mutually exclusive: keep one of them');
  }
  return p.list;
}
