// The controller's registry client against Debian's real docker-registry: digests, multi-arch indexes,
// missing tags, re-pushed tags, basic and token auth, and the error classes a person acts on.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RegistryClient, RegistryError, type RegistryAccess } from 'kmm-hub-controller';
import { OciPusher, selfSignedCertificate } from 'kmm-hub-sandbox';
import { startDockerRegistry, type DockerRegistryProcess } from '../../scripts/docker-registry';
import { parseImageReference, type ImageReference } from 'kmm-hub-controller/model';
import { startTestRegistry, type TestRegistry } from './docker-registry';

const ref = (image: string): ImageReference => {
  const r = parseImageReference(image);
  if ('error' in r) throw new Error(r.error);
  return r;
};

describe('RegistryClient against docker-registry', () => {
  const requests: (number | 'error')[] = [];
  let client: RegistryClient;
  beforeEach(() => {
    requests.length = 0;
    client = new RegistryClient({ timeoutMs: 2000, onRequest: (_, s) => requests.push(s) });
  });
  afterEach(() => client.close());

  describe('anonymous', () => {
    let registry: TestRegistry;
    beforeAll(async () => {
      registry = await startTestRegistry();
    });
    afterAll(() => registry.destroy());
    const plain: RegistryAccess = { insecure: true };

    it('resolves a tag to the digest of the manifest pushed, in one HEAD', async () => {
      const pushed = await registry.pusher('kmm/drv').pushImage('5.14');
      const image = `${registry.host}/kmm/drv:5.14`;
      await expect(client.resolve(image, ref(image), plain)).resolves.toEqual({
        kind: 'found',
        digest: pushed.digest,
      });
      expect(requests).toEqual([200]);
    });

    it('resolves a multi-arch tag to its index digest', async () => {
      const index = await registry.pusher('kmm/multi').pushIndex('6.1', ['amd64', 'arm64']);
      const image = `${registry.host}/kmm/multi:6.1`;
      expect(await client.resolve(image, ref(image), plain)).toEqual({
        kind: 'found',
        digest: index.digest,
      });
    });

    it('says missing for a tag or repository that does not exist', async () => {
      await registry.pusher('kmm/drv').pushImage('5.14');
      for (const image of [`${registry.host}/kmm/drv:nope`, `${registry.host}/kmm/absent:1`])
        expect(await client.resolve(image, ref(image), plain)).toEqual({ kind: 'missing' });
    });

    it('follows a re-pushed tag to its new digest', async () => {
      const image = `${registry.host}/kmm/repush:1`;
      const first = await registry.pusher('kmm/repush').pushImage('1');
      expect(await client.resolve(image, ref(image), plain)).toEqual({
        kind: 'found',
        digest: first.digest,
      });
      const second = await registry.pusher('kmm/repush').pushImage('1');
      expect(second.digest).not.toBe(first.digest);
      expect(await client.resolve(image, ref(image), plain)).toEqual({
        kind: 'found',
        digest: second.digest,
      });
    });

    it('resolves an image given by digest, and says missing for an unknown digest', async () => {
      const pushed = await registry.pusher('kmm/bydigest').pushImage('x');
      const image = `${registry.host}/kmm/bydigest@${pushed.digest}`;
      expect(await client.resolve(image, ref(image), plain)).toEqual({
        kind: 'found',
        digest: pushed.digest,
      });
      const unknown = `${registry.host}/kmm/bydigest@sha256:${'0'.repeat(64)}`;
      expect(await client.resolve(unknown, ref(unknown), plain)).toEqual({ kind: 'missing' });
    });

    it('classifies HTTPS against a plain-HTTP registry as a TLS failure and names the fix', async () => {
      const image = `${registry.host}/kmm/drv:5.14`;
      const error = await client.resolve(image, ref(image), {}).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RegistryError);
      expect((error as RegistryError).kind).toBe('tls');
      expect((error as RegistryError).message).toContain('does not speak HTTPS on this port');
      expect((error as RegistryError).message).toContain(image);
      expect((error as RegistryError).message).toContain('registryTLS.insecure');
    });

    it('classifies a stopped registry as unreachable, and answers again once it is back', async () => {
      const pushed = await registry.pusher('kmm/outage').pushImage('1');
      const image = `${registry.host}/kmm/outage:1`;
      await registry.stop();
      const error = (await client
        .resolve(image, ref(image), plain)
        .catch((e: unknown) => e)) as RegistryError;
      expect(error.kind).toBe('unreachable');
      expect(error.message).toMatch(/ECONNREFUSED/);
      await registry.start();
      expect(await client.resolve(image, ref(image), plain)).toEqual({
        kind: 'found',
        digest: pushed.digest,
      });
    });
  });

  describe('basic auth (htpasswd)', () => {
    let registry: TestRegistry;
    beforeAll(async () => {
      registry = await startTestRegistry({
        kind: 'basic',
        username: 'puller',
        password: 's3cret-basic',
      });
    });
    afterAll(() => registry.destroy());

    it('resolves with the credentials, and is unauthorized without them or with wrong ones', async () => {
      const pushed = await registry.pusher('kmm/private').pushImage('1');
      const image = `${registry.host}/kmm/private:1`;
      const good = {
        insecure: true,
        credentials: { username: 'puller', password: 's3cret-basic' },
      };
      expect(await client.resolve(image, ref(image), good)).toEqual({
        kind: 'found',
        digest: pushed.digest,
      });
      // the challenge is remembered: the next check sends credentials at once
      requests.length = 0;
      await client.resolve(image, ref(image), good);
      expect(requests).toEqual([200]);

      const anonymous = (await client
        .resolve(image, ref(image), { insecure: true })
        .catch((e: unknown) => e)) as RegistryError;
      expect(anonymous.kind).toBe('unauthorized');
      expect(anonymous.message).toContain('set spec.moduleSpec.imageRepoSecret');
      const wrong = (await client
        .resolve(image, ref(image), {
          insecure: true,
          credentials: { username: 'puller', password: 'no' },
        })
        .catch((e: unknown) => e)) as RegistryError;
      expect(wrong.kind).toBe('unauthorized');
      expect(wrong.message).toContain('check that the imageRepoSecret holds credentials');
      expect(wrong.message).not.toContain('no');
    });
  });

  describe('token auth (Bearer challenge, as quay.io and registry.redhat.io)', () => {
    let registry: TestRegistry;
    beforeAll(async () => {
      registry = await startTestRegistry({
        kind: 'token',
        username: 'robot',
        password: 't0ken-pass',
      });
    });
    afterAll(() => registry.destroy());

    it('fetches a token from the realm, caches it, and is unauthorized with bad credentials', async () => {
      const pushed = await registry.pusher('kmm/tok').pushImage('2');
      const image = `${registry.host}/kmm/tok:2`;
      const good = { insecure: true, credentials: { username: 'robot', password: 't0ken-pass' } };
      const before = registry.tokenRequests();
      expect(await client.resolve(image, ref(image), good)).toEqual({
        kind: 'found',
        digest: pushed.digest,
      });
      expect(registry.tokenRequests() - before).toBe(1);
      for (let i = 0; i < 3; i++) await client.resolve(image, ref(image), good);
      // cached: no more token requests, and one manifest request per check
      expect(registry.tokenRequests() - before).toBe(1);
      expect(requests.slice(-3)).toEqual([200, 200, 200]);

      const bad = (await client
        .resolve(image, ref(image), {
          insecure: true,
          credentials: { username: 'robot', password: 'x' },
        })
        .catch((e: unknown) => e)) as RegistryError;
      expect(bad.kind).toBe('unauthorized');
      expect(bad.message).toContain(registry.host);
    });
  });
});

