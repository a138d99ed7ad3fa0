import { dnsOption } from '../agent/dns/dns-config.js';
import { mkdir } from 'node:fs/promises';
import { ApiServer } from '../api/api-server.js';
import type { RegisterServiceRequest__Output } from '../gen/agent/roster/agent/v1/RegisterServiceRequest.js';
import { nodeAndCheck } from '../store/registry/queries.js';
import { NO_NODE, nodeId } from '../util/ids.js';
import type { Logger } from '../util/logger.js';
import type { FlagValues } from '../flags/flags.js';
import { RosterError } from '../util/errors.js';
import { GossipAgent } from '../agent/gossip/gossip-agent.js';
import { gossipSettings } from '../agent/gossip/gossip-flags.js';
import { agentTokensFrom } from '../agent/acl-tokens.js';
import { discoveryLimitsFrom, startLocalAgent } from '../agent/local/local-agent.js';
import { checkTargetsOption } from '../agent/checks/check-targets.js';
import { AgentMetrics } from '../agent/metrics/agent-metrics.js';
import { startHttpEndpoint, type HealthReport } from '../agent/metrics/http-endpoint.js';
import { VERSION } from '../util/version.js';
import { AUTOPILOT_DEFAULTS, Autopilot } from './autopilot.js';
import { awaitBootstrap } from './bootstrap-expect.js';
import { checkFoundingChoice } from './founding-choice.js';
import { handOffLeadership } from './leadership-handoff.js';
import { clusterIdOf, memberIdOf, parseInitialCluster, readIdentity, writeIdentity } from './identity.js';
import { FOUNDING_TOKEN_PREFIX, checkClusterToken, foundingClusterId, randomClusterToken } from './cluster-token.js';
import { MEMBER_CHECK_ID, MemberReconciler } from './member-reconciler.js';
import { DEFAULT_CLIENT_ADDR, DEFAULT_PEER_ADDR, resolveServerConfig, type ServerConfig } from './server-config.js';
import { RetiredServerSweep } from './retired-servers.js';
import { SELF_PRESERVATION_DEFAULTS, SelfPreservation, type SelfPreservationConfig } from './self-preservation.js';
import { ServerNode } from './server-node.js';
import { poolKeyringOf } from './pool-keyring.js';
import { followerLag, HEALTH_DEFAULTS, serverHealth, type HealthLimits } from './server-health.js';
import { hostOf } from '../util/host-port.js';
import { monotonicClock } from '../time/monotonic-clock.js';
import { deadlineIn } from '../time/deadline.js';
import { apiTlsOption, listenerTlsOf } from '../agent/tls-flags.js';
import { runTls } from '../agent/tls-runtime.js';
import { secondsUntilExpiry } from '../tls/tls-material.js';
import { serverTlsOf } from './server-tls.js';
import { proveServer } from '../transport/peer-security.js';
import { etcdProto } from '../proto/etcd-proto.js';
import { startWaitingApi, type WaitingApi } from '../api/waiting-api.js';
import { startTemplates } from '../template/agent-templates.js';
import type { TemplateSpec } from '../template/template-runner.js';
import { PLAINTEXT, tlsDialer } from '../client/dialer.js';

/**
 * Server mode: gossip first when asked (servers may find each other through it and found the
 * cluster with --bootstrap-expect), then the Raft server and its API, then the leader's gossip
 * duties (catalog reconcile, autopilot). Resolves with the exit code when stopped by a signal.
 */
export async function runServer(f: FlagValues, name: string, logger: Logger, services: readonly RegisterServiceRequest__Output[] = [], templates: readonly TemplateSpec[] = []): Promise<number> {
  const server = await startServer(f, name, logger, services, templates);
  process.on('SIGTERM', () => void server.stop('SIGTERM'));
  process.on('SIGINT', () => void server.stop('SIGINT'));
  // Ready only once a signal stops it gracefully (a supervisor may signal as soon as it reads this).
  console.log(server.readyLine);
  await server.stopped;
  return 0;
}

/** A server started in this process (startServer): its addresses, and how to stop it. */
export interface RunningServer {
  /** The line the program prints once it is ready. */
  readonly readyLine: string;
  /** Whether it leads (a server founding alone leads within an election timeout). */
  isLeader(): boolean;
  /** Stops it (once; later calls get the same promise); a graceful leave first leaves the pool and the Raft membership. */
  stop(reason: string, gracefulLeave?: boolean): Promise<void>;
  /** Settles once it has stopped, however that began (a signal, the agent API's Leave). */
  readonly stopped: Promise<void>;
}

