// Image references as the webhook and the ManifestWork see them.

/** The webhook's rule: an image must name a tag or a digest (it only looks for `:` or `@`). */
export function hasTagOrDigest(image: string): boolean {
  return image.includes(':') || image.includes('@');
}

/** The repository part of a reference: no tag, no digest (a registry port is kept). */
export function imageRepository(image: string): string {
  const at = image.indexOf('@');
  const withoutDigest = at >= 0 ? image.slice(0, at) : image;
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', lastSlash + 1);
  return colon >= 0 ? withoutDigest.slice(0, colon) : withoutDigest;
}

/**
 * The reference a spoke gets: `repository@digest` when the digest is known, so every node of every cluster
 * runs the same bytes; an image already given by digest stays as written.
 */
export function pinImage(image: string, digest: string | undefined): string {
  if (!digest || image.includes('@')) return image;
  return `${imageRepository(image)}@${digest}`;
}

/** An image reference split the way a registry is addressed. */
export interface ImageReference {
  /** host[:port] as written (`docker.io` when the reference names none) */
  registry: string;
  /** the repository path inside the registry, e.g. `library/busybox` */
  repository: string;
  tag?: string;
  /** `sha256:...` */
  digest?: string;
}

const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;
const TAG = /^[\w][\w.-]{0,127}$/;

/**
 * Splits an image reference as docker does: the first path component is a registry when it has a `.` or a
 * `:` or is `localhost`, else the image is on Docker Hub (one-component names under `library/`). Returns an
 * error message naming what is wrong instead of throwing.
 */
export function parseImageReference(image: string): ImageReference | { error: string } {
  let rest = image;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest))
      return { error: `${image}: "${digest}" is not a digest (expected e.g. sha256:<64 hex>)` };
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.indexOf(':', lastSlash + 1);
  if (colon >= 0) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return { error: `${image}: "${tag}" is not a valid tag` };
  }
  const slash = rest.indexOf('/');
  const first = slash >= 0 ? rest.slice(0, slash) : '';
  let registry = 'docker.io';
  let repository = rest;
  if (slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    registry = first;
    repository = rest.slice(slash + 1);
  }
  if (registry === 'docker.io' && !repository.includes('/')) repository = `library/${repository}`;
  if (
    !/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/.test(
      repository,
    )
  )
    return {
      error: `${image}: "${repository}" is not a valid repository name (lowercase, digits, . _ - /)`,
    };
  if (!tag && !digest) return { error: `${image}: names neither a tag nor a digest` };
  const ref: ImageReference = { registry, repository };
  if (tag) ref.tag = tag;
  if (digest) ref.digest = digest;
  return ref;
}
