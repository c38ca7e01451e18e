import { imagesVerifiedCondition } from './image-condition';
import type { ImageStatus } from './types';

const image = (name: string, extra: Partial<ImageStatus> = {}): ImageStatus => ({
  image: name,
  kernelVersions: ['5.14.0-1.el9.x86_64'],
  clusters: 3,
  state: 'Ready',
  build: false,
  sign: false,
  ...extra,
});

describe('imagesVerifiedCondition', () => {
  it('is absent without images and True when every registry answered', () => {
    expect(imagesVerifiedCondition([], 1)).toBeUndefined();
    expect(
      imagesVerifiedCondition([image('quay.io/a/b:1', { reason: 'BuildSucceeded' })], 4),
    ).toEqual({
      type: 'ImagesVerified',
      status: 'True',
      reason: 'AsExpected',
      message: 'No registry problem with the image',
      observedGeneration: 4,
    });
  });

  it('groups failing images by registry and reason, largest first, naming the error and the fix', () => {
    const c = imagesVerifiedCondition(
      [
        image('quay.io/a/drv:1', {
          digest: `sha256:${'1'.repeat(64)}`,
          reason: 'RegistryUnreachable',
          message: 'cannot check quay.io/a/drv:1: quay.io answered HTTP 503',
        }),
        image('quay.io/a/drv:2', { reason: 'RegistryUnreachable', message: 'm2' }),
        image('registry.local:5000/x/y:1', {
          state: 'Unknown',
          reason: 'RegistryTLSFailed',
          message:
            'cannot check registry.local:5000/x/y:1: the TLS handshake with registry.local:5000 failed: add the CA',
        }),
        image('docker.io/library/ok:1'),
      ],
      2,
    )!;
    expect(c).toMatchObject({ status: 'False', reason: 'RegistryUnreachable' });
    expect(c.message).toBe(
      '3 of 4 images could not be checked in their registries. ' +
        'quay.io (RegistryUnreachable, 2 images): cannot check quay.io/a/drv:1: quay.io answered HTTP 503 ' +
        '(also quay.io/a/drv:2). registry.local:5000 (RegistryTLSFailed, 1 image): cannot check ' +
        'registry.local:5000/x/y:1: the TLS handshake with registry.local:5000 failed: add the CA. ' +
        'Nothing rolled out is withdrawn: ManifestWorks keep the last digest seen. ' +
        'kmm-hub retries with backoff and clears this once the registry answers',
    );
  });

  it('says that clusters wait when no digest was ever seen', () => {
    const c = imagesVerifiedCondition(
      [image('q.io/a:1', { state: 'Unknown', reason: 'ImageRepoSecretMissing', message: 'm' })],
      1,
    )!;
    expect(c.reason).toBe('ImageRepoSecretMissing');
    expect(c.message).toContain('Clusters needing an image never seen wait for it');
  });
});
