import { isIP } from 'node:net';
import { RosterError } from '../util/errors.js';

/** One DNS label: letters, digits and hyphens, not starting or ending with a hyphen (RFC 1123). */
const LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;

/** A host name a certificate may carry; a leading "*." (a wildcard) is allowed. */
export function isDnsName(name: string): boolean {
  if (name.length === 0 || name.length > 253) return false;
  const labels = (name.startsWith('*.') ? name.slice(2) : name).split('.');
  return labels.every((l) => LABEL.test(l));
}

/** The names checked: a bad one is refused in one line naming it and the flag it came from. */
export function checkDnsNames(names: readonly string[], flag: string): string[] {
  for (const n of names) if (!isDnsName(n)) throw new RosterError('INVALID_ARGUMENT', `--${flag}: ${JSON.stringify(n)} is not a DNS name`);
  return [...names];
}

/** The addresses checked (IPv4 or IPv6): a bad one is refused in one line. */
export function checkIpAddresses(addresses: readonly string[], flag: string): string[] {
  for (const a of addresses) if (isIP(a) === 0) throw new RosterError('INVALID_ARGUMENT', `--${flag}: ${JSON.stringify(a)} is not an IP address`);
  return [...addresses];
}

/** The domain and datacenter end up in DNS names (server.dc1.roster): each must be one. */
export function checkNamePart(value: string, flag: string): string {
  if (!isDnsName(value) || value.startsWith('*.')) throw new RosterError('INVALID_ARGUMENT', `--${flag}: ${JSON.stringify(value)} is not a DNS name`);
  return value;
}

/** A server's name as the first label of `<node>.server.dc1.roster`: one DNS label. */
export function checkNodeLabel(node: string): string {
  if (!LABEL.test(node)) throw new RosterError('INVALID_ARGUMENT', `--node: ${JSON.stringify(node)} must be one DNS label (letters, digits, hyphens) to name a server in its certificate`);
  return node.toLowerCase();
}
