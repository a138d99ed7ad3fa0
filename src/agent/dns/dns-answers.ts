import type * as dnsPacket from 'dns-packet';
import { isIP } from 'node:net';
import type { Instance } from '../../client/types.js';
import { hexOfAddress, parseDnsName, type DnsLookup } from './dns-names.js';

/** Where answers come from: the agent's discovery cache and a node lookup, both serving stale data while no server answers. */
export interface DnsData {
  /** Every instance of the service, whatever its health (undefined: the agent could not learn it). */
  instances(service: string): Promise<readonly Instance[] | undefined>;
  nodeAddress(node: string): Promise<string | undefined>;
}

export interface DnsAnswerOptions {
  readonly domain: string;
  readonly datacenter: string;
  /** TTL of service answers (Consul's dns_config.service_ttl; default 0). */
  readonly serviceTtl: number;
  /** TTL of node answers (node_ttl; default 0). */
  readonly nodeTtl: number;
  /** Answer with instances whose checks warn too (Consul's only_passing=false); default passing only. */
  readonly includeWarning: boolean;
  /** The agent's address: the name server's glue record. */
  readonly nsAddress: string;
  /** Shuffles answers (injected so tests can fix the order). */
  readonly random?: () => number;
}

export const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;

/** An answer before its header: records, the response code, whether it is authoritative. */
export interface DnsReply {
  readonly rcode: number;
  readonly answers: dnsPacket.Answer[];
  readonly authorities: dnsPacket.Answer[];
  readonly additionals: dnsPacket.Answer[];
}

const fqdn = (name: string): string => name.replace(/\.$/, '');

function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Address records for `address` under `name` when it is of the asked family (ANY: both). */
function addressRecords(name: string, address: string, type: string, ttl: number): dnsPacket.Answer[] {
  const family = isIP(address);
  if (family === 4 && (type === 'A' || type === 'ANY')) return [{ type: 'A', name, ttl, data: address }];
  if (family === 6 && (type === 'AAAA' || type === 'ANY')) return [{ type: 'AAAA', name, ttl, data: address }];
  return [];
}

/**
 * Consul's DNS answers for one question, computed from the agent's data: NXDOMAIN for a name
 * that names nothing (with the SOA, so resolvers can cache the absence), NOERROR with no records
 * for a name that exists without records of the asked type.
 */
export class DnsAnswers {
  constructor(
    private readonly o: DnsAnswerOptions,
    private readonly data: DnsData,
  ) {}

  private get soa(): dnsPacket.Answer {
    const d = fqdn(this.o.domain);
    return { type: 'SOA', name: d, ttl: 0, data: { mname: `ns.${d}`, rname: `hostmaster.${d}`, serial: Math.floor(Date.now() / 1000), refresh: 3600, retry: 600, expire: 86400, minimum: 0 } };
  }

  private empty(rcode: number): DnsReply {
    return { rcode, answers: [], authorities: [this.soa], additionals: [] };
  }

  /** The reply for (name, type), or undefined when the name is outside the domain (a recursor's or REFUSED). */
  async answer(name: string, type: string): Promise<DnsReply | undefined> {
    const lookup = parseDnsName(name, this.o.domain);
    if (lookup === undefined) return undefined;
    return this.answerLookup(lookup, fqdn(name), type);
  }

  private async answerLookup(l: DnsLookup, name: string, type: string): Promise<DnsReply> {
    const d = fqdn(this.o.domain);
    switch (l.kind) {
      case 'apex': {
        if (type === 'SOA') return { rcode: RCODE.NOERROR, answers: [this.soa], authorities: [], additionals: [] };
        if (type === 'NS' || type === 'ANY') {
          return { rcode: RCODE.NOERROR, answers: [{ type: 'NS', name, ttl: 0, data: `ns.${d}` }], authorities: [], additionals: addressRecords(`ns.${d}`, this.o.nsAddress, 'ANY', 0) };
        }
        return this.empty(RCODE.NOERROR);
      }
      case 'addr': {
        const answers = addressRecords(name, l.address, type, this.o.nodeTtl);
        return answers.length > 0 ? { rcode: RCODE.NOERROR, answers, authorities: [], additionals: [] } : this.empty(RCODE.NOERROR);
      }
      case 'node': {
        if (l.dc !== undefined && l.dc !== this.o.datacenter.toLowerCase()) return this.empty(RCODE.NXDOMAIN);
        const address = await this.data.nodeAddress(l.node);
        if (address === undefined) return this.empty(RCODE.NXDOMAIN);
        const answers = addressRecords(name, address, type, this.o.nodeTtl);
        return answers.length > 0 ? { rcode: RCODE.NOERROR, answers, authorities: [], additionals: [] } : this.empty(RCODE.NOERROR);
      }
      case 'service':
        return this.service(l, name, type);
      case 'unknown':
        return this.empty(RCODE.NXDOMAIN);
    }
  }

  private async service(l: Extract<DnsLookup, { kind: 'service' }>, name: string, type: string): Promise<DnsReply> {
    const d = fqdn(this.o.domain);
    const dc = this.o.datacenter.toLowerCase();
    if (l.dc !== undefined && l.dc !== dc) return this.empty(RCODE.NXDOMAIN);
    const all = await this.data.instances(l.service);
    if (all === undefined) return { rcode: RCODE.SERVFAIL, answers: [], authorities: [], additionals: [] };
    const usable = all.filter((i) => (i.status === 'passing' || (this.o.includeWarning && i.status === 'warning')) && (l.tag === '' || i.tags.some((t) => t.toLowerCase() === l.tag)));
    if (usable.length === 0) return this.empty(RCODE.NXDOMAIN);
    const ttl = this.o.serviceTtl;
    const picked = shuffle(usable, this.o.random ?? Math.random);
    if (type === 'SRV') {
      const answers: dnsPacket.Answer[] = [];
      const additionals: dnsPacket.Answer[] = [];
      for (const i of picked) {
        const hex = hexOfAddress(i.address);
        const target = hex !== undefined ? `${hex}.addr.${dc}.${d}` : fqdn(i.address);
        const weight = i.status === 'warning' ? i.weights.warning : i.weights.passing;
        answers.push({ type: 'SRV', name, ttl, data: { priority: 1, weight: Math.max(1, Math.min(65_535, weight)), port: i.port, target } });
        additionals.push(...addressRecords(target, i.address, 'ANY', ttl));
      }
      return { rcode: RCODE.NOERROR, answers, authorities: [], additionals };
    }
    const answers = picked.flatMap((i) => addressRecords(name, i.address, type, ttl));
    return answers.length > 0 ? { rcode: RCODE.NOERROR, answers, authorities: [], additionals: [] } : this.empty(RCODE.NOERROR);
  }
}
