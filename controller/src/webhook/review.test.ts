import { BadReviewError, parseReview, reviewManagedClusterModule } from './review';

const review = (object: unknown) => ({
  apiVersion: 'admission.k8s.io/v1',
  kind: 'AdmissionReview',
  request: { uid: 'u-1', operation: 'CREATE', object },
});

const mcm = (spokeNamespace: string, image = 'quay.io/org/mod:1') => ({
  apiVersion: 'hub.kmm.sigs.x-k8s.io/v1beta1',
  kind: 'ManagedClusterModule',
  metadata: { name: 'gpu' },
  spec: {
    spokeNamespace,
    selector: {},
    moduleSpec: {
      selector: {},
      moduleLoader: {
        container: {
          modprobe: { moduleName: 'gpu' },
          kernelMappings: [{ regexp: '^5', containerImage: image }],
        },
      },
    },
  },
});

test('a valid MCM is allowed, with the request uid', () => {
  expect(reviewManagedClusterModule(parseReview(review(mcm('kmm'))))).toEqual({
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    response: { uid: 'u-1', allowed: true },
  });
});

test('an invalid MCM is refused with every problem and its field path', () => {
  const { response } = reviewManagedClusterModule(
    parseReview(review(mcm('Bad NS', 'quay.io/org/mod'))),
  );
  expect(response.allowed).toBe(false);
  expect(response.status?.code).toBe(422);
  expect(response.status?.reason).toBe('Invalid');
  expect(response.status?.message).toMatch(
    /^ManagedClusterModule\.hub\.kmm\.sigs\.x-k8s\.io "gpu" is invalid: \[spec\.spokeNamespace: /,
  );
  expect(response.status?.details?.causes.map((c) => c.field)).toEqual([
    'spec.spokeNamespace',
    'spec.moduleSpec.moduleLoader.container.kernelMappings[0].containerImage',
  ]);
});

test('a DELETE (no object) is allowed', () => {
  const r = { ...review(undefined), request: { uid: 'u-2', operation: 'DELETE' } };
  expect(reviewManagedClusterModule(parseReview(r)).response).toEqual({
    uid: 'u-2',
    allowed: true,
  });
});

test('a body that is not an AdmissionReview v1 request is refused', () => {
  expect(() =>
    parseReview({
      kind: 'AdmissionReview',
      apiVersion: 'admission.k8s.io/v1beta1',
      request: { uid: 'x' },
    }),
  ).toThrow(BadReviewError);
  expect(() =>
    parseReview({ kind: 'AdmissionReview', apiVersion: 'admission.k8s.io/v1', request: {} }),
  ).toThrow(/request\.uid/);
});
