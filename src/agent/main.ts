import { mkdir } from 'node:fs/promises';
import { ApiServer } from '../api/api-server.js';
import { nodeId } from '../util/ids.js';
import { nodeServices } from '../store/registry/queries.js';
import { isRosterError } from '../util/errors.js';
import { parseFlags, usage, type FlagSpec, type FlagValues } from './flags.js';
import { GossipAgent } from './gossip/gossip-agent.js';
import { GOSSIP_FLAGS, gossipSettings } from './gossip/gossip-flags.js';
import { jsonLogger, type LogLevel } from './json-logger.js';
import { restoreFromSnapshot } from './restore.js';
import { MEMBER_CHECK_ID, MemberReconciler } from './server/member-reconciler.js';
import { AUTOPILOT_DEFAULTS, Autopilot } from './server/autopilot.js';
import { awaitBootstrap } from './server/bootstrap-expect.js';
import { memberIdOf, readIdentity, writeIdentity } from './server/identity.js';
import { DEFAULT_CLIENT_ADDR, DEFAULT_PEER_ADDR, resolveServerConfig, SERVER_DEFAULTS } from './server/server-config.js';
import { ServerNode } from './server/server-node.js';

const SPEC: FlagSpec = {
  server: { kind: 'bool', help: 'run as a server; without it, a client agent (gossip member)' },
  name: { kind: 'string', help: 'this member\'s name, unique in the cluster (e.g. n1)' },
  'data-dir': { kind: 'string', help: 'where the Raft log and the state live (LevelDB)' },
  'peer-addr': { kind: 'string', help: 'host:port for other servers (default 127.0.0.1:8300)' },
  'client-addr': { kind: 'string', help: 'host:port of the gRPC API, etcd v3 compatible (default 127.0.0.1:8502)' },
  'initial-cluster': { kind: 'string', help: 'founding members: n1=host:port,n2=host:port,... (peer addresses)' },
  'autopilot-stabilization-ms': { kind: 'int', help: `a new server votes once caught up and healthy this long (default ${AUTOPILOT_DEFAULTS.stabilizationMs})` },
  'autopilot-dead-server-ms': { kind: 'int', help: `a server failed this long leaves the raft membership, if a quorum remains (default ${AUTOPILOT_DEFAULTS.deadServerMs})` },
  'bootstrap-expect': { kind: 'int', help: 'found the cluster once this many servers are seen in gossip (instead of --initial-cluster; needs --gossip-addr)' },
  'initial-cluster-state': { kind: 'string', help: '"new" to found the cluster, "existing" to join one (default new)' },
  'snapshot-every': { kind: 'int', help: `compact the Raft log every N applied entries (default ${SERVER_DEFAULTS.snapshotEvery})` },
  'watch-max-pending-kib': { kind: 'int', help: `cut off a watch stream whose client leaves this many KiB unread (default ${SERVER_DEFAULTS.watchMaxPendingBytes / 1024})` },
  'tick-ms': { kind: 'int', help: `Raft tick (default ${SERVER_DEFAULTS.tickMs}); elections after 8-16 ticks` },
  'log-level': { kind: 'string', help: 'debug, info, warn or error (default info)' },
  ...GOSSIP_FLAGS,
  help: { kind: 'bool', help: 'show this help' },
};

const VERSION = '0.1.0';

/**
 * A client agent: a gossip member for now (its local API, checks and cache come with the agent
 * work). SIGTERM and SIGINT leave the pool gracefully, so its node is deregistered, not failed.
 */
async function clientAgent(f: FlagValues, name: string, logger: ReturnType<typeof jsonLogger>): Promise<number> {
  if (name === '') throw new Error('--name is required');
  const g = gossipSettings(f, '127.0.0.1:8301');
  const gossip = await GossipAgent.start({ name, addr: g.addr, meta: { role: 'client', datacenter: g.datacenter, rpcAddr: '', apiAddr: '', version: VERSION }, cluster: g.cluster, config: g.config, join: g.join, logger });
  logger.info('ready', { gossip: g.addr, join: g.join });
  console.log(`roster agent ${name} ready: gossip ${g.addr}`);
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string): void => {
      if (stopping) return;
      stopping = true;
      logger.info('leaving', { signal });
      void gossip.leave().then(() => resolve(0));
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
  });
}

async function restore(argv: string[]): Promise<number> {
  const spec: FlagSpec = {
    name: { kind: 'string', help: "the new member's name" },
    'data-dir': { kind: 'string', help: 'an empty data dir to prepare' },
    'initial-cluster': { kind: 'string', help: 'the NEW cluster: n1=host:port,... (peer addresses)' },
    help: { kind: 'bool', help: 'show this help' },
  };
  const file = argv[0];
  if (file === undefined || file.startsWith('--')) throw new Error(`usage: roster snapshot restore FILE --name N --data-dir D --initial-cluster n1=host:port,...`);
  const f = parseFlags(argv.slice(1), spec);
  if (f.help === true) {
    console.log(usage('roster snapshot restore FILE', spec));
    return 0;
  }
  for (const k of ['name', 'data-dir', 'initial-cluster']) if (f[k] === undefined) throw new Error(`--${k} is required`);
  const r = await restoreFromSnapshot({ file, name: String(f.name), dataDir: String(f['data-dir']), initialCluster: String(f['initial-cluster']) });
  console.log(`restored ${r.records} records at index ${r.index} (term ${r.term}) into ${String(f['data-dir'])}; new cluster id ${r.clusterId}; start it with roster agent --server`);
  return 0;
}

