import { isIP } from 'node:net';

/**
 * Whether a peer call comes from where its claimed sender lives (used while the peer port has
 * no TLS, so nothing else proves who sent a call). `roster-from` is whatever the caller writes;
 * the source IP of its connection is what the network gives it. A member's peer address is in
 * the membership (the address book), so a call claiming to be that member from another IP is
 * refused.
 *
 * Only what can be compared is judged: the claimed member's address must be known (a joiner
 * with an empty data dir knows nobody's yet) and its host an IP literal (a DNS name would need
 * a lookup; such members are not bound to their source) and not a wildcard. Undefined when the
 * call may pass, otherwise why not, for the refusal.
 *
 * `callPeer` is grpc's `call.getPeer()`: `1.2.3.4:5678`, `[::1]:5678` or `::ffff:1.2.3.4:5678`.
 */
export function sourceMismatch(claimedAddress: string | undefined, callPeer: string): string | undefined {
  if (claimedAddress === undefined) return undefined;
  const expected = ipOfAddress(claimedAddress);
  if (expected === undefined || isWildcard(expected)) return undefined;
  const actual = ipOfPeer(callPeer);
  if (actual !== undefined && sameIp(expected, actual)) return undefined;
  return `the call comes from ${actual ?? JSON.stringify(callPeer)}, but that member's peer address is ${claimedAddress}`;
}

/** The IP literal of a `host:port` (or `[v6]:port`), undefined for a DNS name. */
export function ipOfAddress(address: string): string | undefined {
  const host = address.startsWith('[') ? address.slice(1, address.indexOf(']')) : address.slice(0, address.lastIndexOf(':'));
  return isIP(host) === 0 ? undefined : host;
}

function ipOfPeer(peer: string): string | undefined {
  if (peer.startsWith('[')) return ipOfAddress(peer);
  const lastColon = peer.lastIndexOf(':');
  const host = lastColon < 0 ? peer : peer.slice(0, lastColon);
  return isIP(host) === 0 ? undefined : host;
}

function isWildcard(ip: string): boolean {
  return ip === '0.0.0.0' || ip === '::';
}

/** Equal IPs, an IPv4-mapped IPv6 address (a dual-stack listener's view) equal to its IPv4. */
function sameIp(a: string, b: string): boolean {
  return unmapped(a).toLowerCase() === unmapped(b).toLowerCase();
}

function unmapped(ip: string): string {
  return ip.toLowerCase().startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
}
