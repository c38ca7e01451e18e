/** Credentials for one registry, from a dockerconfigjson Secret. Never logged. */
export interface RegistryCredentials {
  username: string;
  password: string;
}

/**
 * The credentials a `kubernetes.io/dockerconfigjson` document holds for a registry host, matched as the
 * kubelet does for the common forms: `host`, `https://host`, `http://host`, `host/v1/` (Docker Hub's
 * `https://index.docker.io/v1/` for docker.io). Throws with the fix when the document is malformed; never puts
 * a secret value in a message.
 */
export function credentialsFor(
  dockerConfigJson: string,
  registry: string,
  secretName: string,
): RegistryCredentials | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(dockerConfigJson);
  } catch {
    throw new Error(
      `Secret ${secretName}: .dockerconfigjson is not JSON; recreate it with ` +
        '`kubectl create secret docker-registry`',
    );
  }
  const auths = (doc as { auths?: unknown } | null)?.auths;
  if (!auths || typeof auths !== 'object')
    throw new Error(`Secret ${secretName}: .dockerconfigjson has no "auths" object`);
  const hosts =
    registry === 'docker.io'
      ? ['docker.io', 'index.docker.io', 'registry-1.docker.io']
      : [registry];
  for (const [key, value] of Object.entries(auths as Record<string, unknown>)) {
    const host = key.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
    if (!hosts.includes(host) || !value || typeof value !== 'object') continue;
    const entry = value as { auth?: unknown; username?: unknown; password?: unknown };
    if (typeof entry.username === 'string' && typeof entry.password === 'string')
      return { username: entry.username, password: entry.password };
    if (typeof entry.auth === 'string') {
      const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon > 0)
        return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
      throw new Error(
        `Secret ${secretName}: the "auth" of ${key} is not base64 of username:password`,
      );
    }
  }
  return undefined;
}
