import { isIP } from 'node:net';

/** What a name under Roster's DNS domain asks for (Consul's lookup forms). */
export type DnsLookup =
  /** `[TAG.]NAME.service[.DC].DOMAIN`, or RFC 2782's `_NAME._TAG.service[.DC].DOMAIN` (`_tcp`: any tag). */
  | { readonly kind: 'service'; readonly service: string; readonly tag: string; readonly dc: string | undefined }
  /** `NODE.node[.DC].DOMAIN`. */
  | { readonly kind: 'node'; readonly node: string; readonly dc: string | undefined }
  /** `HEX.addr[.DC].DOMAIN`: an address an SRV answer pointed at (Consul's form). */
  | { readonly kind: 'addr'; readonly address: string }
  /** The domain itself (SOA, NS). */
  | { readonly kind: 'apex' }
  /** Under the domain but no form Roster answers: NXDOMAIN. */
  | { readonly kind: 'unknown' };

/** Lower-case labels of a name, without the root dot. */
export function labelsOf(name: string): string[] {
  const trimmed = name.replace(/\.$/, '').toLowerCase();
  return trimmed === '' ? [] : trimmed.split('.');
}

/** The labels of `name` before `domain` (both as labels), or undefined when the name is not under it. */
function underDomain(labels: readonly string[], domain: readonly string[]): string[] | undefined {
  if (labels.length < domain.length) return undefined;
  for (let i = 1; i <= domain.length; i++) if (labels[labels.length - i] !== domain[domain.length - i]) return undefined;
  return labels.slice(0, labels.length - domain.length);
}

/** An address in Consul's hex form (7f000001 for 127.0.0.1; 32 hex digits for IPv6). */
export function hexOfAddress(address: string): string | undefined {
  const family = isIP(address);
  if (family === 4) return address.split('.').map((o) => Number(o).toString(16).padStart(2, '0')).join('');
  if (family !== 6) return undefined;
  // A zone (fe80::1%eth0) is not part of the address; an IPv4 tail (::ffff:10.0.0.5) is its last two groups.
  let text = address.replace(/%.*$/, '');
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4 !== null) {
    const [a = 0, b = 0, c = 0, d = 0] = v4.slice(1).map(Number);
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  return hexOfIpv6(text);
}

/** The 32 hex digits of an IPv6 address written in groups (with at most one ::). */
function hexOfIpv6(address: string): string {
  const [head = '', tail = ''] = address.split('::');
  const h = head === '' ? [] : head.split(':');
  const t = tail === '' ? [] : address.includes('::') ? tail.split(':') : [];
  const groups = address.includes('::') ? [...h, ...new Array<string>(8 - h.length - t.length).fill('0'), ...t] : address.split(':');
  return groups.map((g) => g.padStart(4, '0')).join('');
}

function addressOfHex(hex: string): string | undefined {
  if (/^[0-9a-f]{8}$/.test(hex)) return [0, 2, 4, 6].map((i) => parseInt(hex.slice(i, i + 2), 16)).join('.');
  if (/^[0-9a-f]{32}$/.test(hex)) return Array.from({ length: 8 }, (_, i) => hex.slice(i * 4, i * 4 + 4)).join(':');
  return undefined;
}

/**
 * What `name` asks of the domain `domain` (e.g. "consul"), or undefined when it is outside
 * (a recursor's business). The datacenter label is optional wherever Consul allows it.
 */
export function parseDnsName(name: string, domain: string): DnsLookup | undefined {
  const rest = underDomain(labelsOf(name), labelsOf(domain));
  if (rest === undefined) return undefined;
  if (rest.length === 0) return { kind: 'apex' };
  // The kind label is the last, or the one before a datacenter.
  const at = (kind: string): number => (rest.at(-1) === kind ? rest.length - 1 : rest.at(-2) === kind ? rest.length - 2 : -1);
  const svc = at('service');
  if (svc > 0) {
    const dc = svc === rest.length - 2 ? rest.at(-1) : undefined;
    const parts = rest.slice(0, svc);
    if (parts.length === 2 && parts[0]!.startsWith('_') && parts[1]!.startsWith('_')) {
      const tag = parts[1]!.slice(1);
      return { kind: 'service', service: parts[0]!.slice(1), tag: tag === 'tcp' ? '' : tag, dc };
    }
    if (parts.length === 1) return { kind: 'service', service: parts[0]!, tag: '', dc };
    if (parts.length === 2) return { kind: 'service', service: parts[1]!, tag: parts[0]!, dc };
    return { kind: 'unknown' };
  }
  const node = at('node');
  if (node > 0) {
    const dc = node === rest.length - 2 ? rest.at(-1) : undefined;
    // Node names may hold dots: everything before "node".
    return { kind: 'node', node: rest.slice(0, node).join('.'), dc };
  }
  const addr = at('addr');
  if (addr === 1) {
    const address = addressOfHex(rest[0]!);
    return address === undefined ? { kind: 'unknown' } : { kind: 'addr', address };
  }
  return { kind: 'unknown' };
}
