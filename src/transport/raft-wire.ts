import type { Entry, Message, SnapshotMeta } from '../raft/index.js';
import type { SnapshotChunk__Output } from '../gen/roster/roster/raft/v1/SnapshotChunk.js';
import type { RaftMessage__Output } from '../gen/roster/roster/raft/v1/RaftMessage.js';
import { nodeId, type NodeId } from '../util/ids.js';
import { inWireBounds, MAX_WIRE_INDEX, MAX_WIRE_TERM } from '../util/wire-bounds.js';
import { PEER_MESSAGE_MAX_BYTES } from './peer-channel.js';
import type { OutgoingRaftMessage } from './raft-message-codec.js';
import { RaftWireDrop } from './raft-wire-drop.js';

/**
 * Conversion between the core's Message and the RaftMessage of proto/roster/raft.proto.
 * Snapshots never travel as a RaftMessage: they are streamed by InstallSnapshot.
 */
type WireType = OutgoingRaftMessage['type'];

const TO_WIRE: Record<Exclude<Message['type'], 'snap'>, WireType> = {
  app: 'APP',
  appResp: 'APP_RESP',
  heartbeat: 'HEARTBEAT',
  heartbeatResp: 'HEARTBEAT_RESP',
  vote: 'VOTE',
  preVote: 'PRE_VOTE',
  voteResp: 'VOTE_RESP',
  preVoteResp: 'PRE_VOTE_RESP',
  timeoutNow: 'TIMEOUT_NOW',
  readIndex: 'READ_INDEX',
  readIndexResp: 'READ_INDEX_RESP',
};

export function toWire(m: Exclude<Message, { type: 'snap' }>): OutgoingRaftMessage {
  const base = { type: TO_WIRE[m.type], from: m.from, to: m.to, term: m.term };
  switch (m.type) {
    case 'app':
      return {
        ...base,
        index: m.index,
        logTerm: m.logTerm,
        commit: m.commit,
        entries: m.entries.map((e) => ({ term: e.term, index: e.index, kind: e.kind === 'conf' ? 'CONF' : 'NORMAL', data: e.data })),
      };
    case 'appResp':
      return { ...base, index: m.index, reject: m.reject, hintIndex: m.hintIndex, hintTerm: m.hintTerm };
    case 'heartbeat':
      return { ...base, commit: m.commit, readSeq: m.readSeq };
    case 'heartbeatResp':
      return { ...base, readSeq: m.readSeq };
    case 'vote':
    case 'preVote':
      return { ...base, index: m.index, logTerm: m.logTerm, transfer: m.transfer };
    case 'voteResp':
    case 'preVoteResp':
      return { ...base, reject: m.reject };
    case 'timeoutNow':
      return base;
    case 'readIndex':
      return { ...base, requestId: m.requestId };
    case 'readIndexResp':
      return { ...base, requestId: m.requestId, index: m.index };
  }
}

/**
 * Every entry counts at least 16 bytes against the leader's budget (entrySize), and no message
 * over PEER_MESSAGE_MAX_BYTES is received at all: no real append holds more entries than this.
 */
export const MAX_WIRE_ENTRIES = PEER_MESSAGE_MAX_BYTES / 16;

/** Sequence numbers (reads) and request ids only have to stay exact integers. */
const MAX_WIRE_SEQ = Number.MAX_SAFE_INTEGER;

/**
 * Decodes a received message. Malformed input, and every number beyond what a real peer sends
 * (terms and indexes above 2^48, negative or fractional ones, too many entries), throws a
 * RaftWireDrop: the transport drops the message and counts it by reason. The core checks the
 * same bounds again (src/raft/message-bounds.ts), with the relations between fields.
 */
