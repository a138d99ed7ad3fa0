import { randomBytes } from 'node:crypto';
import forge from 'node-forge';

/** A certificate and its private key, both PEM, as the files hold them. */
export interface PemPair {
  readonly certPem: string;
  readonly keyPem: string;
}

/** How far back a certificate's validity starts, so a peer whose clock is a little behind accepts it. */
const BACKDATE_MS = 60_000;

/**
 * A random 128-bit serial number, as hex. The top bit is cleared (a DER INTEGER with it set
 * would be negative) and the next one set (so the encoding is minimal: no leading zero byte),
 * leaving 126 random bits, as unguessable as RFC 5280 asks.
 */
export function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x40;
  return bytes.toString('hex');
}

/** A new certificate for `publicKey`: serial, validity from a minute before `now` for `days`. */
export function newCertificate(publicKey: forge.pki.rsa.PublicKey, now: Date, days: number): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = randomSerial();
  cert.validity.notBefore = new Date(now.getTime() - BACKDATE_MS);
  cert.validity.notAfter = new Date(now.getTime() + days * 86_400_000);
  return cert;
}

export function signSha256(cert: forge.pki.Certificate, issuerKey: forge.pki.rsa.PrivateKey): void {
  cert.sign(issuerKey, forge.md.sha256.create());
}
