/**
 * What members say to each other. The core builds and reads these plain objects; the transport
 * encodes them (protobuf, with a version) and decides nothing.
 */

export type Role = 'server' | 'client';

/** What a member tells others about itself; changes propagate with a new incarnation. */
export interface MemberMeta {
  readonly role: Role;
  readonly datacenter: string;
  /** host:port of its server RPC (servers) or agent RPC (clients). */
  readonly rpcAddr: string;
  /** host:port of its gRPC API. */
  readonly apiAddr: string;
  readonly version: string;
  /** A server's Raft cluster id, once it has one (autopilot adds only servers of its own). */
  readonly clusterId?: string;
}

/** Whether two metadata say the same (a change is spread as an update). */
export function sameMeta(a: MemberMeta, b: MemberMeta): boolean {
  return a.role === b.role && a.datacenter === b.datacenter && a.rpcAddr === b.rpcAddr && a.apiAddr === b.apiAddr && a.version === b.version && (a.clusterId ?? '') === (b.clusterId ?? '');
}

/**
 * News about one member, piggybacked on probes and gossip. A member takes news with a newer
 * incarnation, or a stronger state at the same incarnation (alive < suspect < dead), and passes
 * on only what it took, so its broadcast queue keeps the latest news per member.
 */
export type News =
  | { readonly kind: 'alive'; readonly name: string; readonly incarnation: number; readonly addr: string; readonly meta: MemberMeta }
  | { readonly kind: 'suspect'; readonly name: string; readonly incarnation: number; readonly from: string }
  /** `from === name` means the member left on purpose. */
  | { readonly kind: 'dead'; readonly name: string; readonly incarnation: number; readonly from: string };

export type MemberState = 'alive' | 'suspect' | 'dead' | 'left';

/** One member as carried by a push-pull exchange. */
export interface MemberRecord {
  readonly name: string;
  readonly addr: string;
  readonly incarnation: number;
  readonly state: MemberState;
  readonly meta: MemberMeta;
}

export type GossipMessage =
  /** Are you alive? `target` guards against a different member now at the same address. */
  | { readonly type: 'ping'; readonly seq: number; readonly target: string; readonly from: string; readonly news: readonly News[] }
  /** Please probe `target` for me, and (Lifeguard) tell me if you could not reach it. */
  | { readonly type: 'indirect-ping'; readonly seq: number; readonly target: string; readonly targetAddr: string; readonly wantNack: boolean; readonly from: string; readonly news: readonly News[] }
  | { readonly type: 'ack'; readonly seq: number; readonly from: string; readonly news: readonly News[] }
  /** I relayed your probe and got no answer: I am alive and reachable, so you are probably fine. */
  | { readonly type: 'nack'; readonly seq: number; readonly from: string; readonly news: readonly News[] }
  | { readonly type: 'gossip'; readonly from: string; readonly news: readonly News[] }
  /** Full state, over TCP; `reply` marks the answer to a request. */
  | { readonly type: 'push-pull'; readonly from: string; readonly join: boolean; readonly reply: boolean; readonly members: readonly MemberRecord[] };

/** A message to send: UDP for everything that fits one packet, TCP for push-pull. */
export interface Packet {
  readonly to: string;
  readonly channel: 'udp' | 'tcp';
  readonly msg: GossipMessage;
}

/**
 * A generous estimate of one piece of news's encoded size, so the core fills a packet without
 * an encoder; the transport still checks the real size and falls back to TCP.
 */
export function newsBytes(n: News): number {
  const base = 24 + n.name.length;
  if (n.kind !== 'alive') return base + n.from.length;
  const m = n.meta;
  return base + n.addr.length + m.datacenter.length + m.rpcAddr.length + m.apiAddr.length + m.version.length + (m.clusterId?.length ?? 0) + 28;
}

/** Bytes of a message without its news (headers, names, addresses). */
export const MESSAGE_OVERHEAD_BYTES = 128;
