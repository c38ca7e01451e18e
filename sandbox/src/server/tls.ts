import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';

export interface ServingCertificate {
  /** PEM certificate, also the CA clients trust (self-signed). */
  cert: string;
  /** PEM PKCS#8 private key; never logged, never written anywhere but memory. */
  key: string;
}

/*
 * A minimal DER writer for one self-signed X.509 v3 certificate with an ECDSA P-256 key. Why not a
 * library: node-forge signs RSA only, and @peculiar/x509 needs a global reflect-metadata polyfill. Why
 * ECDSA: @kubernetes/client-node opens a new TLS connection per request, and an ECDSA handshake costs
 * the server far less than an RSA one (about 1.5x the request rate measured here).
 */
function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
const tlv = (tag: number, ...content: Buffer[]) => {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
};
const seq = (...parts: Buffer[]) => tlv(0x30, ...parts);
const set = (...parts: Buffer[]) => tlv(0x31, ...parts);
const explicit = (n: number, ...parts: Buffer[]) => tlv(0xa0 | n, ...parts);
const octets = (content: Buffer) => tlv(0x04, content);
const bits = (content: Buffer, unused = 0) => tlv(0x03, Buffer.from([unused]), content);
const bool = (value: boolean) => tlv(0x01, Buffer.from([value ? 0xff : 0]));
const integer = (bytes: Buffer) =>
  tlv(0x02, bytes[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);
const utf8 = (text: string) => tlv(0x0c, Buffer.from(text, 'utf8'));

function oid(dotted: string): Buffer {
  const [a = 0, b = 0, ...rest] = dotted.split('.').map(Number);
  const out = [40 * a + b];
  for (const arc of rest) {
    const chunk = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128))
      chunk.unshift((v & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

/** UTCTime (YYMMDDHHMMSSZ) for years before 2050, GeneralizedTime after, as RFC 5280 requires. */
function time(date: Date): Buffer {
  const iso = date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return date.getUTCFullYear() < 2050
    ? tlv(0x17, Buffer.from(`${iso.slice(2)}Z`))
    : tlv(0x18, Buffer.from(`${iso}Z`));
}

const ECDSA_WITH_SHA256 = seq(oid('1.2.840.10045.4.3.2'));

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));
}

/**
 * A fresh self-signed serving certificate for 127.0.0.1, localhost and `extraDnsNames` (ECDSA P-256, SHA-256, valid from
 * an hour ago for a year). client-go (kubectl, helm) sends bearer tokens only over TLS, so the
 * kubeconfig points at HTTPS and carries this certificate as its CA.
 */
export function selfSignedCertificate(extraDnsNames: string[] = []): ServingCertificate {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const name = seq(set(seq(oid('2.5.4.3'), utf8('kmm-hub-sandbox'))));
  const now = Date.now();
  const serial = randomBytes(16);
  // Positive and minimal in DER: a clear top bit needs no 0x00 pad, a set second bit means no leading zero byte
  // (a non-minimal INTEGER fails to parse in OpenSSL: "illegal padding").
  serial[0] = (serial[0]! & 0x7f) | 0x40;
  const tbs = seq(
    explicit(0, integer(Buffer.from([2]))),
    integer(serial),
    ECDSA_WITH_SHA256,
    name,
    seq(time(new Date(now - 60 * 60 * 1000)), time(new Date(now + 365 * 24 * 60 * 60 * 1000))),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
    explicit(
      3,
      seq(
        extension('2.5.29.19', true, seq(bool(true))), // basicConstraints: CA (it is its own root)
        extension('2.5.29.15', true, bits(Buffer.from([0x84]), 2)), // keyUsage: digitalSignature, keyCertSign
        extension('2.5.29.37', false, seq(oid('1.3.6.1.5.5.7.3.1'))), // extKeyUsage: serverAuth
        extension(
          '2.5.29.17', // subjectAltName: IP 127.0.0.1, DNS localhost
          false,
          seq(
            tlv(0x87, Buffer.from([127, 0, 0, 1])),
            tlv(0x82, Buffer.from('localhost')),
            ...extraDnsNames.map((n) => tlv(0x82, Buffer.from(n))),
          ),
        ),
      ),
    ),
  );
  const signature = sign('sha256', tbs, { key: privateKey, dsaEncoding: 'der' });
  const der = seq(tbs, ECDSA_WITH_SHA256, bits(signature));
  const pem = der
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n?$/, '\n');
  return {
    cert: `-----BEGIN CERTIFICATE-----\n${pem}-----END CERTIFICATE-----\n`,
    key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}