/**
 * Everything runServer runs, without the process around it (signals, the ready line): the
 * program's server, and an embedded one (src/testing) in the caller's process.
 */
export async function startServer(f: FlagValues, name: string, logger: Logger, services: readonly RegisterServiceRequest__Output[] = [], templateSpecs: readonly TemplateSpec[] = []): Promise<RunningServer> {
  const state = f['initial-cluster-state'];
  if (state !== undefined && state !== 'new' && state !== 'existing') throw new Error('--initial-cluster-state must be new or existing');
  const expect = f['bootstrap-expect'] as number | undefined;
  if (expect !== undefined) {
    if (expect < 1) throw new Error('--bootstrap-expect must be at least 1');
    if (f['gossip-addr'] === undefined) throw new Error('--bootstrap-expect needs --gossip-addr (servers find each other through gossip)');
    if (f['initial-cluster'] !== undefined || state !== undefined) throw new Error('--bootstrap-expect replaces --initial-cluster and --initial-cluster-state: give one or the other');
  }
  const founders = f['initial-cluster'] as string | undefined;
  const datacenter = String(f.datacenter ?? 'dc1');
  const dataDir = String(f['data-dir'] ?? '');
  const peerAddr = String(f['peer-addr'] ?? DEFAULT_PEER_ADDR);
  const clientAddr = String(f['client-addr'] ?? DEFAULT_CLIENT_ADDR);
  // Servers gossip when given a gossip address: they find each other through it, and the leader
  // keeps the catalog in line with it.
  let gossip: GossipAgent | undefined;
  const g = f['gossip-addr'] === undefined ? undefined : gossipSettings(f, '');
  // The Raft cluster this server belongs to, decided before anything starts: the data dir's, or
  // for a static founding (or join) from the list and --initial-cluster-token (refused without
  // one for several founders); '' for a joiner that adopts the id of the cluster that contacts it.
  const known = dataDir === '' ? undefined : await readIdentity(dataDir);
  // TLS before anything listens: a certificate that cannot be used stops the server here.
  const severalServers = (expect ?? 1) > 1 || state === 'existing' || (founders !== undefined && Object.keys(parseInitialCluster(founders)).length > 1) || Object.keys(known?.initialCluster ?? {}).length > 1;
  const tls = serverTlsOf(f, name, datacenter, severalServers, logger);
  // SIGHUP reloads from here on (Node's default would end the process, even while bootstrapping).
  const tlsRuntime = runTls(tls.source, logger);
  const token = f['initial-cluster-token'] === undefined ? undefined : checkClusterToken(String(f['initial-cluster-token']));
  let clusterId =
    known?.clusterId ??
    (expect === undefined
      ? foundingClusterId({ self: name, initialCluster: founders === undefined || founders === '' ? { [name]: peerAddr } : parseInitialCluster(founders), state: state === 'existing' ? 'existing' : 'new', token })
      : undefined);
  // A --bootstrap-expect server still deciding announces a random token instead; the founders
  // all take the lowest-named one's, so their cluster is unique to this founding.
  const ownToken = token ?? randomClusterToken();
  if (g !== undefined) {
    // Known before gossip starts, so no other cluster's autopilot ever sees it without one.
    const announced = clusterId ?? `${FOUNDING_TOKEN_PREFIX}${ownToken}`;
    gossip = await GossipAgent.start({ name, addr: g.addr, meta: { role: 'server', datacenter: g.datacenter, rpcAddr: peerAddr, apiAddr: clientAddr, version: VERSION, ...(announced === '' ? {} : { clusterId: announced }) }, cluster: g.cluster, config: g.config, join: g.join, logger, encryption: g.encryption, dataDir });
  }
  let initialCluster = f['initial-cluster'] as string | undefined;
  // While deciding a --bootstrap-expect founding: the client port, answering UNAVAILABLE and why.
  let waiting: WaitingApi | undefined;
  let clusterState: 'new' | 'existing' | undefined = state === 'new' || state === 'existing' ? state : undefined;
  if (expect !== undefined && gossip !== undefined && g !== undefined) {
    if (dataDir === '') throw new Error('--data-dir is required');
    const known = await readIdentity(dataDir);
    if (known !== undefined) {
      // Bootstrapped (or joined) before: never again. The data dir says which.
      const founders = Object.entries(known.initialCluster);
      initialCluster = founders.length > 0 ? founders.map(([n, a]) => `${n}=${a}`).join(',') : undefined;
      clusterState = known.initialCluster[name] !== undefined ? 'new' : 'existing';
    } else {
      const pool = gossip;
      const seen = (): string[] => pool.members().filter((m) => m.meta.role === 'server' && m.state === 'alive' && m.meta.datacenter === g.datacenter).map((m) => m.name).sort();
      waiting = await startWaitingApi(clientAddr, listenerTlsOf(tls.source, 'rpc', 'client', logger), () => `waiting for ${expect} servers to bootstrap the cluster (--bootstrap-expect ${expect}), seen ${seen().length}: ${seen().join(', ')}`);
      const decision = await awaitBootstrap({ self: name, expect, datacenter: g.datacenter, members: () => pool.members(), logger, dial: tls.dial });
      if (decision.kind === 'found') {
        clusterId = clusterIdOf(decision.initialCluster, decision.token);
        logger.info('bootstrapping the cluster', { servers: decision.initialCluster, clusterId });
        initialCluster = Object.entries(decision.initialCluster).map(([n, a]) => `${n}=${a}`).join(',');
        clusterState = 'new';
      } else {
        clusterId = decision.clusterId;
        logger.info('a cluster already runs: joining it', { via: decision.via, clusterId: decision.clusterId });
        await mkdir(dataDir, { recursive: true });
        // The running servers' peer addresses, so this one can answer them before it has the
        // membership from the log; itself left out, so a restart never takes it for a founder.
        await writeIdentity(dataDir, { name: nodeId(name), clusterId: decision.clusterId, initialCluster: decision.servers });
        initialCluster = undefined;
        clusterState = 'existing';
      }
    }
  }
  if (dataDir !== '') {
    const hasIdentity = (await readIdentity(dataDir)) !== undefined;
    checkFoundingChoice({ hasIdentity, initialCluster, bootstrapExpect: expect, initialClusterState: clusterState, bootstrap: f.bootstrap === true }, dataDir);
  }
  const cfg = resolveServerConfig({
    name,
    dataDir,
    peerAddr,
    clientAddr,
    initialCluster,
    initialClusterState: clusterState,
    ...(clusterId === undefined ? {} : { clusterId }),
    snapshotEvery: f['snapshot-every'] as number | undefined,
    snapshotKeepTail: f['snapshot-keep-tail'] as number | undefined,
    tickMs: f['tick-ms'] as number | undefined,
    watchMaxPendingBytes: f['watch-max-pending-kib'] === undefined ? undefined : (f['watch-max-pending-kib'] as number) * 1024,
    maxResponseBytes: f['max-response-bytes'] as number | undefined,
    maxWatchesPerStream: f['max-watches-per-stream'] as number | undefined,
    maxStreamsPerConnection: f['max-streams-per-connection'] as number | undefined,
    idleConnectionMs: f['idle-connection-ms'] as number | undefined,
    aclEnabled: f['acl-enabled'] === true,
    aclDefaultPolicy: f['acl-default-policy'] as 'allow' | 'deny' | undefined,
    peerSecurity: tls.security,
    logger,
  });
  const limits = healthLimits(f, cfg);
  const fatal = (): void => {
    // Continuing after a failed fsync or apply could lose acknowledged writes: stop at once.
    process.exit(70);
  };
  const node = await ServerNode.start(cfg, fatal);
  const metrics = new AgentMetrics(
    {
      raft: () => {
        const st = node.status();
        return { term: st.term, commit: st.commit, applied: node.appliedIndex(), isLeader: node.isLeader(), hasLeader: node.leader() !== NO_NODE, preserving: node.preserving, diskFailing: node.diskFault() !== undefined };
      },
      gauges: () => api.gaugeValues(),
      followerLag: () => followerLag(node.status()),
      limitRefusals: () => api.limitRefusals(),
    },
    () => gossip,
  );
  node.observer = metrics;
  if (tls.source !== undefined) metrics.reportTlsExpiry(() => (tls.source?.leaf === undefined ? undefined : secondsUntilExpiry(tls.source.leaf)));
  // The pool learns which Raft cluster this server belongs to (autopilot adds only its own).
  gossip?.updateMeta({ role: 'server', datacenter: g!.datacenter, rpcAddr: peerAddr, apiAddr: clientAddr, version: VERSION, clusterId: node.identity.clusterId });
  const clientTls = listenerTlsOf(tls.source, 'rpc', 'client', logger);
  const api = new ApiServer({ backend: node, memberIdOf, listen: cfg.clientAddr, logger, watchMaxPendingBytes: cfg.watchMaxPendingBytes, gossipMembers: () => gossip?.members(), ...(gossip === undefined ? {} : { poolKeyring: poolKeyringOf(gossip), poolForceLeave: (n: string) => gossip.forceLeave(n) }), onRequest: (p, code, ms) => metrics.request(p, code, ms), ...(clientTls === undefined ? {} : { tls: clientTls }) });
  node.serveForwardedCalls((method, payload, deadline) => api.handleForwarded(method, payload, deadline));
  await waiting?.stop();
  await api.start();
  let reconciler: MemberReconciler | undefined;
  let autopilot: Autopilot | undefined;
  let preservationTimer: NodeJS.Timeout | undefined;
  if (gossip !== undefined && g !== undefined) {
    const pool = gossip;
    node.versionOf = (n) => pool.member(n)?.meta.version;
    const preservationCfg = selfPreservationFrom(f);
    reconciler = new MemberReconciler({
      isLeader: () => node.isLeader(),
      catalogNode: async (member) => {
        const found = await node.mvcc.read((v) => nodeAndCheck(v.kv, member, MEMBER_CHECK_ID));
        if (found === undefined) return undefined;
        return { address: found.node.record.address, memberCheck: found.check?.record.status };
      },
      propose: (cmd, deadline) => node.proposeRegistry(cmd, deadline),
      members: () => pool.members(),
      member: (n) => pool.member(n),
      preserving: () => node.preserving,
      canKeepSessions: () => node.canKeepSessions,
      endSessionsOf: (member, deadline) => node.registryRuntime.endHeldSessions(deadline, member),
      holdMs: preservationCfg.holdMs,
      logger,
    });
    pool.on('member', (e) => reconciler!.memberChanged(e.member.name));
    reconciler.start();
    const preservation = new SelfPreservation(preservationCfg, monotonicClock);
    const followPool = (): void => {
      node.canKeepSessions = node.serversHave('keepSessions');
      const changed = preservation.observe(pool.members());
      if (changed === undefined) return;
      node.preserving = changed.active;
      if (changed.active) {
        logger.warn('self-preservation: too many members failed at once for a mass death; treating it as a network fault. Their checks turn critical, but nothing is deregistered and no session ends until it is over', { failed: changed.failed, pool: changed.pool });
        return;
      }
      logger.info('self-preservation over: removing as usual again', { failed: changed.failed, pool: changed.pool });
      // The held sessions get the hold every failure gets: members that came back have their
      // checks passing again by then, and only the sessions of those still failed end.
      setTimeout(() => {
        if (node.preserving) return;
        node.registryRuntime.endHeldSessions(deadlineIn(5000)).catch((err: unknown) => logger.warn('ending the sessions self-preservation held failed; the next leader change or episode retries', { error: String(err) }));
      }, preservationCfg.holdMs).unref();
    };
    pool.on('member', followPool);
    preservationTimer = setInterval(followPool, 1000);
    preservationTimer.unref();
    const stabilizationMs = (f['autopilot-stabilization-ms'] as number | undefined) ?? AUTOPILOT_DEFAULTS.stabilizationMs;
    const deadServerMs = (f['autopilot-dead-server-ms'] as number | undefined) ?? AUTOPILOT_DEFAULTS.deadServerMs;
    if (stabilizationMs < 0 || deadServerMs < 0) throw new Error('--autopilot-stabilization-ms and --autopilot-dead-server-ms cannot be negative');
    autopilot = new Autopilot(
      {
        isLeader: () => node.isLeader(),
        raftPeers: () => node.raftPeers(),
        lastIndex: () => node.status().lastIndex,
        members: () => pool.members(),
        proposeConfChange: (cc, deadline) => node.proposeConfChange(cc, deadline),
        reachable: (name) => node.peerReachable(nodeId(name)),
        datacenter: g.datacenter,
        clusterId: node.identity.clusterId,
        logger,
        proveServer: (server, peerAddr) => proveServer(tls.security, server, peerAddr),
      },
      { ...AUTOPILOT_DEFAULTS, stabilizationMs, deadServerMs },
    );
    autopilot.start();
  }
  const retired = node.identity.retiredServers ?? [];
  const sweep =
    retired.length === 0
      ? undefined
      : new RetiredServerSweep({
          names: retired,
          isLeader: () => node.isLeader(),
          // Only a node that gossip made for a server: the list stays in IDENTITY.json, and a node
          // an operator registers later under one of those names is not this sweep's to remove.
          hasCatalogNode: async (name) => (await node.mvcc.read((v) => nodeAndCheck(v.kv, name, MEMBER_CHECK_ID)))?.node.record.meta['roster-role'] === 'server',
          isMember: (name) => node.raftPeers().some((p) => p.name === name) || gossip?.member(name) !== undefined,
          propose: (cmd, deadline) => node.proposeRegistry(cmd, deadline),
          logger,
        });
  sweep?.start();
  // The agent API's Leave, bound once the stop below exists.
  let leave: () => void = () => undefined;
  // A server with --api-addr is also an agent for its own host (the dev agent: one process).
  const local =
    f['api-addr'] === undefined
      ? undefined
      : await startLocalAgent({
          node: cfg.name,
          nodeAddress: hostOf(cfg.clientAddr),
          apiAddr: String(f['api-addr']),
          // This server first; the others (gossip lists this one too) for failover.
          servers: () => [cfg.clientAddr, ...(gossip?.serverApiAddrs() ?? []).filter((a) => a !== cfg.clientAddr)],
          logger,
          enableScriptChecks: f['enable-script-checks'] === true,
          ...checkTargetsOption(f),
          ...dnsOption(f),
          dataDir: cfg.dataDir,
          onLeave: () => leave(),
          ...(gossip === undefined ? {} : { gossip }),
          services,
          discovery: discoveryLimitsFrom(f),
          tokens: agentTokensFrom(f),
          aclEnabled: cfg.aclEnabled,
          metrics,
          dial: tls.dial,
          ...apiTlsOption(listenerTlsOf(tls.source, 'rpc', 'agent', logger)),
        });
  // Templates read through this server's agent API (configTemplates requires it).
  const templates = local === undefined ? undefined : await startTemplates(templateSpecs, { apiAddr: String(f['api-addr']), dial: tls.source === undefined ? PLAINTEXT : tlsDialer(tls.source, { caOnly: true }), logger });
  const health = (): ReturnType<HealthReport> => {
    const i = { isLeader: node.isLeader(), leader: node.leader(), knownCommit: node.knownCommitIndex(), applied: node.appliedIndex(), msSinceLeaderContact: node.msSinceLeaderContact(), diskFault: node.diskFault() };
    const h = serverHealth(i, limits);
    return { healthy: h.healthy, detail: { ...(h.reason === undefined ? {} : { reason: h.reason }), ...(tls.security.mode === 'insecure' ? { insecurePeers: 'INSECURE: --insecure-peers (no TLS on the peer port; dev only)' } : {}), ...(tls.security.mode === 'refuse' ? { peers: 'none: no TLS and no --insecure-peers, so every peer call is refused' } : {}), name: cfg.name, role: i.isLeader ? 'leader' : 'follower', leader: i.leader || null, msSinceLeaderContact: i.msSinceLeaderContact, appliedIndex: i.applied, commitIndex: i.knownCommit, selfPreservation: node.preserving } };
  };
  const http = f['http-addr'] === undefined ? undefined : await startHttpEndpoint(String(f['http-addr']), metrics, health, logger, listenerTlsOf(tls.source, 'https', 'http', logger));
  logger.info('ready', { peer: cfg.peerAddr, client: cfg.clientAddr, dataDir: cfg.dataDir, cluster: node.identity.clusterId, peerSecurity: tls.security.mode });
  const extras = [gossip === undefined ? '' : `, gossip ${String(f['gossip-addr'])}`, local === undefined ? '' : `, agent API ${String(f['api-addr'])}`, http === undefined ? '' : `, http ${String(f['http-addr'])}`].join('');
  let stopping: Promise<void> | undefined;
  /**
   * A signal stops the server as Consul's servers do by default (its gossip peers see it fail and
   * it stays a Raft voter); a leave first tells the pool it left, so the leader's autopilot takes
   * it out of the Raft membership at once (if a quorum remains).
   */
  const stop = (signal: string, gracefulLeave = false): Promise<void> => {
    if (stopping !== undefined) return stopping;
    logger.info('stopping', { signal });
    templates?.stop();
    reconciler?.stop();
    autopilot?.stop();
    sweep?.stop();
    if (preservationTimer !== undefined) clearInterval(preservationTimer);
    http?.close();
    // A leave stops the local agent first (leaveRaft); a stop stops it beside the rest, and waits for it.
    const localStopped = gracefulLeave ? undefined : local?.stop();
    // A leaving server takes itself out of the membership (and a leader hands over then);
    // a stopping leader hands over first, within two of its longest election timeouts.
    const handoffMs = 2 * 2 * cfg.electionTicks * cfg.tickMs;
    const left = gracefulLeave ? leaveRaft() : handOffLeadership({ self: nodeId(cfg.name), status: () => node.status(), transfer: (to) => node.transferLeadership(to), logger }, handoffMs);
    // Then writes in flight finish (new ones are refused as SHUTTING_DOWN, which clients
    // send elsewhere) before anything closes: a stop should cost the clients no ambiguous write.
    const drained = left.finally(() => node.drain(handoffMs));
    const done = drained
      .finally(() =>
        Promise.allSettled([api.stop(), node.stop(), gossip?.stop(), localStopped]).then(() => {
          tlsRuntime.stop();
        }),
      )
      .then(
        () => undefined,
        () => undefined,
      );
    stopping = done;
    return done;
  };
  /**
   * A graceful leave: tell the pool, then leave the Raft membership before stopping, so the
   * voters left behind count their quorum without this server. A leader removes itself (and
   * hands over when that commits); a follower asks the leader to remove it, over the peer port
   * (the leader's autopilot takes no gossip leave of a server it still hears from over Raft: a
   * forged one looks the same). Bounded: with no quorum the change cannot commit.
   */
  const leaveRaft = async (): Promise<void> => {
    await local?.stop();
    await gossip?.leave();
    const self = nodeId(cfg.name);
    const inRaft = (): boolean => node.raftPeers().some((p) => p.name === self);
    const couldNotLeave = (err: unknown): void => logger.warn('could not leave the raft membership', { error: String(err) });
    if (node.isLeader() && node.raftPeers().length > 1) {
      await node.proposeConfChange({ type: 'removeNode', node: self }, deadlineIn(5000)).catch(couldNotLeave);
    } else if (inRaft() && node.raftPeers().length > 1 && node.status().leader !== NO_NODE) {
      const remove = etcdProto().etcdserverpb.Cluster.service.MemberRemove;
      await node.forwardToLeader(remove.path, remove.requestSerialize({ ID: memberIdOf(self) }), deadlineIn(5000)).catch(couldNotLeave);
    }
    const until = monotonicClock.now() + 15_000;
    while (inRaft() && node.raftPeers().length > 1 && monotonicClock.now() < until) await new Promise((r) => setTimeout(r, 100));
    logger.info(inRaft() ? 'stopping while still a raft member (no quorum removed it in time)' : 'left the raft membership');
  };
  let markStopped: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (markStopped = resolve));
  const stopOnce = (reason: string, gracefulLeave?: boolean): Promise<void> => stop(reason, gracefulLeave).finally(markStopped);
  leave = () => void stopOnce('leave', true);
  return {
    readyLine: `roster server ${cfg.name} ready: peer ${cfg.peerAddr}, client ${cfg.clientAddr}, data ${cfg.dataDir}${extras}`,
    isLeader: () => node.isLeader(),
    stop: stopOnce,
    stopped,
  };
}

