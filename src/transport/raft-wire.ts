import type { Entry, Message } from '../raft/index.js';
import type { RaftMessage } from '../gen/roster/roster/raft/v1/RaftMessage.js';
import type { RaftMessage__Output } from '../gen/roster/roster/raft/v1/RaftMessage.js';
import { nodeId, type NodeId } from '../util/ids.js';
import { RosterError } from '../util/errors.js';

/**
 * Conversion between the core's Message and the RaftMessage of proto/roster/raft.proto.
 * Snapshots never travel as a RaftMessage: they are streamed by InstallSnapshot.
 */
type WireType = NonNullable<RaftMessage['type']>;

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

export function toWire(m: Exclude<Message, { type: 'snap' }>): RaftMessage {
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

/** Decodes a received message; malformed input throws BAD_MESSAGE (the stream is dropped). */
export function fromWire(w: RaftMessage__Output): Message {
  const from = id(w.from);
  const to = id(w.to);
  const term = w.term;
  switch (w.type) {
    case 'APP':
      return { type: 'app', from, to, term, index: w.index, logTerm: w.logTerm, commit: w.commit, entries: w.entries.map(entryFromWire) };
    case 'APP_RESP':
      return { type: 'appResp', from, to, term, index: w.index, reject: w.reject, hintIndex: w.hintIndex, hintTerm: w.hintTerm };
    case 'HEARTBEAT':
      return { type: 'heartbeat', from, to, term, commit: w.commit, readSeq: w.readSeq };
    case 'HEARTBEAT_RESP':
      return { type: 'heartbeatResp', from, to, term, readSeq: w.readSeq };
    case 'VOTE':
    case 'PRE_VOTE':
      return { type: w.type === 'VOTE' ? 'vote' : 'preVote', from, to, term, index: w.index, logTerm: w.logTerm, transfer: w.transfer };
    case 'VOTE_RESP':
    case 'PRE_VOTE_RESP':
      return { type: w.type === 'VOTE_RESP' ? 'voteResp' : 'preVoteResp', from, to, term, reject: w.reject };
    case 'TIMEOUT_NOW':
      return { type: 'timeoutNow', from, to, term };
    case 'READ_INDEX':
      return { type: 'readIndex', from, to, term, requestId: w.requestId };
    case 'READ_INDEX_RESP':
      return { type: 'readIndexResp', from, to, term, requestId: w.requestId, index: w.index };
    default:
      throw new RosterError('BAD_MESSAGE', `unknown raft message type ${String(w.type)}`);
  }
}

function entryFromWire(e: { term: number; index: number; kind: string; data: Buffer }): Entry {
  return { term: e.term, index: e.index, kind: e.kind === 'CONF' ? 'conf' : 'normal', data: e.data };
}

function id(raw: string): NodeId {
  try {
    return nodeId(raw);
  } catch {
    throw new RosterError('BAD_MESSAGE', `invalid node id in raft message: ${JSON.stringify(raw)}`);
  }
}
