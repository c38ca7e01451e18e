import { DEFAULT_MODPROBE_DIR_NAME } from './constants';
import { hasTagOrDigest } from './image';
import { compileRegexp } from './regexp';
import { templateProblem } from './template';
import type { Problems } from './validation-fields';

// The upstream webhook's rules for spec.moduleLoader, plus the CRD's required fields, and kmm-hub's
// template checks (a template that cannot be substituted is an error before any kernel is tried).

export function validateModuleLoader(loader: unknown, path: string, p: Problems): void {
  const ml = p.object(loader, path, false);
  if (!ml) return;
  p.string(ml.serviceAccountName, `${path}.serviceAccountName`, false);
  const cpath = `${path}.container`;
  const c = p.object(
    ml.container,
    cpath,
    'describe the module loader container (modprobe, kernelMappings)',
  );
  if (!c) return;

  const modprobe = p.object(
    c.modprobe,
    `${cpath}.modprobe`,
    'set modprobe.moduleName (or modprobe.rawArgs.load and .unload)',
  );
  const dirName = modprobe
    ? (p.string(modprobe.dirName, `${cpath}.modprobe.dirName`, false) ?? DEFAULT_MODPROBE_DIR_NAME)
    : DEFAULT_MODPROBE_DIR_NAME;
  if (modprobe) validateModprobe(modprobe, `${cpath}.modprobe`, p);

  const containerImage = p.string(c.containerImage, `${cpath}.containerImage`, false) || undefined;
  if (containerImage) validateImage(containerImage, `${cpath}.containerImage`, p);
  p.string(c.imagePullPolicy, `${cpath}.imagePullPolicy`, false);
  p.string(c.version, `${cpath}.version`, false);
  validateTLS(c.registryTLS, `${cpath}.registryTLS`, p);

  const inTreeList = p.strings(c.inTreeModulesToRemove, `${cpath}.inTreeModulesToRemove`);
  const inTreeOne =
    p.string(c.inTreeModuleToRemove, `${cpath}.inTreeModuleToRemove`, false) || undefined;
  if (c.inTreeModulesToRemove != null && inTreeOne) {
    p.add(
      `${cpath}.inTreeModuleToRemove`,
      'cannot be set together with inTreeModulesToRemove: move its value into inTreeModulesToRemove',
    );
  }

  validateBuild(c.build, `${cpath}.build`, p);
  validateSign(c.sign, `${cpath}.sign`, dirName, p);

  const mpath = `${cpath}.kernelMappings`;
  const mappings = p.array(c.kernelMappings, mpath);
  if (c.kernelMappings == null || (mappings && mappings.length === 0)) {
    p.add(mpath, 'needs at least one kernel mapping ({regexp or literal, containerImage})');
  }
  mappings?.forEach((raw, i) => {
    const mp = `${mpath}[${i}]`;
    const m = p.object(raw, mp, 'a kernel mapping');
    if (!m) return;
    const literal = p.string(m.literal, `${mp}.literal`, false) || undefined;
    const regexp = p.string(m.regexp, `${mp}.regexp`, false) || undefined;
    if (literal && regexp) {
      p.add(mp, 'literal and regexp are mutually exclusive: keep one of them');
    } else if (!literal && !regexp) {
      p.add(
        mp,
        'set literal (one exact kernel version) or regexp (an RE2 regexp, matched unanchored)',
      );
    }
    if (regexp) {
      const re = compileRegexp(regexp);
      if (!re.ok) {
        p.add(
          `${mp}.regexp`,
          `${re.error}; write an RE2 (Go) regexp: no lookarounds or backreferences, and escape "." as "\\."`,
        );
      }
    }
    const image = p.string(m.containerImage, `${mp}.containerImage`, false) || undefined;
    if (image) validateImage(image, `${mp}.containerImage`, p);
    else if (!containerImage) {
      p.add(
        `${mp}.containerImage`,
        `is required: set it here, or set ${cpath}.containerImage as the default for every mapping ` +
          'and containerImage: "" here',
      );
    } else if (m.containerImage == null) {
      // the CRD lists containerImage as required on every mapping: the API server rejects the MCM without it
      p.add(
        `${mp}.containerImage`,
        `is required by the CRD even with ${cpath}.containerImage set: write containerImage: "" to use that default`,
      );
    }
    validateTLS(m.registryTLS, `${mp}.registryTLS`, p);
    const mList = p.strings(m.inTreeModulesToRemove, `${mp}.inTreeModulesToRemove`);
    const mOne = p.string(m.inTreeModuleToRemove, `${mp}.inTreeModuleToRemove`, false) || undefined;
    if (m.inTreeModulesToRemove != null && mOne) {
      p.add(
        `${mp}.inTreeModuleToRemove`,
        'cannot be set together with inTreeModulesToRemove: move its value into inTreeModulesToRemove',
      );
    } else if ((mList && inTreeOne) || (mOne && inTreeList)) {
      p.add(
        mList ? `${mp}.inTreeModulesToRemove` : `${mp}.inTreeModuleToRemove`,
        'the container and its mappings must use the same field: use inTreeModulesToRemove in both ' +
          '(inTreeModuleToRemove is deprecated)',
      );
    }
    validateBuild(m.build, `${mp}.build`, p);
    validateSign(m.sign, `${mp}.sign`, dirName, p);
  });
}

