import { createHash } from 'node:crypto';
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { apiFailure, isNotFound } from '../kube/api-errors';
import { canonicalInputs, type ImageJobInputs } from '../model/image-jobs';
import type { ResolvedMapping } from '../model/mapping';
import type { Toleration } from '../model/types';

export interface JobSettings {
  namespace: string;
  builderImage: string;
  signerImage: string;
}

/** What a Job step needs from one MCM's kernel mapping. */
export interface JobRecipe {
  type: 'build' | 'sign';
  destination: string;
  /** the sign step's source: the build's unsigned output or sign.unsignedImage */
  unsignedImage?: string;
  resolved: ResolvedMapping;
  pullSecret?: string;
  tolerations?: Toleration[];
  rebuildTrigger?: number;
}

export type PreparedJob =
  | { ok: true; inputs: ImageJobInputs; hash: string; dockerfileConfigMap?: string }
  /** bad input a person must fix (`retry` false) or a transient API failure (`retry` true) */
  | { ok: false; retry: boolean; reason: string; message: string };

/**
 * Reads what shapes a Job's result from the API (the Dockerfile's content, the resourceVersions of the build
 * secrets, key and certificate; never a secret's value) and hashes it, so the Job's name changes exactly when
 * its result would.
 */
export class JobInputsReader {
  private readonly core: CoreV1Api;

  constructor(
    kubeConfig: KubeConfig,
    private readonly settings: JobSettings,
  ) {
    this.core = kubeConfig.makeApiClient(CoreV1Api);
  }

  async prepare(recipe: JobRecipe): Promise<PreparedJob> {
    try {
      return recipe.type === 'build' ? await this.build(recipe) : await this.sign(recipe);
    } catch (error) {
      return {
        ok: false,
        retry: true,
        reason: 'JobInputsUnreadable',
        message: `cannot read the inputs of the ${recipe.type} of ${recipe.destination}: ${apiFailure(error).message}`,
      };
    }
  }

  private async build(recipe: JobRecipe): Promise<PreparedJob> {
    const { namespace, builderImage } = this.settings;
    const build = recipe.resolved.build!;
    const cmName = build.dockerfileConfigMap.name;
    const cm = await this.read(() =>
      this.core.readNamespacedConfigMap({ name: cmName, namespace }),
    );
    if (!cm)
      return invalid(
        'BuildConfigInvalid',
        `the Dockerfile ConfigMap ${cmName} of ${recipe.destination} does not exist in the controller namespace ` +
          `${namespace}: create it there with the Dockerfile under the key "dockerfile"`,
      );
    const dockerfile = cm.data?.dockerfile;
    if (!dockerfile)
      return invalid(
        'BuildConfigInvalid',
        `ConfigMap ${namespace}/${cmName} has no "dockerfile" key: put the Dockerfile of ${recipe.destination} under it`,
      );
    const secrets: Record<string, string> = {};
    for (const s of build.secrets ?? []) {
      const secret = await this.read(() =>
        this.core.readNamespacedSecret({ name: s.name, namespace }),
      );
      if (!secret)
        return invalid(
          'BuildConfigInvalid',
          `build secret ${s.name} of ${recipe.destination} does not exist in the controller namespace ${namespace}`,
        );
      secrets[s.name] = secret.metadata?.resourceVersion ?? '';
    }
    const inputs: ImageJobInputs = {
      type: 'build',
      destination: recipe.destination,
      dockerfile,
      buildArgs: build.buildArgs ?? [],
      secrets,
      pullSecret: recipe.pullSecret,
      registryTLS: recipe.resolved.registryTLS,
      baseImageRegistryTLS: build.baseImageRegistryTLS,
      selector: build.selector,
      tolerations: recipe.tolerations,
      builderImage,
      rebuildTrigger: recipe.rebuildTrigger,
    };
    return { ok: true, inputs, hash: hashOf(inputs), dockerfileConfigMap: cmName };
  }

  private async sign(recipe: JobRecipe): Promise<PreparedJob> {
    const { namespace, builderImage, signerImage } = this.settings;
    const sign = recipe.resolved.sign!;
    const files = sign.filesToSign ?? [];
    if (files.length === 0)
      return invalid(
        'SignConfigInvalid',
        `sign of ${recipe.destination} has no filesToSign: list the module files (.ko) to sign`,
      );
    const versions: Record<string, string> = {};
    for (const [what, ref, key] of [
      ['keySecret', sign.keySecret.name, 'key'],
      ['certSecret', sign.certSecret.name, 'cert'],
    ] as const) {
      const secret = await this.read(() =>
        this.core.readNamespacedSecret({ name: ref, namespace }),
      );
      if (!secret)
        return invalid(
          'SignConfigInvalid',
          `sign.${what} ${ref} of ${recipe.destination} does not exist in the controller namespace ${namespace}`,
        );
      if (!secret.data?.[key])
        return invalid(
          'SignConfigInvalid',
          `Secret ${namespace}/${ref} (sign.${what}) has no "${key}" key`,
        );
      versions[what] = secret.metadata?.resourceVersion ?? '';
    }
    const inputs: ImageJobInputs = {
      type: 'sign',
      destination: recipe.destination,
      unsignedImage: recipe.unsignedImage!,
      filesToSign: files,
      keySecret: { name: sign.keySecret.name, resourceVersion: versions.keySecret! },
      certSecret: { name: sign.certSecret.name, resourceVersion: versions.certSecret! },
      pullSecret: recipe.pullSecret,
      registryTLS: recipe.resolved.registryTLS,
      unsignedImageRegistryTLS: sign.unsignedImageRegistryTLS ?? recipe.resolved.registryTLS,
      tolerations: recipe.tolerations,
      builderImage,
      signerImage,
      rebuildTrigger: recipe.rebuildTrigger,
    };
    return { ok: true, inputs, hash: hashOf(inputs) };
  }

  /** the object, or undefined when it does not exist */
  private async read<T>(get: () => Promise<T>): Promise<T | undefined> {
    try {
      return await get();
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }
}

function invalid(reason: string, message: string): PreparedJob {
  return { ok: false, retry: false, reason, message };
}

function hashOf(inputs: ImageJobInputs): string {
  return createHash('sha256').update(canonicalInputs(inputs)).digest('hex');
}
