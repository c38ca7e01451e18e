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
