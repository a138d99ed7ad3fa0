import type { DnsConfig } from '../dns/dns-config.js';
import { startAgentDns } from '../dns/agent-dns.js';
import type { CheckTargetPolicy } from '../checks/check-targets.js';
import type { RegisterServiceRequest__Output } from '../../gen/agent/roster/agent/v1/RegisterServiceRequest.js';
import type { Logger } from '../../util/logger.js';
import { AgentApi, type AgentGossip } from './agent-api.js';
import { AgentDiscovery, DISCOVERY_DEFAULTS, type DiscoveryLimits } from './agent-discovery.js';
import type { FlagValues } from '../../flags/flags.js';
import type { AgentMetrics } from '../metrics/agent-metrics.js';
import { localFiguresOf } from '../metrics/local-figures.js';
import { PLAINTEXT, type Dialer } from '../../client/dialer.js';
import { withToken } from '../../client/token-dialer.js';
import { AgentAccess } from './agent-access.js';
import type { AgentTokens } from '../acl-tokens.js';
import type { ListenerTls } from '../../tls/tls-listener.js';
import { RosterError } from '../../util/errors.js';
import { AntiEntropy } from './anti-entropy.js';
import { LocalState } from './local-state.js';
import { AgentStateFile } from './agent-state-file.js';
import { ServerForwarder } from './server-forwarder.js';
import { ServerCatalog } from './server-catalog.js';
import { VERSION } from '../../util/version.js';
import { isHostPort } from '../../util/host-port.js';

export interface LocalAgentOptions {
  /** This agent's node name in the catalog. */
  readonly node: string;
  /** The node's address in the catalog. */
  readonly nodeAddress: string;
  /** host:port of the local API. */
  readonly apiAddr: string;
  /** The servers' API addresses, as known now (from gossip, or this process itself). */
  readonly servers: () => readonly string[];
  readonly logger: Logger;
  /** Run command checks (--enable-script-checks). */
  readonly enableScriptChecks?: boolean;
  /** Where HTTP, TCP and gRPC checks may connect (--check-allowed-hosts). */
  readonly checkTargets?: CheckTargetPolicy;
  /** What the API's Leave does: leave gossip gracefully and stop this process. */
  readonly onLeave?: () => void;
  /** The agent's gossip member, for the API's join and force-leave. */
  readonly gossip?: AgentGossip;
  /** Services from the agent's config files: registered at startup, before the first sync. */
  readonly services?: readonly RegisterServiceRequest__Output[];
  /** With a data dir, what applications registered (and maintenance) survives a restart. */
  readonly dataDir?: string;
  /** How many discovery queries the cache keeps, and for how long unused. */
  readonly discovery?: DiscoveryLimits;
  /** Where the cache's size and evictions are reported. */
  readonly metrics?: AgentMetrics;
  /** How the agent dials servers (TLS with verify_outgoing). */
  readonly dial?: Dialer;
  /** TLS on the agent API. */
  readonly apiTls?: ListenerTls;
  /** The ACL tokens the agent sends the servers (acl-tokens.ts). */
  readonly tokens?: AgentTokens;
  /** Check each local API call's token (--acl-enabled on the agent, as Consul's agents have acl.enabled). */
  readonly aclEnabled?: boolean;
  /** Its datacenter (default dc1), as Consul's HTTP API reports it. */
  readonly datacenter?: string;
  /** Consul's DNS interface (src/agent/dns); absent: off. */
  readonly dns?: DnsConfig;
}

/** The discovery cache's limits from --cache-max-entries and --cache-idle-ms. */
export function discoveryLimitsFrom(f: FlagValues): DiscoveryLimits {
  const pick = (flag: string, fallback: number): number => {
    const v = f[flag];
    if (v === undefined) return fallback;
    if (typeof v !== 'number' || v <= 0) throw new RosterError('INVALID_CONFIG', `--${flag} must be a positive integer, got ${String(v)}`);
    return v;
  };
  return { maxEntries: pick('cache-max-entries', DISCOVERY_DEFAULTS.maxEntries), idleMs: pick('cache-idle-ms', DISCOVERY_DEFAULTS.idleMs) };
}

