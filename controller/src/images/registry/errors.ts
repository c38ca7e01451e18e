/** What went wrong when asking a registry, in the classes a person acts on differently. */
export type RegistryErrorKind = 'unauthorized' | 'unreachable' | 'tls' | 'other';

/** A registry check that could not tell whether the image exists; the message says what to check. */
export class RegistryError extends Error {
  constructor(
    readonly kind: RegistryErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'RegistryError';
  }
}

/** A failed request: what happened, and for a TLS failure what to change. */
export interface NetworkProblem {
  text: string;
  /** the TLS handshake failed: `fix` says what to change */
  tls?: { fix: string };
}

/** The CA bundle settings, named in every fix for a certificate the controller does not trust. */
const TRUST_FIX =
  "add the registry's CA to the controller's CA bundle (--registry-ca-file; chart value " +
  'controller.images.registryCA), or set registryTLS.insecureSkipTLSVerify on the Module';

// OpenSSL's verify errors as Node reports them (err.code), by what a person does about them.
const UNTRUSTED = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
]);
const EXPIRED = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);
// A TLS client talking to a plain-HTTP port gets bytes that are no TLS record.
const NOT_TLS = new Set([
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'ERR_SSL_PACKET_LENGTH_TOO_LONG',
  'ERR_SSL_HTTP_REQUEST',
]);

function tlsFix(code: string, message: string | undefined): string | undefined {
  if (UNTRUSTED.has(code))
    return `the registry's certificate is not signed by a CA the controller trusts (${code}): ${TRUST_FIX}`;
  if (EXPIRED.has(code))
    return `the registry's certificate is outside its validity period (${code}): renew it on the registry`;
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID')
    return (
      `the registry's certificate is not valid for the host name in the image reference (${message ?? code}): ` +
      'name the registry in the image by a host its certificate lists, or reissue the certificate for this ' +
      'host; registryTLS.insecureSkipTLSVerify skips the check'
    );
  if (NOT_TLS.has(code))
    return `the registry does not speak HTTPS on this port (${code}): set registryTLS.insecure for a plain-HTTP registry`;
  if (/CERT|SSL|TLS/.test(code)) return `TLS failed (${code}): ${TRUST_FIX}`;
  return undefined;
}

/** Socket, DNS, TLS and timeout failures, as undici and AbortSignal report them. */
export function describeNetworkProblem(error: unknown, timeoutMs?: number): NetworkProblem {
  const parts: string[] = [];
  let e: unknown = error;
  for (let depth = 0; e && depth < 4; depth++) {
    const { name, code, message } = e as { name?: string; code?: string; message?: string };
    if (name === 'TimeoutError' || code === 'UND_ERR_CONNECT_TIMEOUT')
      return {
        text:
          timeoutMs === undefined
            ? 'the request timed out'
            : `no answer within ${timeoutMs} ms (--registry-timeout)`,
      };
    if (code) {
      const fix = tlsFix(code, message);
      if (fix) return { text: fix, tls: { fix } };
      parts.push(code);
    } else if (message && parts.length === 0) parts.push(message);
    e = (e as { cause?: unknown }).cause;
  }
  return { text: parts.join(': ') || String(error) };
}

/** describeNetworkProblem's text alone. */
export function networkProblem(error: unknown, timeoutMs?: number): string {
  return describeNetworkProblem(error, timeoutMs).text;
}
