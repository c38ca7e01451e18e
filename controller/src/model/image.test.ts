import { hasTagOrDigest, imageRepository, pinImage, parseImageReference } from './image';

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

describe('parseImageReference', () => {
  it('splits registry, repository, tag and digest as docker does', () => {
    expect(parseImageReference('quay.io/acme/drv:5.14')).toEqual({
      registry: 'quay.io',
      repository: 'acme/drv',
      tag: '5.14',
    });
    expect(parseImageReference('localhost:5000/drv:1')).toEqual({
      registry: 'localhost:5000',
      repository: 'drv',
      tag: '1',
    });
    expect(parseImageReference('busybox:1')).toEqual({
      registry: 'docker.io',
      repository: 'library/busybox',
      tag: '1',
    });
    expect(parseImageReference('acme/drv:1')).toEqual({
      registry: 'docker.io',
      repository: 'acme/drv',
      tag: '1',
    });
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(parseImageReference(`127.0.0.1:5000/a/b@${digest}`)).toEqual({
      registry: '127.0.0.1:5000',
      repository: 'a/b',
      digest,
    });
  });

  it('names what is wrong', () => {
    expect(parseImageReference('quay.io/acme/drv')).toEqual({
      error: 'quay.io/acme/drv: names neither a tag nor a digest',
    });
    expect(parseImageReference('quay.io/Acme/drv:1')).toMatchObject({
      error: expect.stringContaining('not a valid repository'),
    });
    expect(parseImageReference('quay.io/a@sha256:short')).toMatchObject({
      error: expect.stringContaining('not a digest'),
    });
  });
});
