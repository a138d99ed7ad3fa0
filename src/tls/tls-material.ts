import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { join } from 'node:path';
import { RosterError } from '../util/errors.js';
import type { TlsSettings } from './tls-settings.js';

/** What a TLS listener or dialer needs, read from the configured files and checked. */
export interface TlsMaterial {
  /** Every trusted CA certificate, PEM. */
  readonly ca: Buffer;
  /** This member's certificate (PEM, chain allowed) and key; absent for a dial-only CLI without one. */
  readonly cert?: Buffer;
  readonly key?: Buffer;
  /** This member's certificate, parsed. */
  readonly leaf?: X509Certificate;
}

/**
 * Reads and checks the files of `s`, failing closed with the file named: unreadable, not PEM,
 * a key that is not the certificate's, a certificate no configured CA issued, or one that is
 * expired or not yet valid. A server must never come up serving a certificate peers refuse.
 */
export function loadTlsMaterial(s: Pick<TlsSettings, 'caFile' | 'caPath' | 'certFile' | 'keyFile'>, now: Date = new Date()): TlsMaterial {
  const cas = [...(s.caFile === undefined ? [] : certificatesIn(s.caFile, 'ca_file')), ...(s.caPath === undefined ? [] : caPathCertificates(s.caPath))];
  if (cas.length === 0) throw new RosterError('TLS_CONFIG', 'TLS: no CA certificate: set ca_file or ca_path');
  for (const ca of cas) if (!ca.cert.ca) throw new RosterError('TLS_CONFIG', `TLS: ${ca.file} holds a certificate that is not a CA (${ca.cert.subject.replace(/\n/g, ', ')})`);
  const caPem = Buffer.from(cas.map((c) => c.cert.toString()).join(''));
  if (s.certFile === undefined || s.keyFile === undefined) return usable({ ca: caPem }, s, cas, now);
  const chain = certificatesIn(s.certFile, 'cert_file');
  const leaf = chain[0]!.cert;
  const keyPem = readTlsFile(s.keyFile, 'key_file');
  let key: KeyObject;
  try {
    key = createPrivateKey(keyPem);
  } catch (err) {
    throw new RosterError('TLS_CONFIG', `TLS: key_file ${s.keyFile} is not a private key in PEM (${(err as Error).message})`);
  }
  if (!leaf.checkPrivateKey(key)) throw new RosterError('TLS_CONFIG', `TLS: key_file ${s.keyFile} is not the key of cert_file ${s.certFile}`);
  if (!cas.some((ca) => issuedBy(chain.map((c) => c.cert), ca.cert))) throw new RosterError('TLS_CONFIG', `TLS: cert_file ${s.certFile} was not issued by the configured CA (ca_file/ca_path): peers would refuse it`);
  checkValidity(leaf, s.certFile, now);
  return usable({ ca: caPem, cert: Buffer.from(chain.map((c) => c.cert.toString()).join('')), key: keyPem, leaf }, s, cas, now);
}

/**
 * What OpenSSL itself refuses (a key too small for its security level, say) is found here, with
 * the files named, rather than when a listener starts or a reload is half applied.
 */
function usable(m: TlsMaterial, s: Pick<TlsSettings, 'caFile' | 'caPath' | 'certFile' | 'keyFile'>, cas: readonly { file: string; cert: X509Certificate }[], now: Date): TlsMaterial {
  // An expired CA would pass the checks above and then fail every handshake, naming nothing.
  for (const ca of cas) if (Date.parse(ca.cert.validTo) <= now.getTime()) throw new RosterError('TLS_CONFIG', `TLS: the CA in ${ca.file} (${ca.cert.subject.replace(/\n/g, ', ')}) expired on ${ca.cert.validTo}`);
  try {
    createSecureContext({ ca: m.ca, ...(m.cert === undefined ? {} : { cert: m.cert }), ...(m.key === undefined ? {} : { key: m.key }) });
  } catch (err) {
    const files = [s.certFile, s.keyFile, s.caFile ?? s.caPath].filter((f) => f !== undefined).join(', ');
    throw new RosterError('TLS_CONFIG', `TLS: OpenSSL refuses ${files}: ${(err as Error).message}`);
  }
  return m;
}

/** Seconds until `leaf` expires (negative once it has). */
export function secondsUntilExpiry(leaf: X509Certificate, now: Date = new Date()): number {
  return Math.floor((Date.parse(leaf.validTo) - now.getTime()) / 1000);
}

function checkValidity(leaf: X509Certificate, file: string, now: Date): void {
  if (Date.parse(leaf.validFrom) > now.getTime()) throw new RosterError('TLS_CONFIG', `TLS: cert_file ${file} is not valid before ${leaf.validFrom}`);
  if (secondsUntilExpiry(leaf, now) <= 0) throw new RosterError('TLS_CONFIG', `TLS: cert_file ${file} expired on ${leaf.validTo}: make a new one (roster tls cert create)`);
}

/** Whether the chain's last certificate is `ca` itself or was signed by it. */
function issuedBy(chain: readonly X509Certificate[], ca: X509Certificate): boolean {
  for (let i = 0; i + 1 < chain.length; i++) if (!(chain[i]!.checkIssued(chain[i + 1]!) && chain[i]!.verify(chain[i + 1]!.publicKey))) return false;
  const top = chain[chain.length - 1]!;
  return top.fingerprint256 === ca.fingerprint256 || (top.checkIssued(ca) && top.verify(ca.publicKey));
}

function readTlsFile(file: string, setting: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new RosterError('TLS_CONFIG', `TLS: cannot read ${setting} ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

const PEM_CERTIFICATE_START = /-----BEGIN CERTIFICATE-----/;
const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Every certificate of a PEM file (at least one, or the file is refused). */
function certificatesIn(file: string, setting: string): { file: string; cert: X509Certificate }[] {
  const text = readTlsFile(file, setting).toString('utf8');
  const blocks = text.match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) throw new RosterError('TLS_CONFIG', `TLS: ${setting} ${file} holds no PEM certificate`);
  return blocks.map((b) => {
    try {
      return { file, cert: new X509Certificate(b) };
    } catch (err) {
      throw new RosterError('TLS_CONFIG', `TLS: ${setting} ${file} holds a certificate that does not parse (${(err as Error).message})`);
    }
  });
}

/** ca_path: every .pem/.crt file of the folder (Consul reads the folder's certificates). */
function caPathCertificates(dir: string): { file: string; cert: X509Certificate }[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => /\.(pem|crt)$/i.test(n)).sort();
  } catch (err) {
    throw new RosterError('TLS_CONFIG', `TLS: cannot read ca_path ${dir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  // A key kept beside the CA holds no certificate: skipped, not refused.
  const found = names.filter((n) => PEM_CERTIFICATE_START.test(readTlsFile(join(dir, n), 'ca_path file').toString('utf8'))).flatMap((n) => certificatesIn(join(dir, n), 'ca_path file'));
  if (found.length === 0) throw new RosterError('TLS_CONFIG', `TLS: ca_path ${dir} has no .pem or .crt file holding a certificate`);
  return found;
}