/**
 * The agent side that applications use: its local state, the API on `apiAddr`, anti-entropy to
 * the catalog and the discovery cache. A client agent runs it; so does a dev server (--api-addr),
 * which is then a server and an agent in one process.
 */
export async function startLocalAgent(o: LocalAgentOptions): Promise<{ stop(): Promise<void> }> {
  if (!isHostPort(o.apiAddr)) throw new Error(`--api-addr: "${o.apiAddr}" is not host:port`);
  const state = new LocalState();
  // The servers' API addresses from gossip, for the catalog writer, the cache and the forwarder
  // alike; one a member announced malformed is left out rather than fail them.
  const servers = (): string[] => o.servers().filter(isHostPort);
  const dial = o.dial ?? PLAINTEXT;
  // Its own writes carry the agent token; what it asks or forwards for an application that sent
  // no token carries the default token (an application's own token passes through as it is).
  const catalog = new ServerCatalog(servers, o.nodeAddress, withToken(dial, o.tokens?.agent));
  const onBehalf = withToken(dial, o.tokens?.default);
  const sync = new AntiEntropy(state, catalog, { node: o.node, intervalMs: 60_000, minBackoffMs: 1000, maxBackoffMs: 30_000 }, o.logger);
  const discovery = new AgentDiscovery(servers, o.discovery, undefined, onBehalf);
  o.metrics?.reportDiscovery(discovery);
  const forwarder = new ServerForwarder(servers, onBehalf);
  const stateFile = o.dataDir === undefined ? undefined : new AgentStateFile(o.dataDir);
  const saved = stateFile?.load();
  // Local calls are checked with the caller's own token; without one, the agent's default token (Consul's acl.tokens.default).
  // Off unless asked: an agent that checks tokens needs a server to answer for a token it has not
  // seen, and without ACLs its API must keep working through a full server outage.
  const access = o.aclEnabled === true ? new AgentAccess(servers, dial, o.tokens?.default) : undefined;
  const api = new AgentApi(state, sync, discovery, o.logger, { enableScriptChecks: o.enableScriptChecks === true, ...(o.checkTargets === undefined ? {} : { checkTargets: o.checkTargets }), forwarder, ...(access === undefined ? {} : { access: { check: access, node: o.node } }), ...(o.onLeave === undefined ? {} : { onLeave: o.onLeave }), ...(o.gossip === undefined ? {} : { gossip: o.gossip }), ...(stateFile === undefined ? {} : { stateFile }) });
  for (const r of o.services ?? []) api.registerDefinition(r);
  if (saved !== undefined) {
    api.restore(saved, new Set((o.services ?? []).map((r) => (r.service === null ? '' : r.service.id || r.service.name))));
    o.logger.info('agent state restored', { file: stateFile!.path, services: saved.services.length, maintenance: saved.maintenance.length });
  }
  // Consul's HTTP API on the same port: HTTP/1.1 connections go to it, gRPC to the agent API.
  // Loaded here, not at the top: a server without --api-addr never pays for Fastify.
  const { createConsulHttp } = await import('../http/consul-http.js');
  const metrics = o.metrics;
  const consul = await createConsulHttp({ agent: api, servers, dial: onBehalf, changes: discovery, logger: o.logger, node: o.node, nodeAddress: o.nodeAddress, datacenter: o.datacenter ?? 'dc1', version: VERSION, ...(o.gossip === undefined ? {} : { gossip: o.gossip }), ...(metrics === undefined ? {} : { figures: () => localFiguresOf(metrics.registry) }) });
  await api.start(o.apiAddr, o.apiTls, consul.server);
  const dns = o.dns === undefined ? undefined : await startAgentDns(o.dns, { discovery, servers, dial: onBehalf, datacenter: o.datacenter ?? 'dc1', nsAddress: o.nodeAddress, logger: o.logger });
  sync.start();
  return {
    /** Resolves once a catalog sync in progress is done (at most 5 s), so none lands after a leave. */
    stop: async () => {
      api.stop();
      dns?.close();
      await consul.close();
      discovery.close();
      forwarder.close();
      access?.close();
      await Promise.race([sync.stop(), new Promise((r) => setTimeout(r, 5000).unref())]);
      catalog.close();
    },
  };
}
