// The hub's build and sign Jobs, as pure functions: what shapes an image (hashed by the caller into the
// Job's name, so a changed input rebuilds and an unchanged one never does), the Job objects, and what a
// Job's status means. Secrets are only ever referenced by name and mounted: no value passes through here.
import { imageRepository } from './image';
import type { BuildArg, KubeObject, TLSOptions, Toleration } from './types';

export const JOB_MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const JOB_MANAGED_BY = 'kmm-hub';
export const JOB_TYPE_LABEL = 'kmm-hub.io/image-job';
export const JOB_HASH_LABEL = 'kmm-hub.io/inputs-hash';
/** the image the Job pushes (label values cannot hold image references) */
export const JOB_IMAGE_ANNOTATION = 'kmm-hub.io/image';
/** the destination's registryTLS, for whatever runs the Job and pushes (the sandbox's executor reads it) */
export const JOB_INSECURE_ANNOTATION = 'kmm-hub.io/registry-insecure';
/** the selector of every kmm-hub image Job */
export const IMAGE_JOB_SELECTOR = `${JOB_MANAGED_BY_LABEL}=${JOB_MANAGED_BY},${JOB_TYPE_LABEL}`;

export type ImageJobType = 'build' | 'sign';

/** Everything that shapes a built image; secrets by name and resourceVersion, never by value. */
export interface BuildJobInputs {
  type: 'build';
  /** where the Job pushes */
  destination: string;
  dockerfile: string;
  buildArgs: BuildArg[];
  /** build secrets: name -> resourceVersion */
  secrets: Record<string, string>;
  /** the dockerconfigjson Secret the Job pulls and pushes with */
  pullSecret?: string;
  registryTLS?: TLSOptions;
  baseImageRegistryTLS?: TLSOptions;
  selector?: Record<string, string>;
  tolerations?: Toleration[];
  builderImage: string;
  rebuildTrigger?: number;
}

export interface SignJobInputs {
  type: 'sign';
  destination: string;
  unsignedImage: string;
  filesToSign: string[];
  keySecret: { name: string; resourceVersion: string };
  certSecret: { name: string; resourceVersion: string };
  pullSecret?: string;
  registryTLS?: TLSOptions;
  unsignedImageRegistryTLS?: TLSOptions;
  tolerations?: Toleration[];
  builderImage: string;
  signerImage: string;
  rebuildTrigger?: number;
}

export type ImageJobInputs = BuildJobInputs | SignJobInputs;

/** A canonical text of the inputs (keys sorted at every level): the same inputs give the same text. */
export function canonicalInputs(inputs: ImageJobInputs): string {
  const sorted = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sorted);
    if (v && typeof v === 'object')
      return Object.fromEntries(
        Object.keys(v)
          .sort()
          .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
          .map((k) => [k, sorted((v as Record<string, unknown>)[k])]),
      );
    return v;
  };
  return JSON.stringify(sorted(inputs));
}

/** `kmm-hub-build-<16 hex>`: short enough for a Job name and the Pod names derived from it. */
export function imageJobName(type: ImageJobType, hash: string): string {
  return `kmm-hub-${type}-${hash.slice(0, 16)}`;
}

/** Where a build goes when the image is also signed on the hub: the unsigned image beside the signed one. */
export function unsignedImageFor(image: string): string {
  const at = image.indexOf('@');
  if (at >= 0) return `${image.slice(0, at)}:kmm-unsigned-${image.slice(at + 8, at + 20)}`;
  const repo = imageRepository(image);
  const tag = image.length > repo.length + 1 ? image.slice(repo.length + 1) : 'latest';
  return `${repo}:${tag}-kmm-unsigned`.slice(0, repo.length + 129);
}