describe('RegistryClient against docker-registry over HTTPS', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kmm-hub-tls-registry-'));
  const { cert, key } = selfSignedCertificate();
  let registry: DockerRegistryProcess;
  let digest: string;
  beforeAll(async () => {
    // seeded over plain HTTP, then served over HTTPS from the same storage
    const plain = await startDockerRegistry(dir);
    digest = (
      await new OciPusher({ baseUrl: `http://${plain.host}`, repository: 'kmm/tls' }).pushImage('1')
    ).digest;
    await plain.stop();
    registry = await startDockerRegistry(dir, '', { cert, key });
  });
  afterAll(async () => {
    await registry.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses an unknown CA with a message naming both fixes, and trusts it with a CA file or skip-verify', async () => {
    const image = `${registry.host}/kmm/tls:1`;
    const plainClient = new RegistryClient({ timeoutMs: 2000 });
    const refused = (await plainClient
      .resolve(image, ref(image), {})
      .catch((e: unknown) => e)) as RegistryError;
    expect(refused.kind).toBe('tls');
    expect(refused.message).toContain('not signed by a CA the controller trusts');
    expect(refused.message).toContain('--registry-ca-file');
    expect(refused.message).toContain('insecureSkipTLSVerify');
    expect(await plainClient.resolve(image, ref(image), { insecureSkipTLSVerify: true })).toEqual({
      kind: 'found',
      digest,
    });
    await plainClient.close();

    writeFileSync(join(dir, 'ca.pem'), cert);
    const trusting = new RegistryClient({ timeoutMs: 2000, caFile: join(dir, 'ca.pem') });
    expect(await trusting.resolve(image, ref(image), {})).toEqual({ kind: 'found', digest });
    await trusting.close();
  });
});
