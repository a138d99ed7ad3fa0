import { dnsOption } from './dns/dns-config.js';
import type { RegisterServiceRequest__Output } from '../gen/agent/roster/agent/v1/RegisterServiceRequest.js';
import type { Logger } from '../util/logger.js';
import type { FlagValues } from '../flags/flags.js';
import { GossipAgent } from './gossip/gossip-agent.js';
import { gossipSettings } from './gossip/gossip-flags.js';
import { agentTokensFrom } from './acl-tokens.js';
import { discoveryLimitsFrom, startLocalAgent } from './local/local-agent.js';
import { checkTargetsOption } from './checks/check-targets.js';
import { AgentMetrics } from './metrics/agent-metrics.js';
import { startHttpEndpoint } from './metrics/http-endpoint.js';
import { VERSION } from '../util/version.js';
import { hostOf } from '../util/host-port.js';
import { secondsUntilExpiry } from '../tls/tls-material.js';
import { apiTlsOption, listenerTlsOf, serverDialerOf, tlsSettingsFrom, tlsSourceFrom } from './tls-flags.js';
import { runTls } from './tls-runtime.js';
import { startTemplates } from '../template/agent-templates.js';
import type { TemplateSpec } from '../template/template-runner.js';
import { PLAINTEXT, tlsDialer } from '../client/dialer.js';

/**
 * A client agent: a gossip member, with (given --api-addr) the local API applications use: their
 * services and checks, anti-entropy to the catalog, the discovery cache. SIGTERM and SIGINT leave
 * the pool gracefully, so its node is deregistered, not failed.
 */
export async function runClientAgent(f: FlagValues, name: string, logger: Logger, services: readonly RegisterServiceRequest__Output[] = [], templateSpecs: readonly TemplateSpec[] = []): Promise<number> {
  if (name === '') throw new Error('--name is required');
  const g = gossipSettings(f, '127.0.0.1:8301');
  // Before anything listens: certificates that cannot be used stop the agent here, named.
  const tls = tlsSourceFrom(tlsSettingsFrom(f, g.datacenter));
  // SIGHUP reloads from here on (Node's default would end the process).
  const tlsRuntime = runTls(tls, logger);
  const gossip = await GossipAgent.start({ name, addr: g.addr, meta: { role: 'client', datacenter: g.datacenter, rpcAddr: '', apiAddr: '', version: VERSION }, cluster: g.cluster, config: g.config, join: g.join, logger, encryption: g.encryption, ...(f['data-dir'] === undefined ? {} : { dataDir: String(f['data-dir']) }) });
  const metrics = new AgentMetrics(undefined, () => gossip);
  if (tls !== undefined) metrics.reportTlsExpiry(() => (tls.leaf === undefined ? undefined : secondsUntilExpiry(tls.leaf)));
  const http =
    f['http-addr'] === undefined
      ? undefined
      : await startHttpEndpoint(String(f['http-addr']), metrics, () => ({ healthy: gossip.members().some((m) => m.name !== name && m.state === 'alive'), detail: { name, members: gossip.members().length, healthScore: gossip.healthScore } }), logger, listenerTlsOf(tls, 'https', 'http', logger));
  // The local API: applications register here; the agent runs their checks and syncs the catalog.
  let leave: () => void = () => undefined;
  const local =
    f['api-addr'] === undefined
      ? undefined
      : await startLocalAgent({ node: name, nodeAddress: hostOf(g.addr), apiAddr: String(f['api-addr']), servers: () => gossip.serverApiAddrs(), logger, enableScriptChecks: f['enable-script-checks'] === true, ...checkTargetsOption(f), ...dnsOption(f), onLeave: () => leave(), gossip, services, discovery: discoveryLimitsFrom(f), tokens: agentTokensFrom(f), aclEnabled: f['acl-enabled'] === true, datacenter: g.datacenter, metrics, dial: serverDialerOf(tls, false), ...apiTlsOption(listenerTlsOf(tls, 'rpc', 'agent', logger)), ...(f['data-dir'] === undefined ? {} : { dataDir: String(f['data-dir']) }) });
  // Templates read through the agent's own API (configTemplates requires it).
  const templates = local === undefined ? undefined : await startTemplates(templateSpecs, { apiAddr: String(f['api-addr']), dial: tls === undefined ? PLAINTEXT : tlsDialer(tls, { caOnly: true }), logger });
  logger.info('ready', { gossip: g.addr, join: g.join, api: f['api-addr'] ?? null });
  console.log(`roster agent ${name} ready: gossip ${g.addr}`);
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string): void => {
      if (stopping) return;
      stopping = true;
      logger.info('leaving', { signal });
      templates?.stop();
      http?.close();
      void Promise.resolve(local?.stop())
        .then(() => gossip.leave())
        .then(() => {
          tlsRuntime.stop();
          resolve(0);
        });
    };
    leave = () => stop('leave');
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
  });
}

