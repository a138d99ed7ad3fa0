import type { LeafKind } from './leaf-certificate.js';

/** The DNS names of a certificate's subjectAltName as Node prints it ("DNS:a, IP Address:1.2.3.4"). */
export function dnsNamesOf(subjectAltName: string | undefined): string[] {
  if (subjectAltName === undefined) return [];
  return subjectAltName
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.startsWith('DNS:'))
    .map((part) => part.slice(4).toLowerCase());
}

/** Whether a certificate names the role `kind` of this datacenter and domain (server.dc1.roster). */
export function hasRole(dnsNames: readonly string[], kind: LeafKind, datacenter: string, domain: string): boolean {
  return dnsNames.includes(`${kind}.${datacenter}.${domain}`.toLowerCase());
}

/**
 * The servers a certificate names, by `<node>.server.<dc>.<domain>` (made by `roster tls cert
 * create --server --node NAME`): who a Raft peer presenting it is, whatever its messages claim.
 */
export function serverNodesOf(dnsNames: readonly string[], datacenter: string, domain: string): string[] {
  const suffix = `.server.${datacenter}.${domain}`.toLowerCase();
  return dnsNames.filter((n) => n.endsWith(suffix) && !n.startsWith('*.')).map((n) => n.slice(0, -suffix.length)).filter((n) => n !== '' && !n.includes('.'));
}

/** The name a server's certificate must carry for the server called `node`. */
export function serverNodeName(node: string, datacenter: string, domain: string): string {
  return `${node}.server.${datacenter}.${domain}`.toLowerCase();
}
