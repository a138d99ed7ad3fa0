import type protobuf from 'protobufjs';
import type { GossipMessage, MemberMeta, MemberRecord, MemberState, News } from '../gossip/messages.js';
import { protoType } from '../proto/proto-types.js';
import { isHostPort } from '../util/host-port.js';

/** The wire version this build speaks (Envelope.version). */
export const GOSSIP_WIRE_VERSION = 1;

let envelopeType: protobuf.Type | undefined;

function envelope(): protobuf.Type {
  if (envelopeType !== undefined) return envelopeType;
  envelopeType = protoType('roster/gossip.proto', 'roster.gossip.v1.Envelope');
  return envelopeType;
}

/**
 * Why a packet was dropped: counted by reason, never thrown past the transport. 'oversized': a
 * TCP frame over the limit; 'busy': a TCP connection beyond the concurrent limit.
 */
export type DropReason = 'malformed' | 'version' | 'foreign' | 'oversized' | 'busy';

export class WireDrop extends Error {
  constructor(
    readonly reason: DropReason,
    detail: string,
  ) {
    super(`gossip packet dropped (${reason}): ${detail}`);
  }
}

const KINDS = ['alive', 'suspect', 'dead'] as const;
const STATES: readonly MemberState[] = ['alive', 'suspect', 'dead', 'left'];

export function encodeGossip(cluster: string, msg: GossipMessage): Uint8Array {
  const t = envelope();
  const body: Record<string, unknown> = {};
  switch (msg.type) {
    case 'ping':
      body.ping = { seq: msg.seq, target: msg.target };
      break;
    case 'indirect-ping':
      body.indirectPing = { seq: msg.seq, target: msg.target, targetAddr: msg.targetAddr, wantNack: msg.wantNack };
      break;
    case 'ack':
      body.ack = { seq: msg.seq };
      break;
    case 'nack':
      body.nack = { seq: msg.seq };
      break;
    case 'gossip':
      body.gossip = {};
      break;
    case 'push-pull':
      body.pushPull = { join: msg.join, reply: msg.reply, members: msg.members.map((m) => ({ ...m, meta: m.meta })) };
      break;
  }
  const news = msg.type === 'push-pull' ? [] : msg.news.map((n) => ({ ...n, kind: KINDS.indexOf(n.kind) }));
  return t.encode(t.fromObject({ version: GOSSIP_WIRE_VERSION, cluster, from: msg.from, news, ...body })).finish();
}

/** Decodes and checks a packet; anything wrong is a WireDrop naming the reason. */
export function decodeGossip(cluster: string, bytes: Uint8Array): GossipMessage {
  let raw: Record<string, unknown>;
  try {
    const t = envelope();
    raw = t.toObject(t.decode(bytes), { longs: Number, enums: Number, defaults: true, oneofs: true });
  } catch (err) {
    throw new WireDrop('malformed', err instanceof Error ? err.message : String(err));
  }
  if (raw.version !== GOSSIP_WIRE_VERSION) throw new WireDrop('version', `version ${String(raw.version)}, this member speaks ${GOSSIP_WIRE_VERSION}`);
  if (raw.cluster !== cluster) throw new WireDrop('foreign', `from pool "${String(raw.cluster)}", this is "${cluster}"`);
  const from = name(raw.from, 'from');
  const news = (raw.news as Record<string, unknown>[]).map(newsOf);
  const b = raw as Record<string, Record<string, unknown> | undefined>;
  switch (raw.body) {
    case 'ping':
      return { type: 'ping', seq: seq(b.ping!.seq), target: name(b.ping!.target, 'target'), from, news };
    case 'indirectPing':
      return { type: 'indirect-ping', seq: seq(b.indirectPing!.seq), target: name(b.indirectPing!.target, 'target'), targetAddr: addr(b.indirectPing!.targetAddr), wantNack: b.indirectPing!.wantNack === true, from, news };
    case 'ack':
      return { type: 'ack', seq: seq(b.ack!.seq), from, news };
    case 'nack':
      return { type: 'nack', seq: seq(b.nack!.seq), from, news };
    case 'gossip':
      return { type: 'gossip', from, news };
    case 'pushPull': {
      const pp = b.pushPull!;
      return { type: 'push-pull', from, join: pp.join === true, reply: pp.reply === true, members: (pp.members as Record<string, unknown>[]).map(recordOf) };
    }
    default:
      throw new WireDrop('malformed', 'no message body');
  }
}

function newsOf(n: Record<string, unknown>): News {
  const kind = KINDS[n.kind as number];
  const base = { name: name(n.name, 'news.name'), incarnation: incarnation(n.incarnation) };
  if (kind === 'alive') return { kind, ...base, addr: addr(n.addr), meta: metaOf(n.meta) };
  if (kind === 'suspect' || kind === 'dead') return { kind, ...base, from: name(n.from, 'news.from') };
  throw new WireDrop('malformed', `unknown news kind ${String(n.kind)}`);
}

function recordOf(r: Record<string, unknown>): MemberRecord {
  const state = r.state as MemberState;
  if (!STATES.includes(state)) throw new WireDrop('malformed', `unknown member state ${JSON.stringify(r.state)}`);
  return { name: name(r.name, 'member.name'), addr: addr(r.addr), incarnation: incarnation(r.incarnation), state, meta: metaOf(r.meta) };
}

function metaOf(m: unknown): MemberMeta {
  const o = (m ?? {}) as Record<string, unknown>;
  if (o.role !== 'server' && o.role !== 'client') throw new WireDrop('malformed', `unknown role ${JSON.stringify(o.role)}`);
  // Agents dial these: one malformed address must be dropped here, not reach a gRPC client.
  for (const f of ['rpcAddr', 'apiAddr'] as const) {
    const v = o[f];
    if (v !== undefined && v !== '' && (typeof v !== 'string' || !isHostPort(v))) throw new WireDrop('malformed', `bad ${f} ${JSON.stringify(v)}`);
  }
  // String() of whatever the decoder produced, as before: protobuf gives these fields as strings.
  // eslint-disable-next-line @typescript-eslint/no-base-to-string
  return { role: o.role, datacenter: String(o.datacenter ?? ''), rpcAddr: String(o.rpcAddr ?? ''), apiAddr: String(o.apiAddr ?? ''), version: String(o.version ?? ''), ...(typeof o.clusterId === 'string' && o.clusterId !== '' ? { clusterId: o.clusterId } : {}) };
}

function name(v: unknown, field: string): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > 128) throw new WireDrop('malformed', `${field} must be 1-128 characters`);
  return v;
}

function addr(v: unknown): string {
  if (typeof v !== 'string' || !isHostPort(v)) throw new WireDrop('malformed', `bad address ${JSON.stringify(v)}`);
  return v;
}

function seq(v: unknown): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new WireDrop('malformed', `bad sequence number ${String(v)}`);
  return v;
}

function incarnation(v: unknown): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new WireDrop('malformed', `bad incarnation ${String(v)}`);
  return v;
}
