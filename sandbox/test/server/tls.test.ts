import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { selfSignedCertificate } from '../../src/server/tls';

describe('self-signed serving certificate', () => {
  it('is a valid X.509 v3 ECDSA certificate for 127.0.0.1 that verifies with its own key', () => {
    const { cert, key } = selfSignedCertificate();
    const x509 = new X509Certificate(cert);
    expect(x509.subject).toBe('CN=kmm-hub-sandbox');
    expect(x509.issuer).toBe(x509.subject);
    expect(x509.ca).toBe(true);
    expect(x509.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(x509.checkHost('localhost')).toBe('localhost');
    expect(x509.subjectAltName).toBe('IP Address:127.0.0.1, DNS:localhost');
    // Node reports the extended key usage here: serverAuth.
    expect(x509.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(x509.publicKey.asymmetricKeyDetails).toEqual({ namedCurve: 'prime256v1' });
    expect(x509.verify(x509.publicKey)).toBe(true);
    expect(x509.checkPrivateKey(createPrivateKey(key))).toBe(true);
    const validFrom = Date.parse(x509.validFrom);
    expect(validFrom).toBeLessThan(Date.now());
    expect(Date.parse(x509.validTo)).toBeGreaterThan(Date.now() + 300 * 24 * 3600 * 1000);
    // A different certificate (and key) every time.
    expect(new X509Certificate(selfSignedCertificate().cert).serialNumber).not.toBe(
      x509.serialNumber,
    );
    expect(createPublicKey(key).equals(x509.publicKey)).toBe(true);
  });

  it('parses every time: serial numbers are minimal DER integers (a random leading zero byte once broke 1 start in 128)', () => {
    for (let i = 0; i < 1000; i++) {
      const x509 = new X509Certificate(selfSignedCertificate().cert);
      expect(x509.serialNumber).toMatch(/^[4-7][0-9A-F]{31}$/);
    }
  });
});
