// A simulated build executor: plays the Job controller and kaniko for kmm-hub's build and sign Jobs. It
// watches them, and after a delay either marks one Failed (a failure rule matched) or pushes a real image
// manifest to the Job's destination and marks it Complete, as a finished kaniko Pod would.

import { BatchV1Api, CoreV1Api, KubeConfig, Watch, type V1Job } from '@kubernetes/client-node';
import {
  IMAGE_JOB_SELECTOR,
  JOB_IMAGE_ANNOTATION,
  JOB_INSECURE_ANNOTATION,
  jobPhase,
  parseImageReference,
} from 'kmm-hub-controller/model';
import { OciPusher } from './oci-push';

export interface BuildExecutorOptions {
  /** the hub's kubeconfig (YAML) */
  kubeconfig: string;
  /** how long a Job "runs" before it finishes (default 2000 ms) */
  delayMs?: number;
  /** a failure message for Jobs that must fail (tests), or undefined to let it succeed */
  failWhen?: (job: V1Job) => string | undefined;
  log?: (line: string) => void;
}

export interface BuildExecutor {
  /** Jobs finished so far: name -> outcome */
  finished: Map<string, 'Succeeded' | 'Failed'>;
  stop(): Promise<void>;
}

/** Starts watching kmm-hub's image Jobs in every namespace. */
export async function startBuildExecutor(options: BuildExecutorOptions): Promise<BuildExecutor> {
  const kc = new KubeConfig();
  kc.loadFromString(options.kubeconfig);
  const batch = kc.makeApiClient(BatchV1Api);
  const core = kc.makeApiClient(CoreV1Api);
  const delayMs = options.delayMs ?? 2000;
  const log = options.log ?? (() => undefined);
  const scheduled = new Map<string, NodeJS.Timeout>();
  const finished = new Map<string, 'Succeeded' | 'Failed'>();
  let stopped = false;
  let current: AbortController | undefined;

  const finish = async (job: V1Job): Promise<void> => {
    const { name = '', namespace = '' } = job.metadata ?? {};
    const failure = options.failWhen?.(job) ?? (await push(job).catch((e: Error) => e.message));
    const now = new Date();
    const condition = failure
      ? { type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: failure }
      : {
          type: 'Complete',
          status: 'True',
          reason: 'CompletionsReached',
          message: 'Reached expected number of succeeded pods',
        };
    const current = await batch.readNamespacedJob({ name, namespace });
    current.status = {
      ...current.status,
      startTime: current.status?.startTime ?? new Date(now.getTime() - delayMs),
      ...(failure ? { failed: 1 } : { succeeded: 1, completionTime: now }),
      conditions: [{ ...condition, lastTransitionTime: now, lastProbeTime: now }],
    };
    await batch.replaceNamespacedJobStatus({ name, namespace, body: current });
    finished.set(name, failure ? 'Failed' : 'Succeeded');
    log(`build executor: Job ${namespace}/${name} ${failure ? `failed: ${failure}` : 'succeeded'}`);
  };

  /** Pushes an image for the Job's destination, with the Job's registry secret; undefined when it worked. */
  const push = async (job: V1Job): Promise<string | undefined> => {
    const destination = job.metadata?.annotations?.[JOB_IMAGE_ANNOTATION] ?? '';
    const ref = parseImageReference(destination);
    if ('error' in ref) return ref.error;
    const insecure = job.metadata?.annotations?.[JOB_INSECURE_ANNOTATION] === 'true';
    const credentials = await jobCredentials(job, ref.registry);
    const pusher = new OciPusher({
      baseUrl: `${insecure ? 'http' : 'https'}://${ref.registry}`,
      repository: ref.repository,
      ...credentials,
    });
    // the content names the Job: the same inputs give the same image, new inputs a new digest
    await pusher.pushImage(ref.tag ?? 'latest', { content: job.metadata?.name ?? '' });
    return undefined;
  };

  const jobCredentials = async (
    job: V1Job,
    registry: string,
  ): Promise<{ username?: string; password?: string }> => {
    const volume = job.spec?.template.spec?.volumes?.find((v) => v.name === 'registry-auth');
    const secretName = volume?.secret?.secretName;
    if (!secretName) return {};
    const secret = await core.readNamespacedSecret({
      name: secretName,
      namespace: job.metadata?.namespace ?? '',
    });
    const doc = JSON.parse(
      Buffer.from(secret.data?.['.dockerconfigjson'] ?? '', 'base64').toString() || '{}',
    ) as {
      auths?: Record<string, { auth?: string; username?: string; password?: string }>;
    };
    for (const [host, entry] of Object.entries(doc.auths ?? {})) {
      if (host.replace(/^https?:\/\//, '').replace(/\/.*$/, '') !== registry) continue;
      if (entry.username !== undefined)
        return { username: entry.username, password: entry.password };
      const [username, ...rest] = Buffer.from(entry.auth ?? '', 'base64')
        .toString()
        .split(':');
      return { username, password: rest.join(':') };
    }
    return {};
  };

  const consider = (job: V1Job): void => {
    const name = job.metadata?.name ?? '';
    const key = `${job.metadata?.namespace}/${name}`;
    if (stopped || scheduled.has(key) || jobPhase(job).phase !== 'Running') return;
    const timer = setTimeout(() => {
      void finish(job)
        .catch((e: Error) => log(`build executor: cannot finish Job ${key}: ${e.message}`))
        .finally(() => scheduled.delete(key));
    }, delayMs);
    scheduled.set(key, timer);
  };

  const watchLoop = async (): Promise<void> => {
    while (!stopped) {
      try {
        const list = await batch.listJobForAllNamespaces({ labelSelector: IMAGE_JOB_SELECTOR });
        list.items.forEach(consider);
        await new Promise<void>((resolve) => {
          void new Watch(kc)
            .watch(
              '/apis/batch/v1/jobs',
              {
                labelSelector: IMAGE_JOB_SELECTOR,
                resourceVersion: list.metadata?.resourceVersion,
              },
              (type, obj: V1Job) => {
                if (type === 'ADDED' || type === 'MODIFIED') consider(obj);
              },
              () => resolve(),
            )
            .then(
              (c) => {
                current = c;
                if (stopped) c.abort();
              },
              () => resolve(),
            );
        });
      } catch {
        // the API server restarting: list again shortly
      }
      if (!stopped) await new Promise((r) => setTimeout(r, 200));
    }
  };
  const loop = watchLoop();

  return {
    finished,
    stop: async () => {
      stopped = true;
      current?.abort();
      for (const t of scheduled.values()) clearTimeout(t);
      await loop;
    },
  };
}
