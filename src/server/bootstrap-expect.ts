import { PLAINTEXT, type Dialer } from '../client/dialer.js';
import type { MemberView } from '../gossip/member-table.js';
import { etcdProto } from '../proto/etcd-proto.js';
import type { MemberListResponse__Output } from '../gen/etcd/etcdserverpb/MemberListResponse.js';
import { WAITING_MARK } from '../api/waiting-api.js';
import type { Logger } from '../util/logger.js';
import { tcpProbe } from '../agent/checks/tcp-probe.js';
import { FOUNDING_TOKEN_PREFIX } from './cluster-token.js';
import { clusterIdOf } from './identity.js';
import { monotonicClock } from '../time/monotonic-clock.js';

/** What a new server with --bootstrap-expect does once gossip has shown it enough. */
export type BootstrapDecision =
  /** Found a new cluster with exactly these servers (name -> peer address). */
  | { readonly kind: 'found'; readonly initialCluster: Readonly<Record<string, string>>; readonly token: string }
  /** A cluster already runs: join it (the leader's autopilot adds this server as a learner). */
  | { readonly kind: 'join'; readonly clusterId: string; readonly via: string; readonly servers: Readonly<Record<string, string>> };

/** What a running server says of its cluster. */
export interface RunningCluster {
  readonly clusterId: string;
  /** Its members: name -> peer address. */
  readonly members: Readonly<Record<string, string>>;
}

export interface BootstrapOptions {
  readonly self: string;
  readonly expect: number;
  readonly datacenter: string;
  readonly members: () => readonly MemberView[];
  readonly logger: Logger;
  /** How long the set of servers seen must stay the same before founding (default 2 s). */
  readonly settleMs?: number;
  /**
   * What runs at a server's API address: its cluster; 'absent' when nothing listens there (that
   * server has not decided yet); 'unsure' when something listens but could not say (an
   * election, say): then nobody may found, since a cluster exists.
   */
  readonly probe?: (apiAddr: string) => Promise<RunningCluster | 'absent' | 'unsure'>;
  /** How other servers' client ports are dialed (TLS when configured). */
  readonly dial?: Dialer;
}

/**
 * Consul's bootstrap-expect: wait until gossip shows `expect` servers of this datacenter, then
 * found the Raft cluster with exactly the servers seen, the same on each of them (every server
 * computes the configuration from the same gossip view, sorted by name), once the set has stayed
 * unchanged for a moment. A server that already runs settles it: if its founding configuration
 * lists this server, found with exactly that one; otherwise the cluster exists without it, so
 * join (take its id; autopilot adds it as a learner), never found a second one. A server that has ever started
 * keeps its data dir's identity and never comes here again.
 */
export async function awaitBootstrap(o: BootstrapOptions): Promise<BootstrapDecision> {
  const probe = o.probe ?? ((addr: string) => clusterAt(addr, o.dial ?? PLAINTEXT));
  const settleMs = o.settleMs ?? 2000;
  let last = '';
  let since = monotonicClock.now();
  let reported = -Infinity;
  // The founding tokens servers announced while deciding (a quicker founder announces its
  // cluster id once founded, so the token it founded with is remembered from before).
  const tokens = new Map<string, string>();
  const tokenOf = (founders: Readonly<Record<string, string>>): string => tokens.get(Object.keys(founders).sort()[0] ?? '') ?? '';
  for (;;) {
    const servers = o.members().filter((m) => m.meta.role === 'server' && m.state === 'alive' && m.meta.datacenter === o.datacenter);
    for (const s of servers) {
      const announced = s.meta.clusterId ?? '';
      if (announced.startsWith(FOUNDING_TOKEN_PREFIX)) tokens.set(s.name, announced.slice(FOUNDING_TOKEN_PREFIX.length));
    }
    let unsure = false;
    for (const s of servers) {
      if (s.name === o.self || s.meta.apiAddr === '') continue;
      const running = await probe(s.meta.apiAddr);
      if (running === 'absent') continue;
      if (running === 'unsure') {
        unsure = true;
        continue;
      }
      // A quicker founder: its member list is still the founding configuration (its cluster id
      // says so) and lists this server, so found with exactly that: the same configuration, the
      // same id, the same first entry. Otherwise (autopilot already added us, or the membership
      // changed since) the cluster exists: take its id and be brought up to date by its leader.
      if (running.members[o.self] !== undefined && clusterIdOf(running.members, tokenOf(running.members)) === running.clusterId) return { kind: 'found', initialCluster: running.members, token: tokenOf(running.members) };
      const others = Object.fromEntries(Object.entries(running.members).filter(([n]) => n !== o.self));
      return { kind: 'join', clusterId: running.clusterId, via: s.name, servers: others };
    }
    // Tokens are part of the view: founding waits until every server sees the same ones.
    const key = servers
      .map((s) => `${s.name}=${s.meta.rpcAddr}/${tokens.get(s.name) ?? ''}`)
      .sort()
      .join(',');
    if (key !== last) {
      last = key;
      since = monotonicClock.now();
    }
    if (!unsure && servers.length >= o.expect && monotonicClock.now() - since >= settleMs) {
      const initialCluster = Object.fromEntries(servers.map((s): [string, string] => [s.name, s.meta.rpcAddr]).sort(([a], [b]) => a.localeCompare(b)));
      return { kind: 'found', initialCluster, token: tokenOf(initialCluster) };
    }
    if (monotonicClock.now() - reported > 5000) {
      reported = monotonicClock.now();
      o.logger.info('waiting for servers to bootstrap', { expect: o.expect, seen: servers.map((s) => s.name) });
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * What runs at `apiAddr`. A server opens its API only once it has decided (founded or joined);
 * until then its port is closed or answers every call UNAVAILABLE with the waiting mark
 * (waiting-api.ts): both mean "not yet". A listening one that does not give its member list in
 * time (a loaded or starting server) is a cluster all the same. One call, not retried: a
 * waiting server's UNAVAILABLE is an answer.
 */
async function clusterAt(apiAddr: string, dial: Dialer): Promise<RunningCluster | 'absent' | 'unsure'> {
  if ((await tcpProbe(apiAddr)(1000)).status !== 'passing') return 'absent';
  const { credentials, options } = dial(apiAddr);
  const client = new (etcdProto().etcdserverpb.Cluster)(apiAddr, credentials, options);
  try {
    const res = await new Promise<MemberListResponse__Output | 'absent' | undefined>((resolve) => {
      client.MemberList({}, { deadline: Date.now() + 2000 }, (err, reply) => {
        if (err !== null) resolve(err.metadata?.get(WAITING_MARK).length > 0 ? 'absent' : undefined);
        else resolve(reply);
      });
    });
    if (res === undefined) return 'unsure';
    if (res === 'absent') return 'absent';
    const members = Object.fromEntries(res.members.filter((m) => m.name !== '' && m.peerURLs[0] !== undefined).map((m) => [m.name, m.peerURLs[0]!.replace(/^https?:\/\//, '')]));
    return { clusterId: String(res.header!.clusterId), members };
  } finally {
    client.close();
  }
}
