import type protobuf from 'protobufjs';
import type { Envelope, Envelope__Output } from '../gen/gossip/roster/gossip/v1/Envelope.js';
import type { MemberRecord__Output } from '../gen/gossip/roster/gossip/v1/MemberRecord.js';
import type { Meta__Output } from '../gen/gossip/roster/gossip/v1/Meta.js';
import type { News__Output, _roster_gossip_v1_News_Kind__Output as NewsKind } from '../gen/gossip/roster/gossip/v1/News.js';
import type { GossipMessage, MemberMeta, MemberRecord, MemberState, News } from '../gossip/messages.js';
import { protoType } from '../proto/proto-types.js';
import { isHostPort } from '../util/host-port.js';

/** The wire version this build speaks (Envelope.version). */
export const GOSSIP_WIRE_VERSION = 1;

let envelopeType: protobuf.Type | undefined;

/** The Envelope's protobuf type (gossip and keyring messages share it). */
export function envelope(): protobuf.Type {
  if (envelopeType !== undefined) return envelopeType;
  envelopeType = protoType('roster/gossip.proto', 'roster.gossip.v1.Envelope');
  return envelopeType;
}

/**
 * How packets are read: as src/gen/gossip was generated (scripts/gen-proto.ts), 64-bit integers
 * and enums as numbers, every field present, the oneof's name in `body`.
 */
export const DECODED = { longs: Number, enums: Number, defaults: true, oneofs: true } as const;

/**
 * Why a packet was dropped: counted by reason, never thrown past the transport. 'oversized': a
 * TCP frame over the limit; 'busy': a TCP connection beyond the concurrent limit.
 */
export type DropReason = 'malformed' | 'version' | 'foreign' | 'oversized' | 'busy' | 'undecryptable' | 'plaintext';

export class WireDrop extends Error {
  constructor(
    readonly reason: DropReason,
    detail: string,
  ) {
    super(`gossip packet dropped (${reason}): ${detail}`);
  }
}

const KINDS = ['alive', 'suspect', 'dead'] as const;
/** News.Kind's numbers on the wire, by the core's names. */
const KIND_NUMBERS: Readonly<Record<News['kind'], NewsKind>> = { alive: 0, suspect: 1, dead: 2 };
const STATES: readonly MemberState[] = ['alive', 'suspect', 'dead', 'left'];

export function encodeGossip(cluster: string, msg: GossipMessage): Uint8Array {
  const t = envelope();
  let body: Envelope;
  switch (msg.type) {
    case 'ping':
      body = { ping: { seq: msg.seq, target: msg.target } };
      break;
    case 'indirect-ping':
      body = { indirectPing: { seq: msg.seq, target: msg.target, targetAddr: msg.targetAddr, wantNack: msg.wantNack } };
      break;
    case 'ack':
      body = { ack: { seq: msg.seq } };
      break;
    case 'nack':
      body = { nack: { seq: msg.seq } };
      break;
    case 'gossip':
      body = { gossip: {} };
      break;
    case 'push-pull':
      body = { pushPull: { join: msg.join, reply: msg.reply, members: msg.members.map((m) => ({ ...m, meta: m.meta })) } };
      break;
  }
  const news = msg.type === 'push-pull' ? [] : msg.news.map((n) => ({ ...n, kind: KIND_NUMBERS[n.kind] }));
  const packet: Envelope = { version: GOSSIP_WIRE_VERSION, cluster, from: msg.from, news, ...body };
  return t.encode(t.fromObject(packet)).finish();
}

