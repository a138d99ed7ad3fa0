import forge from 'node-forge';
import type { CertificateAuthority } from './ca.js';
import { newCertificate, signSha256, type PemPair } from './certificate-fields.js';
import { generateKeyPair } from './key-pair.js';
import { RosterError } from '../util/errors.js';
import { checkDnsNames, checkIpAddresses, checkNamePart, checkNodeLabel } from './subject-alt-names.js';

/** What a certificate is for, as in `consul tls cert create -server|-client|-cli`. */
export type LeafKind = 'server' | 'client' | 'cli';

/**
 * The extended key usages of each kind. A client agent also gets serverAuth, as Consul gives
 * agents: its local API serves TLS too. The CLI only ever dials.
 */
const PURPOSES: Readonly<Record<LeafKind, { readonly serverAuth: boolean; readonly clientAuth: true }>> = {
  server: { serverAuth: true, clientAuth: true },
  client: { serverAuth: true, clientAuth: true },
  cli: { serverAuth: false, clientAuth: true },
};

export interface LeafOptions {
  readonly kind: LeafKind;
  readonly datacenter: string;
  readonly domain: string;
  readonly days: number;
  /** A server's name: its certificate then also names `<node>.server.<dc>.<domain>` (who it is to its Raft peers). */
  readonly node?: string;
  readonly additionalDnsNames?: readonly string[];
  readonly additionalIpAddresses?: readonly string[];
  readonly now?: Date;
}

/** The name a member of this kind is known by: server.dc1.roster, what a peer checks. */
export function leafName(kind: LeafKind, datacenter: string, domain: string): string {
  return `${kind}.${datacenter}.${domain}`;
}

/**
 * The DNS names and IPs a leaf carries. A server is also `localhost` / 127.0.0.1 so a CLI on its
 * host can dial it by either (as Consul's server certificates allow).
 */
export function leafAltNames(o: LeafOptions): { dns: string[]; ip: string[] } {
  const name = leafName(o.kind, checkNamePart(o.datacenter, 'dc'), checkNamePart(o.domain, 'domain'));
  if (o.node !== undefined && o.kind !== 'server') throw new RosterError('INVALID_ARGUMENT', '--node is for server certificates (--server) only');
  const node = o.node === undefined ? [] : [`${checkNodeLabel(o.node)}.${name}`];
  // Servers and agents serve on their host too (the agent API on 127.0.0.1), as Consul's do.
  const local = o.kind !== 'cli';
  const dns = [name, ...node, ...(local ? ['localhost'] : []), ...checkDnsNames(o.additionalDnsNames ?? [], 'additional-dnsname')];
  const ip = [...(local ? ['127.0.0.1'] : []), ...checkIpAddresses(o.additionalIpAddresses ?? [], 'additional-ipaddress')];
  return { dns: [...new Set(dns)], ip: [...new Set(ip)] };
}

/** A certificate of `o.kind` signed by `ca`, with its own new key. */
export function createLeaf(ca: CertificateAuthority, o: LeafOptions): PemPair {
  const alt = leafAltNames(o);
  const keys = generateKeyPair();
  const cert = newCertificate(keys.publicKey, o.now ?? new Date(), o.days);
  cert.setSubject([{ name: 'commonName', value: alt.dns[0]! }]);
  cert.setIssuer(ca.cert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', ...PURPOSES[o.kind] },
    { name: 'subjectAltName', altNames: [...alt.dns.map((value) => ({ type: 2, value })), ...alt.ip.map((ip) => ({ type: 7, ip }))] },
    { name: 'subjectKeyIdentifier' },
    // The CA's key id, not this certificate's: forge's `keyIdentifier: true` would take the latter.
    { name: 'authorityKeyIdentifier', keyIdentifier: keyIdentifierOf(ca.cert) },
  ]);
  signSha256(cert, ca.key);
  return { certPem: forge.pki.certificateToPem(cert), keyPem: keys.privateKeyPem };
}

/** The CA's subjectKeyIdentifier as it states it, or (a CA without one) as forge derives it. */
function keyIdentifierOf(caCert: forge.pki.Certificate): string {
  const stated = caCert.getExtension('subjectKeyIdentifier');
  if (stated !== undefined && 'subjectKeyIdentifier' in stated && typeof stated.subjectKeyIdentifier === 'string') return forge.util.hexToBytes(stated.subjectKeyIdentifier);
  return caCert.generateSubjectKeyIdentifier().getBytes();
}
