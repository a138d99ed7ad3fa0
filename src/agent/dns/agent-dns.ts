import type { Dialer } from '../../client/dialer.js';
import { Endpoints } from '../../client/endpoints.js';
import type { Instance } from '../../client/types.js';
import { registryProto } from '../../proto/registry-proto.js';
import type { Logger } from '../../util/logger.js';
import type { AgentDiscovery } from '../local/agent-discovery.js';
import { DnsAnswers, type DnsData } from './dns-answers.js';
import type { DnsConfig } from './dns-config.js';
import { DnsServer } from './dns-server.js';

/** How long a DNS answer waits for a query's first snapshot before SERVFAIL (a resolver retries). */
const FIRST_ANSWER_MS = 2000;
/** Node addresses remembered for answering while no server does. */
const NODES_REMEMBERED = 4096;

/**
 * The agent's DNS data: services from its discovery cache (one watch per service, shared with
 * the local API; stale answers while servers are down), node addresses read from the servers
 * (stale reads, any server) and remembered for an outage.
 */
class AgentDnsData implements DnsData {
  private readonly nodes = new Map<string, string>();
  private endpoints: Endpoints | undefined;

  constructor(
    private readonly discovery: AgentDiscovery,
    private readonly servers: () => readonly string[],
    private readonly dial: Dialer,
  ) {}

  async instances(service: string): Promise<readonly Instance[] | undefined> {
    const cache = await this.discovery.cacheWhenReady(service, true);
    const ready = await Promise.race([cache.ready().then(() => true, () => false), new Promise<boolean>((r) => setTimeout(() => r(false), FIRST_ANSWER_MS).unref())]);
    if (!ready && cache.revision === 0) return undefined;
    return cache.instances();
  }

  async nodeAddress(node: string): Promise<string | undefined> {
    const addrs = this.servers();
    try {
      if (addrs.length === 0) throw new Error('no server known');
      if (this.endpoints === undefined) this.endpoints = new Endpoints(addrs, this.dial);
      else this.endpoints.setAddresses(addrs);
      const r = await this.endpoints.unary(registryProto().roster.registry.v1.Catalog, 'NodeServices', { node, options: { consistency: 'STALE' } }, FIRST_ANSWER_MS);
      const address = r.node?.address;
      this.nodes.delete(node);
      if (address === undefined || address === '') return undefined;
      this.nodes.set(node, address);
      while (this.nodes.size > NODES_REMEMBERED) this.nodes.delete(this.nodes.keys().next().value!);
      return address;
    } catch (err) {
      // NOT_FOUND: the node is not in the catalog. Anything else: answer from memory.
      if ((err as { code?: unknown }).code === 5) return undefined;
      return this.nodes.get(node);
    }
  }

  close(): void {
    this.endpoints?.close();
  }
}

/** Starts the agent's DNS interface; resolves to how to stop it (or undefined when the default address could not be bound). */
export async function startAgentDns(c: DnsConfig, o: { discovery: AgentDiscovery; servers: () => readonly string[]; dial: Dialer; datacenter: string; nsAddress: string; logger: Logger }): Promise<{ server: DnsServer; close(): void } | undefined> {
  const data = new AgentDnsData(o.discovery, o.servers, o.dial);
  const answers = new DnsAnswers({ domain: c.domain, datacenter: o.datacenter, serviceTtl: c.serviceTtl, nodeTtl: c.nodeTtl, includeWarning: c.includeWarning, nsAddress: o.nsAddress }, data);
  const server = new DnsServer({ addr: c.addr, answers, recursors: c.recursors, logger: o.logger });
  try {
    await server.start();
  } catch (err) {
    server.close();
    data.close();
    if (c.explicit) throw new Error(`--dns-addr ${c.addr}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    o.logger.warn('dns: the default address is taken, DNS is off (give --dns-addr)', { addr: c.addr, error: err instanceof Error ? err.message : String(err) });
    return undefined;
  }
  o.logger.info('dns: answering', { addr: c.addr, domain: c.domain });
  return {
    server,
    close: () => {
      server.close();
      data.close();
    },
  };
}
