import forge from 'node-forge';
import { RosterError } from '../util/errors.js';
import { newCertificate, randomSerial, signSha256, type PemPair } from './certificate-fields.js';
import { generateKeyPair } from './key-pair.js';

/** A loaded CA, ready to sign leaf certificates. */
export interface CertificateAuthority {
  readonly cert: forge.pki.Certificate;
  readonly key: forge.pki.rsa.PrivateKey;
}

export interface CaOptions {
  /** Default: "Roster Agent CA <domain> <random>", so two CAs of one domain are told apart. */
  readonly commonName?: string;
  readonly domain: string;
  readonly days: number;
  readonly now?: Date;
}

/** A self-signed CA that may sign certificates (and CRLs), nothing else. */
export function createCa(o: CaOptions): PemPair {
  const keys = generateKeyPair();
  const cert = newCertificate(keys.publicKey, o.now ?? new Date(), o.days);
  const subject = [{ name: 'commonName', value: o.commonName ?? `Roster Agent CA ${o.domain} ${randomSerial().slice(0, 8)}` }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: true },
  ]);
  signSha256(cert, keys.privateKey);
  return { certPem: forge.pki.certificateToPem(cert), keyPem: keys.privateKeyPem };
}

/**
 * Reads a CA from PEM, refusing what cannot sign: a certificate that is not a CA, a key that is
 * not the certificate's, or one forge cannot use (forge signs with RSA keys only).
 */
export function loadCa(pem: PemPair, files: { cert: string; key: string }): CertificateAuthority {
  let cert: forge.pki.Certificate;
  let key: forge.pki.rsa.PrivateKey;
  try {
    cert = forge.pki.certificateFromPem(pem.certPem);
  } catch (err) {
    throw new RosterError('INVALID_ARGUMENT', `${files.cert} is not an RSA certificate in PEM (${(err as Error).message})`);
  }
  try {
    key = forge.pki.privateKeyFromPem(pem.keyPem);
  } catch (err) {
    throw new RosterError('INVALID_ARGUMENT', `${files.key} is not an RSA private key in PEM (${(err as Error).message})`);
  }
  const constraints = cert.getExtension('basicConstraints');
  if (constraints === undefined || !('cA' in constraints) || constraints.cA !== true) throw new RosterError('INVALID_ARGUMENT', `${files.cert} is not a CA certificate (no basicConstraints cA=true)`);
  const certKey = cert.publicKey as forge.pki.rsa.PublicKey;
  if (certKey.n.compareTo(key.n) !== 0 || certKey.e.compareTo(key.e) !== 0) throw new RosterError('INVALID_ARGUMENT', `${files.key} is not the private key of ${files.cert}`);
  return { cert, key };
}
