// Pushes small but real images over the OCI distribution API (blob uploads, then the manifest), the way a
// build's last step does, with the registry's own auth flow: anonymous, Basic, or a Bearer token fetched
// from the realm its 401 names. Used by the simulated build executor and by tests that seed a registry.

import { createHash, randomBytes } from 'node:crypto';
import { fetch, type Response } from 'undici';

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';

export interface PushTarget {
  /** `http://127.0.0.1:5000` */
  baseUrl: string;
  repository: string;
  /** Basic credentials, also sent to a token realm */
  username?: string;
  password?: string;
}

export interface PushedManifest {
  digest: string;
  mediaType: string;
  size: number;
}

const sha256 = (data: Buffer) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

/** A registry session: remembers the Authorization its registry asked for. */
export class OciPusher {
  private authorization?: string;

  constructor(private readonly target: PushTarget) {}

  /**
   * A one-layer image (random content unless `content` is given, so every push has a new digest) tagged
   * `tag` (or only pushed by digest when `tag` is undefined).
   */
  async pushImage(
    tag: string | undefined,
    options: { content?: string; architecture?: string } = {},
  ): Promise<PushedManifest> {
    const layer = Buffer.from(options.content ?? randomBytes(16).toString('hex'));
    const config = Buffer.from(
      JSON.stringify({
        architecture: options.architecture ?? 'amd64',
        os: 'linux',
        rootfs: { type: 'layers', diff_ids: [sha256(layer)] },
      }),
    );
    await this.pushBlob(layer);
    await this.pushBlob(config);
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_MANIFEST,
        config: {
          mediaType: 'application/vnd.oci.image.config.v1+json',
          digest: sha256(config),
          size: config.length,
        },
        layers: [
          {
            mediaType: 'application/vnd.oci.image.layer.v1.tar',
            digest: sha256(layer),
            size: layer.length,
          },
        ],
      }),
    );
    return this.pushManifest(tag ?? sha256(manifest), manifest, OCI_MANIFEST);
  }

  /** A multi-arch index over one image per architecture, tagged `tag`. */
  async pushIndex(tag: string, architectures: string[]): Promise<PushedManifest> {
    const manifests = [];
    for (const architecture of architectures) {
      const m = await this.pushImage(undefined, { architecture });
      manifests.push({ ...m, platform: { architecture, os: 'linux' } });
    }
    const index = Buffer.from(
      JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests }),
    );
    return this.pushManifest(tag, index, OCI_INDEX);
  }

  async deleteManifest(digest: string): Promise<void> {
    const res = await this.send('DELETE', `/manifests/${digest}`, 'delete');
    await expectStatus(res, [202], `delete ${digest}`);
  }

  private async pushBlob(data: Buffer): Promise<void> {
    const digest = sha256(data);
    const head = await this.send('HEAD', `/blobs/${digest}`, 'pull');
    if (head.status === 200) return;
    const start = await this.send('POST', '/blobs/uploads/', 'push,pull');
    await expectStatus(start, [202], 'start a blob upload');
    const location = new URL(start.headers.get('location') ?? '', this.target.baseUrl);
    location.searchParams.set('digest', digest);
    const put = await this.send(
      'PUT',
      location.toString(),
      'push,pull',
      data,
      'application/octet-stream',
    );
    await expectStatus(put, [201], `upload blob ${digest}`);
  }

  private async pushManifest(
    reference: string,
    body: Buffer,
    mediaType: string,
  ): Promise<PushedManifest> {
    const res = await this.send('PUT', `/manifests/${reference}`, 'push,pull', body, mediaType);
    await expectStatus(res, [201], `push manifest ${reference}`);
    return { digest: sha256(body), mediaType, size: body.length };
  }

  /** `path` is relative to /v2/<repository> unless it is a full URL (an upload location). */
  private async send(
    method: string,
    path: string,
    actions: string,
    body?: Buffer,
    contentType?: string,
  ): Promise<Response> {
    const url = /^https?:/.test(path)
      ? path
      : `${this.target.baseUrl}/v2/${this.target.repository}${path}`;
    const go = () => {
      const headers: Record<string, string> = {};
      if (this.authorization) headers.authorization = this.authorization;
      if (contentType) headers['content-type'] = contentType;
      return fetch(url, { method, headers, body });
    };
    let res = await go();
    if (res.status !== 401) return res;
    await res.body?.cancel();
    this.authorization = await this.authorize(res.headers.get('www-authenticate') ?? '', actions);
    res = await go();
    return res;
  }

  private async authorize(challenge: string, actions: string): Promise<string> {
    const { username, password, repository } = this.target;
    const basic =
      username !== undefined
        ? `Basic ${Buffer.from(`${username}:${password ?? ''}`).toString('base64')}`
        : undefined;
    if (/^basic/i.test(challenge)) {
      if (!basic) throw new Error(`${this.target.baseUrl} wants credentials to push`);
      return basic;
    }
    const param = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(challenge)?.[1];
    const realm = param('realm');
    if (!realm) throw new Error(`${this.target.baseUrl}: unsupported challenge ${challenge}`);
    const url = new URL(realm);
    const service = param('service');
    if (service) url.searchParams.set('service', service);
    url.searchParams.set('scope', `repository:${repository}:${actions}`);
    const res = await fetch(url, { headers: basic ? { authorization: basic } : {} });
    if (!res.ok) throw new Error(`token realm ${realm} answered HTTP ${res.status}`);
    const { token } = (await res.json()) as { token: string };
    return `Bearer ${token}`;
  }
}

async function expectStatus(res: Response, ok: number[], what: string): Promise<void> {
  if (ok.includes(res.status)) {
    await res.body?.cancel();
    return;
  }
  const text = await res.text().catch(() => '');
  throw new Error(`registry refused to ${what}: HTTP ${res.status} ${text.slice(0, 300)}`);
}
