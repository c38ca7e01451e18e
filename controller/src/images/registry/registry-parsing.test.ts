import { TokenCache, parseChallenge } from './auth';
import { credentialsFor } from './docker-config';

describe('parseChallenge', () => {
  it('reads a Bearer challenge as quay.io sends it, and Basic', () => {
    expect(
      parseChallenge(
        'Bearer realm="https://quay.io/v2/auth",service="quay.io",scope="repository:a/b:pull"',
      ),
    ).toEqual({
      scheme: 'bearer',
      params: {
        realm: 'https://quay.io/v2/auth',
        service: 'quay.io',
        scope: 'repository:a/b:pull',
      },
    });
    expect(parseChallenge('Basic realm="r"')).toEqual({ scheme: 'basic', params: { realm: 'r' } });
    expect(parseChallenge('Negotiate')).toBeUndefined();
    expect(parseChallenge(null)).toBeUndefined();
  });
});

describe('TokenCache', () => {
  it('keeps a token until shortly before it expires', () => {
    let now = 0;
    const cache = new TokenCache(() => now);
    cache.set('k', 't', 300);
    now = 269_000;
    expect(cache.get('k')).toBe('t');
    now = 270_000; // 30 s early
    expect(cache.get('k')).toBeUndefined();
    cache.set('k', 't', undefined); // 60 s by default
    now += 53_000;
    expect(cache.get('k')).toBe('t');
    now += 1000;
    expect(cache.get('k')).toBeUndefined();
  });
});

describe('credentialsFor', () => {
  const doc = (auths: unknown) => JSON.stringify({ auths });
  it('finds credentials by host, in every form kubectl and docker write them', () => {
    const auth = Buffer.from('u:p:with:colons').toString('base64');
    expect(credentialsFor(doc({ 'quay.io': { auth } }), 'quay.io', 's')).toEqual({
      username: 'u',
      password: 'p:with:colons',
    });
    expect(
      credentialsFor(doc({ 'https://r.io/v1/': { username: 'a', password: 'b' } }), 'r.io', 's'),
    ).toEqual({
      username: 'a',
      password: 'b',
    });
    expect(
      credentialsFor(doc({ 'https://index.docker.io/v1/': { auth } }), 'docker.io', 's')?.username,
    ).toBe('u');
    expect(credentialsFor(doc({ 'other.io': { auth } }), 'quay.io', 's')).toBeUndefined();
  });

  it('says what is wrong without repeating a secret value', () => {
    expect(() => credentialsFor('{not json', 'r', 'ns/pull')).toThrow(
      'Secret ns/pull: .dockerconfigjson is not JSON',
    );
    expect(() => credentialsFor('{}', 'r', 'ns/pull')).toThrow('has no "auths" object');
    const bad = Buffer.from('no-colon-secretvalue').toString('base64');
    expect(() => credentialsFor(doc({ r: { auth: bad } }), 'r', 'ns/pull')).toThrow(
      /^Secret ns\/pull: the "auth" of r is not base64 of username:password$/,
    );
  });
});
