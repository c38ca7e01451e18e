import type { PlannedImage } from '../model/plan';
import type { ResolvedMapping } from '../model/mapping';
import type { ImageStateInfo, ManagedClusterModule, Toleration } from '../model/types';

/** One distinct image an MCM needs, as its plan lists it. */
export interface ImageQuery {
  image: string;
  /** the kernel mapping builds the image on the hub when it is missing */
  build: boolean;
  /** the kernel mapping signs the image on the hub */
  sign: boolean;
  /** how to reach, build and sign it (what the registry implementation needs; the interim one ignores it) */
  recipe?: ImageRecipe;
}

export interface ImageRecipe {
  /** the resolved mapping of the first kernel needing the image */
  resolved: ResolvedMapping;
  /** the MCM's imageRepoSecret */
  pullSecret?: string;
  tolerations?: Toleration[];
  rebuildTrigger?: number;
  mcmUid: string;
  /**
   * the image's entry in the MCM's status as last written: what a freshly started controller answers until its
   * own check is done, so a restart neither flaps the status nor unpins a digest while a registry is down
   */
  lastKnown?: ImageStateAnswer;
}

/** The queries for `track`: the plan's images with their recipes. */
export function imageQueries(
  mcm: ManagedClusterModule,
  images: readonly PlannedImage[],
): ImageQuery[] {
  const spec = mcm.spec.moduleSpec;
  const written = new Map((mcm.status?.images ?? []).map((i) => [i.image, i]));
  return images.map(({ image, build, sign, resolved }) => {
    const recipe: ImageRecipe = {
      resolved,
      pullSecret: spec.imageRepoSecret?.name || undefined,
      tolerations: spec.tolerations,
      rebuildTrigger: spec.imageRebuildTriggerGeneration,
      mcmUid: mcm.metadata.uid ?? '',
    };
    const last = written.get(image);
    if (last) {
      const { state, digest, reason, message } = last;
      recipe.lastKnown = { state, digest, reason, message };
    }
    return { image, build, sign, recipe };
  });
}

/** An image-state source's answer: the model's ImageStateInfo (state, digest, reason, message). */
export type ImageStateAnswer = ImageStateInfo;

/**
 * Where the reconciler learns whether an image may be sent to spokes, behind one interface so that the
 * registry/build implementation replaces the interim one without touching the reconciler.
 * - `lookup` has the model's ImageStateLookup signature and answers from the implementation's own cache
 *   (never a registry or API call per lookup); `undefined` = no answer yet (the plan treats it as Unknown and
 *   withdraws nothing already rolled out).
 * - `track` is called after every plan with the images the MCM needs now (so an implementation knows what to
 *   check or build); it returns true when it changed an answer for this MCM, and the reconciler then plans
 *   again at once.
 * - answers that change later (a registry check finished, a build Job completed) are announced to the
 *   `onChange` listeners with the MCMs to reconcile again.
 */
export interface ImageStates {
  lookup(mcm: string, image: string): ImageStateAnswer | undefined;
  track(mcm: string, images: readonly ImageQuery[]): boolean;
  /** the MCM is gone: drop what was tracked for it */
  forget(mcm: string): void;
  onChange(listener: (mcmNames: string[]) => void): () => void;
  /** releases timers and connections */
  stop(): Promise<void>;
}

/**
 * Until registry checks and hub builds exist: an image without build or sign is taken to be in its registry
 * (Ready, tag kept, no digest); an image the mapping would build or sign is Waiting, since nothing builds it yet.
 * Its answers depend on the image's mapping only, so it never notifies.
 */
export class InterimImageStates implements ImageStates {
  private readonly byMcm = new Map<string, Map<string, ImageStateAnswer>>();

  lookup(mcm: string, image: string): ImageStateAnswer | undefined {
    return this.byMcm.get(mcm)?.get(image);
  }

  track(mcm: string, images: readonly ImageQuery[]): boolean {
    const previous = this.byMcm.get(mcm);
    const next = new Map<string, ImageStateAnswer>();
    let changed = false;
    for (const query of images) {
      const answer = interimAnswer(query);
      const before = previous?.get(query.image);
      if (!before || before.state !== answer.state || before.message !== answer.message)
        changed = true;
      next.set(query.image, answer);
    }
    this.byMcm.set(mcm, next);
    return changed;
  }

  forget(mcm: string): void {
    this.byMcm.delete(mcm);
  }

  onChange(_listener: (mcmNames: string[]) => void): () => void {
    return () => undefined;
  }

  async stop(): Promise<void> {}
}

function interimAnswer(query: ImageQuery): ImageStateAnswer {
  if (!query.build && !query.sign) return { state: 'Ready' };
  const what =
    query.build && query.sign ? 'a build and a signature' : query.build ? 'a build' : 'a signature';
  return {
    state: 'Waiting',
    reason: query.build ? 'BuildNotSupportedYet' : 'SignNotSupportedYet',
    message:
      `${query.image} needs ${what} on the hub, which this kmm-hub version does not run yet: ` +
      'push the image to its registry and drop build/sign from its kernel mapping to roll it out now',
  };
}