function validateImage(image: string, path: string, p: Problems): void {
  if (!hasTagOrDigest(image)) {
    p.add(
      path,
      `image "${image}" must name a tag or a digest, e.g. "${image}:v1" or "${image}@sha256:..."`,
    );
  }
  validateTemplate(image, path, p);
}

function validateTemplate(value: string, path: string, p: Problems): void {
  const problem = templateProblem(value);
  if (problem) p.add(path, problem);
}

function validateTLS(value: unknown, path: string, p: Problems): void {
  const tls = p.object(value, path, false);
  if (!tls) return;
  p.boolean(tls.insecure, `${path}.insecure`);
  p.boolean(tls.insecureSkipTLSVerify, `${path}.insecureSkipTLSVerify`);
}

export function validateModprobe(m: Record<string, unknown>, path: string, p: Problems): void {
  const moduleName = p.string(m.moduleName, `${path}.moduleName`, false) || undefined;
  p.strings(m.parameters, `${path}.parameters`);
  p.string(m.firmwarePath, `${path}.firmwarePath`, false);
  const args = p.object(m.args, `${path}.args`, false);
  if (args) {
    p.strings(args.load, `${path}.args.load`);
    p.strings(args.unload, `${path}.args.unload`);
  }
  const raw = p.object(m.rawArgs, `${path}.rawArgs`, false);
  const rawLoad = raw ? p.strings(raw.load, `${path}.rawArgs.load`) : undefined;
  const rawUnload = raw ? p.strings(raw.unload, `${path}.rawArgs.unload`) : undefined;
  const hasLoad = (rawLoad?.length ?? 0) > 0;
  const hasUnload = (rawUnload?.length ?? 0) > 0;
  if (moduleName && (hasLoad || hasUnload)) {
    p.add(`${path}.rawArgs`, 'cannot be set when moduleName is set: remove rawArgs or moduleName');
  } else if (!moduleName && !(hasLoad && hasUnload)) {
    p.add(
      `${path}.moduleName`,
      'is required unless rawArgs.load and rawArgs.unload are both set: name the kernel module to load',
    );
  }

  const order = p.strings(m.modulesLoadingOrder, `${path}.modulesLoadingOrder`);
  if (!order) return;
  const opath = `${path}.modulesLoadingOrder`;
  if (order.length < 2) {
    p.add(
      opath,
      'needs at least two modules (moduleName first, then its dependencies), or remove it',
    );
  } else if (!moduleName) {
    p.add(opath, 'needs modprobe.moduleName set (as its first entry)');
  } else if (order[0] !== moduleName) {
    p.add(`${opath}[0]`, `must be moduleName "${moduleName}"`);
  }
  const seen = new Set<string>();
  order.forEach((name, i) => {
    if (seen.has(name)) p.add(`${opath}[${i}]`, `"${name}" is listed twice: remove the duplicate`);
    seen.add(name);
  });
}

function validateBuild(value: unknown, path: string, p: Problems): void {
  const b = p.object(value, path, false);
  if (!b) return;
  p.reference(
    b.dockerfileConfigMap,
    `${path}.dockerfileConfigMap`,
    'name the ConfigMap whose "dockerfile" key holds the Dockerfile',
    'ConfigMap holding the Dockerfile',
  );
  const args = p.array(b.buildArgs, `${path}.buildArgs`);
  args?.forEach((a, i) => {
    const ap = `${path}.buildArgs[${i}]`;
    const arg = p.object(a, ap, 'a build argument {name, value}');
    if (!arg) return;
    p.string(arg.name, `${ap}.name`, 'name the build argument');
    if (typeof arg.value !== 'string')
      p.string(arg.value, `${ap}.value`, 'give the value (a string; may be "")');
  });
  p.array(b.secrets, `${path}.secrets`)?.forEach((s, i) =>
    p.reference(s, `${path}.secrets[${i}]`, 'name a Secret', 'Secret'),
  );
  validateTLS(b.baseImageRegistryTLS, `${path}.baseImageRegistryTLS`, p);
  p.stringMap(b.selector, `${path}.selector`, false);
}

function validateSign(value: unknown, path: string, dirName: string, p: Problems): void {
  const s = p.object(value, path, false);
  if (!s) return;
  p.reference(
    s.keySecret,
    `${path}.keySecret`,
    'name the Secret holding the private key (key "key")',
    'Secret',
  );
  p.reference(
    s.certSecret,
    `${path}.certSecret`,
    'name the Secret holding the certificate (key "cert")',
    'Secret',
  );
  const unsigned = p.string(s.unsignedImage, `${path}.unsignedImage`, false);
  if (unsigned) validateTemplate(unsigned, `${path}.unsignedImage`, p);
  validateTLS(s.unsignedImageRegistryTLS, `${path}.unsignedImageRegistryTLS`, p);
  const files = p.strings(s.filesToSign, `${path}.filesToSign`);
  if (s.filesToSign == null || (files && files.length === 0)) {
    p.add(
      `${path}.filesToSign`,
      `is required when sign is set: list the .ko files to sign, under ${dirName}/`,
    );
  }
  files?.forEach((f, i) => {
    if (!f.startsWith(`${dirName}/`)) {
      p.add(
        `${path}.filesToSign[${i}]`,
        `"${f}" must be under modprobe.dirName "${dirName}": write it as "${dirName}/..."`,
      );
    }
    validateTemplate(f, `${path}.filesToSign[${i}]`, p);
  });
}
