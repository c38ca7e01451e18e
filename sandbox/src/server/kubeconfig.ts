import { stringify } from 'yaml';

/**
 * A kubeconfig for the sandbox: cluster, user and context all named `sandbox`, bearer-token auth, the
 * server's self-signed certificate as the cluster CA.
 */
export function kubeconfigYaml(
  url: string,
  token: string,
  caPem: string,
  namespace = 'default',
): string {
  const ca = Buffer.from(caPem).toString('base64');
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'sandbox', cluster: { server: url, 'certificate-authority-data': ca } }],
    users: [{ name: 'sandbox', user: { token } }],
    contexts: [{ name: 'sandbox', context: { cluster: 'sandbox', user: 'sandbox', namespace } }],
    'current-context': 'sandbox',
    preferences: {},
  });
}
