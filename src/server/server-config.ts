import { RosterError } from '../util/errors.js';
import { nodeId, type NodeId } from '../util/ids.js';
import type { Logger } from '../util/logger.js';
import type { PeerSecurity } from '../transport/peer-security.js';
import type { DefaultPolicy } from '../store/acl/authorizer.js';
import { parseInitialCluster } from './identity.js';
import { isHostPort } from '../util/host-port.js';

/** Everything a server process needs; see resolveServerConfig for defaults and checks. */
export interface ServerConfig {
  readonly name: NodeId;
  readonly dataDir: string;
  /** host:port for server RPC (Raft, forwarding); other servers reach this one here. */
  readonly peerAddr: string;
  /** host:port of the public gRPC API (etcd's KV, Cluster, Maintenance...). */
  readonly clientAddr: string;
  /** The founding members, name -> peer address (as etcd's --initial-cluster). */
  readonly initialCluster: Readonly<Record<string, string>>;
  /** 'new' to found a cluster with initialCluster; 'existing' to join one (added by an operator). */
  readonly initialClusterState: 'new' | 'existing';
  /** The cluster id to take when the data dir has none ('' : adopt the first cluster that contacts it). */
  readonly clusterId?: string;
  readonly tickMs: number;
  readonly electionTicks: number;
  readonly heartbeatTicks: number;
  /** Compact the Raft log every this many applied entries. */
  readonly snapshotEvery: number;
  readonly snapshotKeepTail: number;
  /** Deadline for a client request that arrives without one. */
  readonly defaultRequestTimeoutMs: number;
  /** Unsent bytes a watch stream may hold before it is cut off as too slow a reader. */
  readonly watchMaxPendingBytes: number;
  /** Bytes of keys and values one Range or read-only Txn may answer with. */
  readonly maxResponseBytes: number;
  /** Watches one watch stream may hold at once (etcd's and the registry's alike). */
  readonly maxWatchesPerStream: number;
  /** HTTP/2 streams (calls) open at once on one client connection. */
  readonly maxStreamsPerConnection: number;
  /** A client connection with no call open this long is closed (the client reconnects on its next call). */
  readonly idleConnectionMs: number;
  /** Enforce ACL tokens on the client port (Consul's acl.enabled). */
  readonly aclEnabled: boolean;
  /** What no rule decides, with ACLs on (Consul's acl.default_policy): deny for production. */
  readonly aclDefaultPolicy: DefaultPolicy;
  /** TLS on the peer port, or the dev mode without it; absent (in-process tests) is the dev mode. */
  readonly peerSecurity?: PeerSecurity;
  readonly logger: Logger;
}

export const SERVER_DEFAULTS = {
  // 50ms ticks, elections after 8-16 ticks (400-800ms), heartbeats every tick: failover well
  // under a second on a LAN, while a 10x slower-than-usual network still does not trigger one.
  tickMs: 50,
  electionTicks: 8,
  heartbeatTicks: 1,
  snapshotEvery: 10_000,
  snapshotKeepTail: 1_000,
  defaultRequestTimeoutMs: 5_000,
  // A watcher this far behind is better off reconnecting and resuming from its last revision
  // than making the server hold its backlog (10,000 watchers must not cost gigabytes).
  watchMaxPendingBytes: 8 * 1024 * 1024,
  // Below the 64 MiB a response may be on the wire (api-server.ts), so a range that would not
  // fit is refused while it is read, instead of after being built whole.
  maxResponseBytes: 60 * 1024 * 1024,
  // The SDK puts every watch of a process on one stream: the watch benchmark holds 3,400 each.
  maxWatchesPerStream: 10_000,
  maxStreamsPerConnection: 4096,
  idleConnectionMs: 10 * 60 * 1000,
  aclEnabled: false,
  // Consul's default, so that turning ACLs on breaks nothing before policies exist; production
  // sets deny (README, Access control).
  aclDefaultPolicy: 'allow',
} as const;

export type ServerFlags = Partial<Omit<ServerConfig, 'name' | 'initialCluster' | 'logger'>> & {
  readonly name: string;
  readonly initialCluster?: string;
  readonly logger: Logger;
};

export const DEFAULT_PEER_ADDR = '127.0.0.1:8300';
export const DEFAULT_CLIENT_ADDR = '127.0.0.1:8502';

function invalid(field: string, why: string): RosterError {
  return new RosterError('INVALID_CONFIG', `${field}: ${why}`, { field });
}

/** Fills defaults and validates every field, naming the field in the error. */
export function resolveServerConfig(f: ServerFlags): ServerConfig {
  const name = (() => {
    try {
      return nodeId(f.name);
    } catch (err) {
      throw invalid('--name', (err as Error).message);
    }
  })();
  if (f.dataDir === undefined || f.dataDir === '') throw invalid('--data-dir', 'is required');
  const peerAddr = f.peerAddr ?? DEFAULT_PEER_ADDR;
  const clientAddr = f.clientAddr ?? DEFAULT_CLIENT_ADDR;
  if (!isHostPort(peerAddr)) throw invalid('--peer-addr', `"${peerAddr}" is not host:port`);
  if (!isHostPort(clientAddr)) throw invalid('--client-addr', `"${clientAddr}" is not host:port`);
  const initialCluster = f.initialCluster === undefined || f.initialCluster === '' ? { [name]: peerAddr } : parseInitialCluster(f.initialCluster);
  const initialClusterState = f.initialClusterState ?? 'new';
  if (initialClusterState === 'new' && initialCluster[name] === undefined) {
    throw invalid('--initial-cluster', `does not list this server (${name}); a server joining an existing cluster needs --initial-cluster-state existing`);
  }
  const cfg: ServerConfig = {
    ...SERVER_DEFAULTS,
    ...Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)),
    name,
    dataDir: f.dataDir,
    peerAddr,
    clientAddr,
    initialCluster,
    initialClusterState,
    logger: f.logger,
  };
  for (const field of ['tickMs', 'electionTicks', 'heartbeatTicks', 'snapshotEvery', 'defaultRequestTimeoutMs', 'watchMaxPendingBytes', 'maxResponseBytes', 'maxWatchesPerStream', 'maxStreamsPerConnection', 'idleConnectionMs'] as const) {
    if (!Number.isInteger(cfg[field]) || cfg[field] <= 0) throw invalid(field, `must be a positive integer, got ${cfg[field]}`);
  }
  if (!Number.isInteger(cfg.snapshotKeepTail) || cfg.snapshotKeepTail < 0) throw invalid('snapshotKeepTail', 'must be a non-negative integer');
  if (cfg.heartbeatTicks >= cfg.electionTicks) throw invalid('heartbeatTicks', 'must be below electionTicks');
  if (cfg.aclDefaultPolicy !== 'allow' && cfg.aclDefaultPolicy !== 'deny') throw invalid('--acl-default-policy', `must be allow or deny, got ${JSON.stringify(cfg.aclDefaultPolicy)}`);
  return cfg;
}