/** Decodes an Envelope and checks its version and pool; anything wrong is a WireDrop. */
export function decodeEnvelope(cluster: string, bytes: Uint8Array): Envelope__Output {
  let raw: Envelope__Output;
  try {
    const t = envelope();
    // protobufjs types its plain objects loosely; DECODED makes them what src/gen describes.
    raw = t.toObject(t.decode(bytes), DECODED) as Envelope__Output;
  } catch (err) {
    throw new WireDrop('malformed', err instanceof Error ? err.message : String(err));
  }
  if (raw.version !== GOSSIP_WIRE_VERSION) throw new WireDrop('version', `version ${String(raw.version)}, this member speaks ${GOSSIP_WIRE_VERSION}`);
  if (raw.cluster !== cluster) throw new WireDrop('foreign', `from pool "${String(raw.cluster)}", this is "${cluster}"`);
  return raw;
}

/** Decodes and checks a packet; anything wrong is a WireDrop naming the reason. */
export function decodeGossip(cluster: string, bytes: Uint8Array): GossipMessage {
  return gossipOf(decodeEnvelope(cluster, bytes));
}

/** The gossip message an Envelope carries (a keyring body is not one: 'malformed'). */
export function gossipOf(raw: Envelope__Output): GossipMessage {
  const from = name(raw.from, 'from');
  const news = raw.news.map(newsOf);
  switch (raw.body) {
    case 'ping':
      return { type: 'ping', seq: seq(raw.ping!.seq), target: name(raw.ping!.target, 'target'), from, news };
    case 'indirectPing':
      return { type: 'indirect-ping', seq: seq(raw.indirectPing!.seq), target: name(raw.indirectPing!.target, 'target'), targetAddr: addr(raw.indirectPing!.targetAddr), wantNack: raw.indirectPing!.wantNack === true, from, news };
    case 'ack':
      return { type: 'ack', seq: seq(raw.ack!.seq), from, news };
    case 'nack':
      return { type: 'nack', seq: seq(raw.nack!.seq), from, news };
    case 'gossip':
      return { type: 'gossip', from, news };
    case 'pushPull': {
      const pp = raw.pushPull!;
      return { type: 'push-pull', from, join: pp.join === true, reply: pp.reply === true, members: pp.members.map(recordOf) };
    }
    default:
      throw new WireDrop('malformed', 'no message body');
  }
}

function newsOf(n: News__Output): News {
  // A kind this build does not know (a newer member's) decodes as its bare number.
  const kind: string | undefined = KINDS[n.kind];
  const base = { name: name(n.name, 'news.name'), incarnation: incarnation(n.incarnation) };
  if (kind === 'alive') return { kind, ...base, addr: addr(n.addr), meta: metaOf(n.meta) };
  if (kind === 'suspect' || kind === 'dead') return { kind, ...base, from: name(n.from, 'news.from') };
  throw new WireDrop('malformed', `unknown news kind ${String(n.kind)}`);
}

function recordOf(r: MemberRecord__Output): MemberRecord {
  const state = r.state as MemberState;
  if (!STATES.includes(state)) throw new WireDrop('malformed', `unknown member state ${JSON.stringify(r.state)}`);
  return { name: name(r.name, 'member.name'), addr: addr(r.addr), incarnation: incarnation(r.incarnation), state, meta: metaOf(r.meta) };
}

function metaOf(m: Meta__Output | null): MemberMeta {
  const role: unknown = m?.role;
  if (role !== 'server' && role !== 'client') throw new WireDrop('malformed', `unknown role ${JSON.stringify(role)}`);
  // Agents dial these: one malformed address must be dropped here, not reach a gRPC client.
  for (const f of ['rpcAddr', 'apiAddr'] as const) {
    const v: unknown = m?.[f];
    if (v !== undefined && v !== '' && (typeof v !== 'string' || !isHostPort(v))) throw new WireDrop('malformed', `bad ${f} ${JSON.stringify(v)}`);
  }
  const clusterId: unknown = m?.clusterId;
  return { role, datacenter: String(m?.datacenter ?? ''), rpcAddr: String(m?.rpcAddr ?? ''), apiAddr: String(m?.apiAddr ?? ''), version: String(m?.version ?? ''), ...(typeof clusterId === 'string' && clusterId !== '' ? { clusterId } : {}) };
}

export function name(v: unknown, field: string): string {
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