export function fromWire(w: RaftMessage__Output): Message {
  const from = id(w.from);
  const to = id(w.to);
  const term = bounded(w.term, MAX_WIRE_TERM, 'term');
  switch (w.type) {
    case 'APP': {
      if (w.entries.length > MAX_WIRE_ENTRIES) throw new RaftWireDrop('out_of_bounds', `an append of ${w.entries.length} entries (at most ${MAX_WIRE_ENTRIES})`);
      const entries = w.entries.map(entryFromWire);
      return { type: 'app', from, to, term, index: index(w.index, 'index'), logTerm: termOf(w.logTerm, 'logTerm'), commit: index(w.commit, 'commit'), entries };
    }
    case 'APP_RESP':
      return { type: 'appResp', from, to, term, index: index(w.index, 'index'), reject: w.reject, hintIndex: index(w.hintIndex, 'hintIndex'), hintTerm: termOf(w.hintTerm, 'hintTerm') };
    case 'HEARTBEAT':
      return { type: 'heartbeat', from, to, term, commit: index(w.commit, 'commit'), readSeq: bounded(w.readSeq, MAX_WIRE_SEQ, 'readSeq') };
    case 'HEARTBEAT_RESP':
      return { type: 'heartbeatResp', from, to, term, readSeq: bounded(w.readSeq, MAX_WIRE_SEQ, 'readSeq') };
    case 'VOTE':
    case 'PRE_VOTE':
      return { type: w.type === 'VOTE' ? 'vote' : 'preVote', from, to, term, index: index(w.index, 'index'), logTerm: termOf(w.logTerm, 'logTerm'), transfer: w.transfer };
    case 'VOTE_RESP':
    case 'PRE_VOTE_RESP':
      return { type: w.type === 'VOTE_RESP' ? 'voteResp' : 'preVoteResp', from, to, term, reject: w.reject };
    case 'TIMEOUT_NOW':
      return { type: 'timeoutNow', from, to, term };
    case 'READ_INDEX':
      return { type: 'readIndex', from, to, term, requestId: bounded(w.requestId, MAX_WIRE_SEQ, 'requestId') };
    case 'READ_INDEX_RESP':
      return { type: 'readIndexResp', from, to, term, requestId: bounded(w.requestId, MAX_WIRE_SEQ, 'requestId'), index: index(w.index, 'index') };
    default:
      throw new RaftWireDrop('malformed', `unknown raft message type ${String(w.type)}`);
  }
}

/**
 * The head of an InstallSnapshot stream (its first chunk), bounded like every message: a
 * malformed or out-of-bounds one is refused before any of the snapshot's data is read.
 * Membership lists are bounded by the node ids they hold and the message size.
 */
export function snapshotHeadFromWire(h: SnapshotChunk__Output): { term: number; meta: SnapshotMeta } {
  if (h.conf === null) throw new RaftWireDrop('malformed', 'snapshot without membership');
  const term = bounded(h.term, MAX_WIRE_TERM, 'snapshot term');
  const meta: SnapshotMeta = { index: index(h.index, 'snapshot index'), term: termOf(h.snapshotTerm, 'snapshot entry term'), conf: { voters: h.conf.voters.map(id), learners: h.conf.learners.map(id) } };
  return { term, meta };
}

function entryFromWire(e: { term: number; index: number; kind: string; data: Buffer }): Entry {
  return { term: termOf(e.term, 'entry term'), index: index(e.index, 'entry index'), kind: e.kind === 'CONF' ? 'conf' : 'normal', data: e.data };
}

function termOf(v: number, field: string): number {
  return bounded(v, MAX_WIRE_TERM, field);
}

function index(v: number, field: string): number {
  return bounded(v, MAX_WIRE_INDEX, field);
}

function bounded(v: number, max: number, field: string): number {
  if (!inWireBounds(v, max)) throw new RaftWireDrop('out_of_bounds', `raft message ${field} ${String(v)} is not an integer in [0, ${max}]`);
  return v;
}

function id(raw: string): NodeId {
  try {
    return nodeId(raw);
  } catch {
    throw new RaftWireDrop('malformed', `invalid node id in raft message: ${JSON.stringify(raw)}`);
  }
}
