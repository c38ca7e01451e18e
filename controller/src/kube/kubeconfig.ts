import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { PooledKubeConfig } from './pooled-kubeconfig';

const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/**
 * The API connection, from (in order) the given kubeconfig path(s) (`--kubeconfig`, or `KUBECONFIG`, which may
 * list several files separated by the path delimiter), the pod's service account, then ~/.kube/config.
 * Requests share one connection pool: `close()` it when done.
 */
export function loadKubeConfig(kubeconfig: string | undefined): PooledKubeConfig {
  const kc = new PooledKubeConfig();
  const files = (kubeconfig ?? '').split(delimiter).filter((f) => f !== '');
  if (files.length > 0) {
    for (const [i, file] of files.entries()) {
      const next = i === 0 ? kc : new KubeConfig();
      try {
        next.loadFromFile(file);
      } catch (error) {
        throw new Error(
          `cannot load kubeconfig ${file}: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      if (next !== kc) kc.mergeConfig(next);
    }
  } else if (process.env.KUBERNETES_SERVICE_HOST && existsSync(SERVICE_ACCOUNT_TOKEN)) {
    kc.loadFromCluster();
  } else if (existsSync(join(homedir(), '.kube', 'config'))) {
    kc.loadFromFile(join(homedir(), '.kube', 'config'));
  } else {
    throw new Error(
      'no Kubernetes configuration: pass --kubeconfig <file>, set KUBECONFIG, or run in a pod with a service account',
    );
  }
  if (!kc.getCurrentCluster()) {
    throw new Error(
      `kubeconfig ${files.join(delimiter) || '(default)'} has no current context with a cluster: set current-context`,
    );
  }
  return kc;
}
