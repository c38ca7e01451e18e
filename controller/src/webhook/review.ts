import { validateManagedClusterModule, type ValidationProblem } from '../model';

/*
 * The validating admission webhook's decision, pure: an AdmissionReview (admission.k8s.io/v1) in, the
 * AdmissionReview response out. A ManagedClusterModule is refused with every problem the model finds, each
 * with its full field path, in kube-apiserver's invalid-object style, so that `kubectl apply` and the
 * console's YAML editor show what to fix.
 */

export interface AdmissionRequest {
  uid: string;
  operation?: string;
  object?: unknown;
  name?: string;
}

export interface AdmissionReviewResponse {
  apiVersion: 'admission.k8s.io/v1';
  kind: 'AdmissionReview';
  response: {
    uid: string;
    allowed: boolean;
    status?: {
      code: number;
      reason: string;
      message: string;
      details?: {
        name?: string;
        kind: string;
        causes: { field: string; message: string; reason: string }[];
      };
    };
  };
}

/** A body that is not an AdmissionReview v1 request: answered with 400 by the server. */
export class BadReviewError extends Error {}

export function parseReview(body: unknown): AdmissionRequest {
  const review = body as {
    apiVersion?: unknown;
    kind?: unknown;
    request?: Partial<AdmissionRequest>;
  } | null;
  if (!review || review.kind !== 'AdmissionReview' || review.apiVersion !== 'admission.k8s.io/v1') {
    throw new BadReviewError('expected an AdmissionReview of apiVersion admission.k8s.io/v1');
  }
  const request = review.request;
  if (!request || typeof request.uid !== 'string' || request.uid === '') {
    throw new BadReviewError('the AdmissionReview has no request.uid');
  }
  return request as AdmissionRequest;
}

export function invalidMessage(name: string, problems: ValidationProblem[]): string {
  const listed = problems.map((p) => (p.field ? `${p.field}: ${p.message}` : p.message));
  const joined = listed.length === 1 ? listed[0] : `[${listed.join(', ')}]`;
  return `ManagedClusterModule.hub.kmm.sigs.x-k8s.io "${name}" is invalid: ${joined}`;
}

/** Checks the request's object; DELETE and other operations without an object are allowed. */
export function reviewManagedClusterModule(request: AdmissionRequest): AdmissionReviewResponse {
  const allow = (): AdmissionReviewResponse => ({
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    response: { uid: request.uid, allowed: true },
  });
  if (request.object === undefined || request.object === null) return allow();
  const problems = validateManagedClusterModule(request.object);
  if (problems.length === 0) return allow();
  const name =
    (request.object as { metadata?: { name?: unknown } }).metadata?.name ?? request.name ?? '';
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    response: {
      uid: request.uid,
      allowed: false,
      status: {
        code: 422,
        reason: 'Invalid',
        message: invalidMessage(String(name), problems),
        details: {
          name: String(name),
          kind: 'ManagedClusterModule',
          causes: problems.map((p) => ({
            field: p.field,
            message: p.message,
            reason: 'FieldValueInvalid',
          })),
        },
      },
    },
  };
}
