import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KubeConfig, type Cluster, type Context, type User } from '@kubernetes/client-node';
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
    mergeFiles(kc, files);
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

/**
 * Merges the files as kubectl and client-go do, so that the controller acts on the cluster `kubectl config
 * current-context` names: the first file that sets current-context wins, and a cluster, user or context defined
 * in several files is the first file's. client-node's own merge (mergeConfig, loadFromDefault) lets the last
 * file's current-context win and throws on any name defined twice, which a KUBECONFIG of several files often has.
 */
function mergeFiles(kc: KubeConfig, files: string[]): void {
  const clusters = new Map<string, Cluster>();
  const users = new Map<string, User>();
  const contexts = new Map<string, Context>();
  let currentContext = '';
  const keepFirst = <T extends { name: string }>(into: Map<string, T>, items: T[]): void => {
    for (const item of items) if (!into.has(item.name)) into.set(item.name, item);
  };
  for (const file of files) {
    // loadFromFile resolves each file's relative certificate paths against that file's own directory.
    const one = new KubeConfig();
    try {
      one.loadFromFile(file);
    } catch (error) {
      throw new Error(
        `cannot load kubeconfig ${file}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    keepFirst(clusters, one.getClusters());
    keepFirst(users, one.getUsers());
    keepFirst(contexts, one.getContexts());
    currentContext ||= one.getCurrentContext() ?? '';
  }
  kc.loadFromOptions({
    clusters: [...clusters.values()],
    users: [...users.values()],
    contexts: [...contexts.values()],
    currentContext,
  });
}
