import { parseImageReference } from './image';
import { count, nameList } from './summary';
import type { Condition, ImageStatus } from './types';

// Registry trouble reaches the person as a condition of its own: the images keep their last digest (so Ready
// may well be True), yet someone has to fix the registry, its certificate or the pull secret.

export const IMAGES_VERIFIED = 'ImagesVerified';

/** Image reasons that mean "the registry could not be asked", as opposed to an answer (Missing, a build). */
export const isRegistryProblem = (reason: string | undefined): boolean =>
  reason !== undefined && /^(Registry|ImageRepoSecret)/.test(reason);

const registryOf = (image: string): string => {
  const ref = parseImageReference(image);
  return 'error' in ref ? image : ref.registry;
};

/**
 * `ImagesVerified`: True when every image's registry answered its last check; False with the reason of the
 * largest group of failing images and, per registry, what failed and what to do (the first image's message
 * names the error and the fix). Undefined for an MCM without images.
 */
export function imagesVerifiedCondition(
  images: readonly ImageStatus[],
  generation: number,
): Condition | undefined {
  if (images.length === 0) return undefined;
  const groups = new Map<string, { reason: string; images: ImageStatus[] }>();
  for (const i of images) {
    if (!isRegistryProblem(i.reason)) continue;
    const key = `${registryOf(i.image)}\n${i.reason}`;
    const g = groups.get(key) ?? { reason: i.reason!, images: [] };
    g.images.push(i);
    groups.set(key, g);
  }
  if (groups.size === 0)
    return {
      type: IMAGES_VERIFIED,
      status: 'True',
      reason: 'AsExpected',
      // worded so that it also holds when image checks are off (nothing asked, nothing failed)
      message:
        images.length === 1
          ? 'No registry problem with the image'
          : `No registry problem with any of the ${images.length} images`,
      observedGeneration: generation,
    };
  const sorted = [...groups].sort((a, b) => b[1].images.length - a[1].images.length);
  const failing = sorted.reduce((n, [, g]) => n + g.images.length, 0);
  const kept = sorted.some(([, g]) => g.images.some((i) => i.digest));
  const parts = sorted.map(([key, g]) => {
    const registry = key.split('\n')[0]!;
    const first = g.images[0]!;
    const others = g.images.slice(1).map((i) => i.image);
    return (
      `${registry} (${g.reason}, ${count(g.images.length, 'image')}): ${first.message ?? first.image}` +
      (others.length > 0 ? ` (also ${nameList(others, 3)})` : '')
    );
  });
  return {
    type: IMAGES_VERIFIED,
    status: 'False',
    reason: sorted[0]![1].reason,
    message:
      `${failing} of ${count(images.length, 'image')} could not be checked in ${sorted.length === 1 ? 'its registry' : 'their registries'}. ` +
      `${parts.join('. ')}. ` +
      (kept
        ? 'Nothing rolled out is withdrawn: ManifestWorks keep the last digest seen. '
        : 'Clusters needing an image never seen wait for it. ') +
      'kmm-hub retries with backoff and clears this once the registry answers',
    observedGeneration: generation,
  };
}
