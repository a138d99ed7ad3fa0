import type { LogIndex, NodeId, Term } from '../util/ids.js';
import type { Entry, Snapshot } from './types.js';

/**
 * The messages Raft peers exchange. Every message carries the sender's term; a receiver first
 * reconciles terms (raft.ts, stepTerm), then dispatches on `type` to the handler of its role.
 */
interface Base {
  readonly from: NodeId;
  readonly to: NodeId;
  readonly term: Term;
}

/** AppendEntries: `entries` follow the entry at (`index`, `logTerm`). */
export interface AppendMessage extends Base {
  readonly type: 'app';
  readonly index: LogIndex;
  readonly logTerm: Term;
  readonly entries: readonly Entry[];
  readonly commit: LogIndex;
}

/**
 * The answer to AppendEntries or InstallSnapshot. On success `index` is the follower's last
 * index known to match the leader. On rejection `index` is the rejected message's `index`, and
 * (`hintIndex`, `hintTerm`) is the follower's guess at the last entry that could match: the largest
 * index <= the probe whose term is <= the probe's term, so the leader can skip a whole term of
 * conflicting entries per round trip instead of one entry.
 */
export interface AppendResponseMessage extends Base {
  readonly type: 'appResp';
  readonly index: LogIndex;
  readonly reject: boolean;
  readonly hintIndex: LogIndex;
  readonly hintTerm: Term;
}

/** A heartbeat asserts leadership and carries the commit index; `readSeq` confirms reads. */
export interface HeartbeatMessage extends Base {
  readonly type: 'heartbeat';
  readonly commit: LogIndex;
  readonly readSeq: number;
}

export interface HeartbeatResponseMessage extends Base {
  readonly type: 'heartbeatResp';
  readonly readSeq: number;
}

/**
 * RequestVote and its Pre-Vote rehearsal. A pre-vote carries the term the sender would campaign
 * in (its term + 1) without the sender having moved to it.
 * `transfer` marks a campaign started by TimeoutNow: voters then skip the leader-lease check.
 */
export interface VoteMessage extends Base {
  readonly type: 'vote' | 'preVote';
  readonly index: LogIndex;
  readonly logTerm: Term;
  readonly transfer: boolean;
}

export interface VoteResponseMessage extends Base {
  readonly type: 'voteResp' | 'preVoteResp';
  readonly reject: boolean;
}

/** InstallSnapshot: the follower replaces its log with the snapshot. */
export interface SnapshotMessage extends Base {
  readonly type: 'snap';
  readonly snapshot: Snapshot;
}

/** Leadership transfer: the receiver campaigns at once, skipping Pre-Vote. */
export interface TimeoutNowMessage extends Base {
  readonly type: 'timeoutNow';
}

/** A follower asks the leader for a read index on behalf of its local read `requestId`. */
export interface ReadIndexMessage extends Base {
  readonly type: 'readIndex';
  readonly requestId: number;
}

export interface ReadIndexResponseMessage extends Base {
  readonly type: 'readIndexResp';
  readonly requestId: number;
  readonly index: LogIndex;
}

export type Message =
  | AppendMessage
  | AppendResponseMessage
  | HeartbeatMessage
  | HeartbeatResponseMessage
  | VoteMessage
  | VoteResponseMessage
  | SnapshotMessage
  | TimeoutNowMessage
  | ReadIndexMessage
  | ReadIndexResponseMessage;

export type MessageType = Message['type'];

/** A one-line rendering for traces and logs. */
export function describeMessage(m: Message): string {
  const head = `${m.from}->${m.to} ${m.type} t${m.term}`;
  switch (m.type) {
    case 'app': {
      const ents = m.entries.length === 0 ? '' : ` ents=${m.entries[0]!.index}..${m.entries[m.entries.length - 1]!.index}`;
      return `${head} prev=${m.index}/${m.logTerm}${ents} commit=${m.commit}`;
    }
    case 'appResp':
      return m.reject ? `${head} REJECT ${m.index} hint=${m.hintIndex}/${m.hintTerm}` : `${head} ok ${m.index}`;
    case 'heartbeat':
      return `${head} commit=${m.commit} read=${m.readSeq}`;
    case 'heartbeatResp':
      return `${head} read=${m.readSeq}`;
    case 'vote':
    case 'preVote':
      return `${head} last=${m.index}/${m.logTerm}${m.transfer ? ' transfer' : ''}`;
    case 'voteResp':
    case 'preVoteResp':
      return `${head} ${m.reject ? 'REJECT' : 'grant'}`;
    case 'snap':
      return `${head} snap=${m.snapshot.meta.index}/${m.snapshot.meta.term}`;
    case 'timeoutNow':
      return head;
    case 'readIndex':
      return `${head} req=${m.requestId}`;
    case 'readIndexResp':
      return `${head} req=${m.requestId} index=${m.index}`;
  }
}