/** /health's limits from the flags; a follower may go a whole (longest) election timeout unheard. */
function healthLimits(f: FlagValues, cfg: ServerConfig): HealthLimits {
  const maxLagEntries = (f['health-max-lag-entries'] as number | undefined) ?? HEALTH_DEFAULTS.maxLagEntries;
  const maxLeaderContactMs = (f['health-max-leader-contact-ms'] as number | undefined) ?? 2 * cfg.electionTicks * cfg.tickMs;
  if (maxLagEntries < 0 || maxLeaderContactMs < 0) throw new Error('--health-max-lag-entries and --health-max-leader-contact-ms cannot be negative');
  return { maxLagEntries, maxLeaderContactMs };
}

/** Self-preservation's thresholds from --self-preservation-percent, -min-pool and -window-ms. */
function selfPreservationFrom(f: FlagValues): SelfPreservationConfig {
  const pick = (flag: string, fallback: number, min: number): number => {
    const v = f[flag];
    if (v === undefined) return fallback;
    if (typeof v !== 'number' || v < min) throw new RosterError('INVALID_CONFIG', `--${flag} must be an integer of at least ${min}, got ${String(v)}`);
    return v;
  };
  const d = SELF_PRESERVATION_DEFAULTS;
  return {
    share: pick('self-preservation-percent', d.share * 100, 1) / 100,
    minPool: pick('self-preservation-min-pool', d.minPool, 1),
    windowMs: pick('self-preservation-window-ms', d.windowMs, 1),
    holdMs: pick('self-preservation-hold-ms', d.holdMs, 0),
  };
}
