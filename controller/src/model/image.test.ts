import { hasTagOrDigest, imageRepository, pinImage } from './image';

const digest = 'sha256:' + 'ab'.repeat(32);

describe('image references', () => {
  it('needs a tag or digest (the webhook only looks for ":" or "@")', () => {
    expect(hasTagOrDigest('quay.io/acme/mod:v1')).toBe(true);
    expect(hasTagOrDigest(`quay.io/acme/mod@${digest}`)).toBe(true);
    expect(hasTagOrDigest('quay.io/acme/mod')).toBe(false);
    expect(hasTagOrDigest('registry:5000/mod')).toBe(true); // upstream's check is that simple
  });

  it('finds the repository, keeping a registry port', () => {
    expect(imageRepository('registry.local:5000/acme/mod:5.14.0')).toBe(
      'registry.local:5000/acme/mod',
    );
    expect(imageRepository('registry.local:5000/acme/mod')).toBe('registry.local:5000/acme/mod');
    expect(imageRepository(`quay.io/acme/mod:v1@${digest}`)).toBe('quay.io/acme/mod');
  });

  it('pins repository@digest when a digest is known', () => {
    expect(pinImage('registry.local:5000/acme/mod:5.14.0', digest)).toBe(
      `registry.local:5000/acme/mod@${digest}`,
    );
    expect(pinImage('quay.io/acme/mod:v1', undefined)).toBe('quay.io/acme/mod:v1');
  });

  it('keeps an image already given by digest', () => {
    const other = 'sha256:' + 'cd'.repeat(32);
    expect(pinImage(`quay.io/acme/mod@${digest}`, other)).toBe(`quay.io/acme/mod@${digest}`);
    expect(pinImage(`quay.io/acme/mod:v1@${digest}`, other)).toBe(`quay.io/acme/mod:v1@${digest}`);
  });
});
