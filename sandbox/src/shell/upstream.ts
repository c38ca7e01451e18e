// Who the shell talks to and as whom. The identity is a parameter so that one shell can act as an admin and
// another as a read-only user once the sandbox (or a real hub) authorizes per user.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export interface Upstream {
  /** the API server's base URL, `https://...` or `http://...` */
  server: string;
  /** the bearer token every proxied request carries; never logged */
  token: string;
  /** the CA (PEM) to trust for an `https://` server */
  caPem?: string;
}

interface KubeconfigFile {
  'current-context'?: string;
  contexts?: { name: string; context: { cluster: string; user: string } }[];
  clusters?: { name: string; cluster: { server: string; 'certificate-authority-data'?: string } }[];
  users?: { name: string; user: { token?: string } }[];
}

/** The current context's server, CA and bearer token of a kubeconfig file. */
export function upstreamFromKubeconfig(path: string): Upstream {
  const kc = parse(readFileSync(path, 'utf8')) as KubeconfigFile;
  const context = kc.contexts?.find((c) => c.name === kc['current-context'])?.context;
  const cluster = kc.clusters?.find((c) => c.name === context?.cluster)?.cluster;
  const token = kc.users?.find((u) => u.name === context?.user)?.user.token;
  if (!cluster || !token) {
    throw new Error(
      `${path}: the current context needs a cluster with a server and a user with a bearer token (users[].user.token)`,
    );
  }
  const ca = cluster['certificate-authority-data'];
  return {
    server: cluster.server,
    token,
    ...(ca ? { caPem: Buffer.from(ca, 'base64').toString('utf8') } : {}),
  };
}
