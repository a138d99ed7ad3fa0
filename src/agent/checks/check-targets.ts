import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import type { FlagValues } from '../../flags/flags.js';
import { RosterError } from '../../util/errors.js';

/** Why a check target was refused (a registration's FAILED_PRECONDITION, a run's critical output). */
export const NOT_ALLOWED = 'not allowed by --check-allowed-hosts';

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * Where HTTP, TCP and gRPC checks may connect (Consul's concern with checks turned against the
 * host: a cloud metadata address, the agent's own /metrics). Entries are CIDRs
 * (`10.0.0.0/8`, `::1/128`), single addresses, host names (`db.internal`) and name suffixes
 * (`*.svc.internal`). No entries: anywhere, as Consul. A listed name may resolve anywhere (the
 * operator vouched for it); any other name must resolve only into the listed networks, checked
 * on the address actually dialled (the probes connect through `lookup`), so DNS answering
 * differently between the check and the connection cannot get around it.
 */
export class CheckTargetPolicy {
  private readonly networks = new BlockList();
  private readonly names = new Set<string>();
  private readonly suffixes: string[] = [];
  readonly open: boolean;

  constructor(entries: readonly string[]) {
    let hasNetwork = false;
    for (const raw of entries) {
      const e = raw.trim().toLowerCase();
      if (e === '') continue;
      if (e.includes('/')) {
        const [addr = '', bits = ''] = e.split('/', 2);
        const family = isIP(addr);
        const prefix = Number(bits);
        if (family === 0 || !/^\d{1,3}$/.test(bits) || prefix > (family === 4 ? 32 : 128)) throw new Error(`--check-allowed-hosts: ${JSON.stringify(raw)} is not a CIDR (address/prefix-length)`);
        this.networks.addSubnet(addr, prefix, family === 4 ? 'ipv4' : 'ipv6');
        hasNetwork = true;
      } else if (isIP(e) !== 0) {
        this.networks.addAddress(e, isIP(e) === 4 ? 'ipv4' : 'ipv6');
        hasNetwork = true;
      } else if (e.startsWith('*.') && /^[a-z0-9.-]+$/.test(e.slice(2))) {
        this.suffixes.push(e.slice(1));
      } else if (/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/.test(e)) {
        this.names.add(e);
      } else {
        throw new Error(`--check-allowed-hosts: ${JSON.stringify(raw)} is not a CIDR, an address, a host name or *.suffix`);
      }
    }
    this.open = !hasNetwork && this.names.size === 0 && this.suffixes.length === 0;
    this.hasNetworks = hasNetwork;
  }

  private readonly hasNetworks: boolean;

  /** Whether the name is listed (exactly or by a suffix). */
  private named(host: string): boolean {
    const h = host.toLowerCase().replace(/\.$/, '');
    return this.names.has(h) || this.suffixes.some((s) => h.endsWith(s));
  }

  allowsAddress(address: string): boolean {
    const family = isIP(address);
    if (family === 0) return false;
    return this.networks.check(address, family === 4 ? 'ipv4' : 'ipv6');
  }

  /**
   * At registration: the reason a check on `host` can never run here, or undefined. An address
   * must be in a listed network; a name must be listed, or could resolve into a listed network
   * (decided when it runs).
   */
  refusal(host: string): string | undefined {
    if (this.open) return undefined;
    const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
    if (isIP(bare) !== 0) return this.allowsAddress(bare) ? undefined : `${bare} is ${NOT_ALLOWED}`;
    if (this.named(bare) || this.hasNetworks) return undefined;
    return `${bare} is ${NOT_ALLOWED}`;
  }

  /** A dns.lookup for the probes' connections: the addresses a name resolves to, refused unless allowed. */
  readonly lookup = (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err !== null) return callback(err, []);
      const allowed = this.open || this.named(hostname) ? addresses : addresses.filter((a) => this.allowsAddress(a.address));
      if (allowed.length === 0) {
        const e: NodeJS.ErrnoException = new Error(`${hostname} (${addresses.map((a) => a.address).join(', ')}) is ${NOT_ALLOWED}`);
        e.code = 'ECHECKTARGET';
        return callback(e, []);
      }
      if (options.all === true) return callback(null, allowed);
      return callback(null, allowed[0]!.address, allowed[0]!.family);
    });
  };
}

/** No restriction (no --check-allowed-hosts). */
export const ANY_TARGET = new CheckTargetPolicy([]);

/** --check-allowed-hosts (a comma-separated list, check-targets.ts) as an option; absent: {} (anywhere). */
export function checkTargetsOption(f: FlagValues): { checkTargets?: CheckTargetPolicy } {
  const v = f['check-allowed-hosts'];
  if (v === undefined) return {};
  try {
    return { checkTargets: new CheckTargetPolicy(String(v).split(',')) };
  } catch (err) {
    throw new RosterError('INVALID_CONFIG', (err as Error).message, { field: '--check-allowed-hosts' });
  }
}

