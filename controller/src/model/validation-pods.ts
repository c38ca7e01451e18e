import { ALLOWED_HOST_PATH_PREFIXES } from './constants';
import { dnsSubdomainProblem, labelValueProblem, qualifiedNameProblem } from './names';
import type { Problems } from './validation-fields';

// The upstream webhook's rules for what runs as pods on the spoke: tolerations, and the device plugin or
// DRA driver (its image; a device plugin's hostPath volumes limited to a few system directories, while a DRA
// driver's are not limited, as upstream's webhook checks only the device plugin's).

const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

export function validateTolerations(value: unknown, path: string, p: Problems): void {
  p.array(value, path)?.forEach((raw, i) => {
    const tp = `${path}[${i}]`;
    const t = p.object(raw, tp, 'a toleration');
    if (!t) return;
    const key = p.string(t.key, `${tp}.key`, false) ?? '';
    const operator = p.string(t.operator, `${tp}.operator`, false) ?? '';
    const tolValue = p.string(t.value, `${tp}.value`, false) ?? '';
    const effect = p.string(t.effect, `${tp}.effect`, false) ?? '';
    if (key !== '') {
      const problem = qualifiedNameProblem(key);
      if (problem) p.add(`${tp}.key`, `"${key}" ${problem}`);
    } else if (operator !== 'Exists') {
      p.add(
        `${tp}.operator`,
        'must be "Exists" when key is empty (an empty key with Exists tolerates everything)',
      );
    }
    if (t.tolerationSeconds != null) {
      if (typeof t.tolerationSeconds !== 'number' || !Number.isInteger(t.tolerationSeconds)) {
        p.add(`${tp}.tolerationSeconds`, 'must be a whole number of seconds');
      } else if (effect !== 'NoExecute') {
        p.add(
          `${tp}.effect`,
          'must be "NoExecute" when tolerationSeconds is set (or remove tolerationSeconds)',
        );
      }
    }
    if (operator === 'Equal' || operator === '') {
      const problem = labelValueProblem(tolValue);
      if (problem) p.add(`${tp}.value`, `"${tolValue}" ${problem}`);
    } else if (operator === 'Exists') {
      if (tolValue !== '')
        p.add(`${tp}.value`, 'must be empty when operator is "Exists": remove it');
    } else {
      p.add(`${tp}.operator`, `"${operator}" is not an operator: use "Equal" or "Exists"`);
    }
    if (effect !== '' && !EFFECTS.includes(effect)) {
      p.add(
        `${tp}.effect`,
        `"${effect}" is not an effect: use ${EFFECTS.map((e) => `"${e}"`).join(', ')} or leave it empty`,
      );
    }
  });
}

/** devicePlugin and dra share their shape: a container with an image, and volumes. */
export function validatePluginSpec(
  value: unknown,
  path: string,
  p: Problems,
  restrictHostPaths: boolean,
): Record<string, unknown> | undefined {
  const spec = p.object(value, path, false);
  if (!spec) return undefined;
  for (const name of ['container', 'initContainer']) {
    const required =
      name === 'container'
        ? `describe the ${path.split('.').pop()} container (at least its image)`
        : false;
    const c = p.object(spec[name], `${path}.${name}`, required);
    if (c) p.string(c.image, `${path}.${name}.image`, 'name the container image');
  }
  p.string(spec.serviceAccountName, `${path}.serviceAccountName`, false);
  p.boolean(spec.automountServiceAccountToken, `${path}.automountServiceAccountToken`);
  p.array(spec.volumes, `${path}.volumes`)?.forEach((raw, i) => {
    const vp = `${path}.volumes[${i}]`;
    const v = p.object(raw, vp, 'a volume');
    if (!v) return;
    p.string(v.name, `${vp}.name`, 'name the volume');
    const hostPath = p.object(v.hostPath, `${vp}.hostPath`, false);
    if (!hostPath) return;
    const hp = p.string(hostPath.path, `${vp}.hostPath.path`, 'give the host path to mount');
    if (restrictHostPaths && hp !== undefined && !isAllowedHostPath(hp)) {
      p.add(
        `${vp}.hostPath.path`,
        `"${hp}" is not allowed: host paths must be under ${ALLOWED_HOST_PATH_PREFIXES.join(', ')}`,
      );
    }
  });
  return spec;
}

export function validateDRA(value: unknown, path: string, p: Problems): void {
  const dra = validatePluginSpec(value, path, p, false);
  if (!dra) return;
  const driver = p.string(
    dra.driverName,
    `${path}.driverName`,
    'name the DRA driver (a DNS subdomain, e.g. gpu.example.com)',
  );
  if (driver) {
    const problem = dnsSubdomainProblem(driver);
    if (problem) p.add(`${path}.driverName`, `"${driver}" ${problem}`);
  }
  const seen = new Set<string>();
  p.array(dra.deviceClasses, `${path}.deviceClasses`)?.forEach((raw, i) => {
    const dp = `${path}.deviceClasses[${i}]`;
    const dc = p.object(raw, dp, 'a device class');
    if (!dc) return;
    const name = p.string(dc.name, `${dp}.name`, 'name the DeviceClass');
    if (name === undefined) return;
    const problem = dnsSubdomainProblem(name);
    if (problem) p.add(`${dp}.name`, `"${name}" ${problem}`);
    else if (seen.has(name))
      p.add(`${dp}.name`, `"${name}" is listed twice: device class names must be unique`);
    seen.add(name);
  });
}

/** Go's filepath.Clean for absolute paths, then the prefix rule (the prefix itself or below it). */
export function isAllowedHostPath(path: string): boolean {
  const cleaned = cleanPath(path);
  return ALLOWED_HOST_PATH_PREFIXES.some(
    (prefix) => cleaned === prefix || cleaned.startsWith(`${prefix}/`),
  );
}

export function cleanPath(path: string): string {
  const rooted = path.startsWith('/');
  const out: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(seg);
  }
  const joined = out.join('/');
  if (rooted) return `/${joined}`;
  return joined === '' ? '.' : joined;
}