async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'snapshot' && argv[1] === 'restore') return restore(argv.slice(2));
  const args = argv[0] === 'agent' ? argv.slice(1) : argv;
  const f = parseFlags(args, SPEC);
  if (f.help === true) {
    console.log(usage('roster agent --server', SPEC));
    return 0;
  }
  const level = String(f['log-level'] ?? 'info') as LogLevel;
  if (!['debug', 'info', 'warn', 'error'].includes(level)) throw new Error(`--log-level must be debug, info, warn or error`);
  const name = String(f.name ?? '');
  const logger = jsonLogger(name, level);
  if (f.server !== true) return clientAgent(f, name, logger);
  const state = f['initial-cluster-state'];
  if (state !== undefined && state !== 'new' && state !== 'existing') throw new Error('--initial-cluster-state must be new or existing');
  const expect = f['bootstrap-expect'] as number | undefined;
  if (expect !== undefined) {
    if (expect < 1) throw new Error('--bootstrap-expect must be at least 1');
    if (f['gossip-addr'] === undefined) throw new Error('--bootstrap-expect needs --gossip-addr (servers find each other through gossip)');
    if (f['initial-cluster'] !== undefined || state !== undefined) throw new Error('--bootstrap-expect replaces --initial-cluster and --initial-cluster-state: give one or the other');
  }
  const dataDir = String(f['data-dir'] ?? '');
  const peerAddr = String(f['peer-addr'] ?? DEFAULT_PEER_ADDR);
  const clientAddr = String(f['client-addr'] ?? DEFAULT_CLIENT_ADDR);
  // Servers gossip when given a gossip address: they find each other through it, and the leader
  // keeps the catalog in line with it.
  let gossip: GossipAgent | undefined;
  if (f['gossip-addr'] !== undefined) {
    const g = gossipSettings(f, '');
    gossip = await GossipAgent.start({ name, addr: g.addr, meta: { role: 'server', datacenter: g.datacenter, rpcAddr: peerAddr, apiAddr: clientAddr, version: VERSION }, cluster: g.cluster, config: g.config, join: g.join, logger });
  }
  let initialCluster = f['initial-cluster'] as string | undefined;
  let clusterState = state as 'new' | 'existing' | undefined;
  if (expect !== undefined && gossip !== undefined) {
    if (dataDir === '') throw new Error('--data-dir is required');
    const known = await readIdentity(dataDir);
    if (known !== undefined) {
      // Bootstrapped (or joined) before: never again. The data dir says which.
      const founders = Object.entries(known.initialCluster);
      initialCluster = founders.length > 0 ? founders.map(([n, a]) => `${n}=${a}`).join(',') : undefined;
      clusterState = known.initialCluster[name] !== undefined ? 'new' : 'existing';
    } else {
      const pool = gossip;
      const decision = await awaitBootstrap({ self: name, expect, datacenter: gossipSettings(f, '').datacenter, members: () => pool.members(), logger });
      if (decision.kind === 'found') {
        logger.info('bootstrapping the cluster', { servers: decision.initialCluster });
        initialCluster = Object.entries(decision.initialCluster).map(([n, a]) => `${n}=${a}`).join(',');
        clusterState = 'new';
      } else {
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
  const cfg = resolveServerConfig({
    name,
    dataDir,
    peerAddr,
    clientAddr,
    initialCluster,
    initialClusterState: clusterState,
    snapshotEvery: f['snapshot-every'] as number | undefined,
    tickMs: f['tick-ms'] as number | undefined,
    watchMaxPendingBytes: f['watch-max-pending-kib'] === undefined ? undefined : (f['watch-max-pending-kib'] as number) * 1024,
    logger,
  });
  const fatal = (): void => {
    // Continuing after a failed fsync or apply could lose acknowledged writes: stop at once.
    process.exit(70);
  };
  const node = await ServerNode.start(cfg, fatal);
  const api = new ApiServer({ backend: node, memberIdOf, listen: cfg.clientAddr, logger, watchMaxPendingBytes: cfg.watchMaxPendingBytes, gossipMembers: () => gossip?.members() });
  node.forwardHandler = (method, payload, deadline) => api.handleForwarded(method, payload, deadline);
  await api.start();
  let reconciler: MemberReconciler | undefined;
  let autopilot: Autopilot | undefined;
  if (gossip !== undefined) {
    const pool = gossip;
    reconciler = new MemberReconciler({
      isLeader: () => node.isLeader(),
      catalogNode: async (member) => {
        const found = await node.mvcc.read((v) => nodeServices(v.kv, member));
        if (found === undefined) return undefined;
        return { address: found.node.record.address, memberCheck: found.checks.find((c) => c.record.id === MEMBER_CHECK_ID)?.record.status };
      },
      propose: (cmd, deadline) => node.proposeRegistry(cmd, deadline),
      members: () => pool.members(),
      logger,
    });
    pool.on('member', (e) => reconciler!.memberChanged(e.member.name));
    reconciler.start();
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
        datacenter: gossipSettings(f, '').datacenter,
        logger,
      },
      { ...AUTOPILOT_DEFAULTS, stabilizationMs, deadServerMs },
    );
    autopilot.start();
  }
  logger.info('ready', { peer: cfg.peerAddr, client: cfg.clientAddr, dataDir: cfg.dataDir, cluster: node.identity.clusterId });
  console.log(`roster server ${cfg.name} ready: peer ${cfg.peerAddr}, client ${cfg.clientAddr}, data ${cfg.dataDir}`);
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string): void => {
      if (stopping) return;
      stopping = true;
      logger.info('stopping', { signal });
      reconciler?.stop();
      autopilot?.stop();
      void Promise.allSettled([api.stop(), node.stop(), gossip?.stop()]).then(() => resolve(0));
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
  });
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    const msg = isRosterError(err) || err instanceof Error ? err.message : String(err);
    process.stderr.write(`roster: ${msg}\n`);
    process.exit(2);
  },
);