/** The Dockerfile a sign Job builds, as upstream's signing template: sign every file, copy them back. */
export function signDockerfile(
  unsignedImage: string,
  signerImage: string,
  files: string[],
): string {
  const lines = [`FROM ${unsignedImage} AS source`, `FROM ${signerImage} AS signimage`, 'USER 0'];
  lines.push('RUN ["mkdir", "-p", "/signroot"]');
  for (const f of files) {
    lines.push(`COPY --from=source ${f} /signroot${f}`);
    lines.push(
      `RUN ["sign-file", "sha256", "/run/secrets/key/key", "/run/secrets/cert/cert", "/signroot${f}"]`,
    );
  }
  lines.push('FROM source');
  for (const f of files) lines.push(`COPY --from=signimage /signroot${f} ${f}`);
  return `${lines.join('\n')}\n`;
}

type Obj = Record<string, unknown>;

function tlsArgs(tls: TLSOptions | undefined, pull: boolean): string[] {
  const out: string[] = [];
  if (tls?.insecure) out.push(pull ? '--insecure-pull' : '--insecure');
  if (tls?.insecureSkipTLSVerify) out.push(pull ? '--skip-tls-verify-pull' : '--skip-tls-verify');
  return out;
}

const DOCKERFILE_ANNOTATION = 'kmm-hub.io/dockerfile';

/**
 * The Job for a build or sign, kaniko-compatible as upstream's build pods: the Dockerfile at
 * /workspace/Dockerfile (from the ConfigMap for a build; for a sign, generated and passed through the Pod's
 * own annotation by the downward API, so no extra object is needed), build secrets at /run/secrets/<name>,
 * the pull/push secret at /kaniko/.docker/config.json, the signing key and certificate at
 * /run/secrets/key/key and /run/secrets/cert/cert. Failed Jobs are not retried (backoffLimit 0): the failure
 * stays for inspection until an input changes.
 */
export function renderImageJob(
  inputs: ImageJobInputs,
  options: { namespace: string; hash: string; dockerfileConfigMap?: string },
): KubeObject & { spec: Obj } {
  const name = imageJobName(inputs.type, options.hash);
  const volumes: Obj[] = [];
  const mounts: Obj[] = [];
  const args = ['--dockerfile=/workspace/Dockerfile', '--context=dir:///workspace'];
  args.push(`--destination=${inputs.destination}`);
  args.push(...tlsArgs(inputs.registryTLS, false));
  const podAnnotations: Record<string, string> = {};
  if (inputs.type === 'build') {
    for (const a of inputs.buildArgs) args.push(`--build-arg=${a.name}=${a.value}`);
    args.push(...tlsArgs(inputs.baseImageRegistryTLS, true));
    volumes.push({
      name: 'dockerfile',
      configMap: {
        name: options.dockerfileConfigMap ?? '',
        items: [{ key: 'dockerfile', path: 'Dockerfile' }],
      },
    });
    mounts.push({ name: 'dockerfile', mountPath: '/workspace', readOnly: true });
    Object.keys(inputs.secrets)
      .sort()
      .forEach((secret, i) => {
        volumes.push({ name: `secret-${i}`, secret: { secretName: secret } });
        mounts.push({ name: `secret-${i}`, mountPath: `/run/secrets/${secret}`, readOnly: true });
      });
  } else {
    args.push(...tlsArgs(inputs.unsignedImageRegistryTLS, true));
    podAnnotations[DOCKERFILE_ANNOTATION] = signDockerfile(
      inputs.unsignedImage,
      inputs.signerImage,
      inputs.filesToSign,
    );
    volumes.push({
      name: 'dockerfile',
      downwardAPI: {
        items: [
          {
            path: 'Dockerfile',
            fieldRef: { fieldPath: `metadata.annotations['${DOCKERFILE_ANNOTATION}']` },
          },
        ],
      },
    });
    mounts.push({ name: 'dockerfile', mountPath: '/workspace', readOnly: true });
    volumes.push({
      name: 'key',
      secret: { secretName: inputs.keySecret.name, items: [{ key: 'key', path: 'key' }] },
    });
    volumes.push({
      name: 'cert',
      secret: { secretName: inputs.certSecret.name, items: [{ key: 'cert', path: 'cert' }] },
    });
    mounts.push({ name: 'key', mountPath: '/run/secrets/key', readOnly: true });
    mounts.push({ name: 'cert', mountPath: '/run/secrets/cert', readOnly: true });
  }
  if (inputs.pullSecret) {
    volumes.push({
      name: 'registry-auth',
      secret: {
        secretName: inputs.pullSecret,
        items: [{ key: '.dockerconfigjson', path: 'config.json' }],
      },
    });
    mounts.push({ name: 'registry-auth', mountPath: '/kaniko/.docker', readOnly: true });
  }
  const labels = {
    [JOB_MANAGED_BY_LABEL]: JOB_MANAGED_BY,
    [JOB_TYPE_LABEL]: inputs.type,
    [JOB_HASH_LABEL]: options.hash.slice(0, 63),
  };
  const podSpec: Obj = {
    restartPolicy: 'Never',
    containers: [
      {
        name: inputs.type === 'build' ? 'kaniko' : 'sign',
        image: inputs.builderImage,
        args,
        volumeMounts: mounts,
      },
    ],
    volumes,
  };
  if (inputs.type === 'build' && inputs.selector && Object.keys(inputs.selector).length > 0)
    podSpec.nodeSelector = inputs.selector;
  if (inputs.tolerations && inputs.tolerations.length > 0) podSpec.tolerations = inputs.tolerations;
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name,
      namespace: options.namespace,
      labels,
      annotations: {
        [JOB_IMAGE_ANNOTATION]: inputs.destination,
        [JOB_INSECURE_ANNOTATION]: String(inputs.registryTLS?.insecure === true),
      },
    },
    spec: {
      backoffLimit: 0,
      template: { metadata: { labels, annotations: podAnnotations }, spec: podSpec },
    },
  };
}

