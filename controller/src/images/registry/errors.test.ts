import { describeNetworkProblem } from './errors';

// undici wraps the socket's error: TypeError('fetch failed') with the TLS or socket error as its cause.
const wrapped = (code: string, message = code) =>
  Object.assign(new TypeError('fetch failed'), {
    cause: Object.assign(new Error(message), { code }),
  });

describe('describeNetworkProblem', () => {
  it('names the CA bundle settings for a certificate the controller does not trust', () => {
    for (const code of [
      'DEPTH_ZERO_SELF_SIGNED_CERT',
      'SELF_SIGNED_CERT_IN_CHAIN',
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    ]) {
      const p = describeNetworkProblem(wrapped(code));
      expect(p.tls?.fix).toContain(code);
      expect(p.tls?.fix).toContain('--registry-ca-file');
      expect(p.tls?.fix).toContain('controller.images.registryCA');
      expect(p.tls?.fix).toContain('insecureSkipTLSVerify');
    }
  });

  it('tells a host name mismatch, an expired certificate and a plain-HTTP port apart', () => {
    const altname = describeNetworkProblem(
      wrapped(
        'ERR_TLS_CERT_ALTNAME_INVALID',
        "Hostname/IP does not match certificate's altnames: IP: 127.0.0.1 is not in the cert's list: ",
      ),
    );
    expect(altname.tls?.fix).toMatch(/not valid for the host name.*IP: 127\.0\.0\.1 is not in/);
    expect(altname.tls?.fix).not.toContain('--registry-ca-file');
    expect(describeNetworkProblem(wrapped('CERT_HAS_EXPIRED')).tls?.fix).toContain('renew it');
    expect(describeNetworkProblem(wrapped('ERR_SSL_WRONG_VERSION_NUMBER')).tls?.fix).toContain(
      'set registryTLS.insecure',
    );
  });

  it('says how long it waited for a timeout, and keeps socket errors as they are', () => {
    const timeout = Object.assign(new Error('The operation was aborted due to timeout'), {
      name: 'TimeoutError',
    });
    expect(describeNetworkProblem(timeout, 1500)).toEqual({
      text: 'no answer within 1500 ms (--registry-timeout)',
    });
    expect(describeNetworkProblem(wrapped('UND_ERR_CONNECT_TIMEOUT'), 10_000).text).toContain(
      '10000 ms',
    );
    expect(describeNetworkProblem(wrapped('ECONNREFUSED'))).toEqual({
      text: 'fetch failed: ECONNREFUSED',
    });
  });
});
