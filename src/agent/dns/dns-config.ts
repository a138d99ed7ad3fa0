import type { FlagValues } from '../../flags/flags.js';
import { RosterError } from '../../util/errors.js';
import { isHostPort, splitHostPort } from '../../util/host-port.js';

/** Consul's DNS port. */
export const DNS_DEFAULT_PORT = 8600;

export interface DnsConfig {
  readonly addr: string;
  /** Given with --dns-addr: failing to bind it stops the agent. The default is best effort (logged). */
  readonly explicit: boolean;
  readonly domain: string;
  readonly serviceTtl: number;
  readonly nodeTtl: number;
  readonly includeWarning: boolean;
  readonly recursors: readonly string[];
}

const bad = (flag: string, why: string): RosterError => new RosterError('INVALID_CONFIG', `--${flag} ${why}`, { field: `--${flag}` });

/**
 * The agent's DNS settings: on by default at the local API's host, port 8600 (127.0.0.1:8600
 * for the usual --api-addr, Consul's default); `--dns-addr off` turns it off.
 */
export function dnsConfigFrom(f: FlagValues, apiAddr: string): DnsConfig | undefined {
  const given = f['dns-addr'];
  if (given === 'off') return undefined;
  const addr = given === undefined ? `${splitHostPort(apiAddr).host}:${DNS_DEFAULT_PORT}` : String(given);
  if (!isHostPort(addr)) throw bad('dns-addr', `must be host:port or off, got ${JSON.stringify(addr)}`);
  const domain = String(f.domain ?? 'consul').replace(/^\.|\.$/g, '').toLowerCase();
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(domain)) throw bad('domain', `must be a DNS name, got ${JSON.stringify(f.domain)}`);
  const ttl = (flag: string): number => {
    const v = f[flag];
    if (v === undefined) return 0;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 86_400) throw bad(flag, `must be 0-86400 seconds, got ${String(v)}`);
    return v;
  };
  const recursors = f.recursor === undefined ? [] : String(f.recursor).split(',').map((r) => r.trim()).filter((r) => r !== '');
  return { addr, explicit: given !== undefined, domain, serviceTtl: ttl('dns-service-ttl'), nodeTtl: ttl('dns-node-ttl'), includeWarning: f['dns-include-warning'] === true, recursors };
}

/** The agent's `dns` option from its flags (none without --api-addr: no local agent). */
export function dnsOption(f: FlagValues): { dns?: DnsConfig } {
  if (f['api-addr'] === undefined) return {};
  const c = dnsConfigFrom(f, String(f['api-addr']));
  return c === undefined ? {} : { dns: c };
}