export type JobPhase = 'Running' | 'Succeeded' | 'Failed';

/** A Job's outcome from its conditions (Complete / Failed = True), as the Job controller reports it. */
export function jobPhase(job: { status?: unknown }): { phase: JobPhase; message?: string } {
  const conditions = (job.status as { conditions?: unknown } | undefined)?.conditions;
  if (Array.isArray(conditions)) {
    for (const c of conditions as {
      type?: string;
      status?: string;
      message?: string;
      reason?: string;
    }[]) {
      if (c.status !== 'True') continue;
      if (c.type === 'Complete') return { phase: 'Succeeded' };
      if (c.type === 'Failed') {
        const why = [c.reason, c.message].filter(Boolean).join(': ');
        return why ? { phase: 'Failed', message: why } : { phase: 'Failed' };
      }
    }
  }
  return { phase: 'Running' };
}

/** The Event for a Job's step, with upstream's reasons (BuildimageCreated, SignimageFailed, ...). */
export function imageJobEvent(
  type: ImageJobType,
  step: 'Created' | 'Succeeded' | 'Failed',
  image: string,
  jobName: string,
  detail?: string,
): { type: 'Normal' | 'Warning'; reason: string; action: string; message: string } {
  const what = type === 'build' ? 'build' : 'sign';
  const reason = `${type === 'build' ? 'Build' : 'Sign'}image${step}`;
  const message =
    step === 'Created'
      ? `Job ${jobName} started to ${what} ${image}`
      : step === 'Succeeded'
        ? `Job ${jobName} pushed ${image}`
        : `Job ${jobName} failed to ${what} ${image}${detail ? `: ${detail}` : ''}; it is kept for inspection ` +
          `(kubectl logs job/${jobName}) and runs again only when its inputs change`;
  return {
    type: step === 'Failed' ? 'Warning' : 'Normal',
    reason,
    action: step === 'Created' ? 'Create' : what,
    message,
  };
}
