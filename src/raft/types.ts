import type { LogIndex, NodeId, Term } from '../util/ids.js';

/**
 * `normal` entries carry application commands (an empty one is the leader's no-op);
 * `conf` entries carry an encoded ConfChange (see conf-change.ts).
 */
export type EntryKind = 'normal' | 'conf';

/** One log entry. Entries are immutable once created: logs, messages and storage share them. */
export interface Entry {
  readonly term: Term;
  readonly index: LogIndex;
  readonly kind: EntryKind;
  readonly data: Uint8Array;
}

/** The state that must be durable before any message that depends on it leaves the node. */
export interface HardState {
  readonly term: Term;
  /** The candidate this node voted for in `term`, or NO_NODE. */
  readonly vote: NodeId;
  readonly commit: LogIndex;
}

/** A cluster membership: voters decide, learners only receive the log. Both lists are sorted. */
export interface ConfState {
  readonly voters: readonly NodeId[];
  readonly learners: readonly NodeId[];
}

export interface SnapshotMeta {
  /** The last log index the snapshot includes. */
  readonly index: LogIndex;
  readonly term: Term;
  /** The membership as of `index`. */
  readonly conf: ConfState;
}

/** A point-in-time image of the state machine; `data` is opaque to the core. */
export interface Snapshot {
  readonly meta: SnapshotMeta;
  readonly data: Uint8Array;
}

export type Role = 'follower' | 'preCandidate' | 'candidate' | 'leader';

/**
 * A confirmed linearizable read: once the local state machine has applied `index`, the read
 * identified by `requestId` may be served from it.
 */
export interface ReadState {
  readonly index: LogIndex;
  readonly requestId: number;
}

/** Volatile facts the driver uses to route requests; reported in Ready when they change. */
export interface SoftState {
  readonly leader: NodeId;
  readonly role: Role;
}

export const EMPTY_DATA: Uint8Array = new Uint8Array(0);

export const EMPTY_CONF: ConfState = { voters: [], learners: [] };

/**
 * Every founding member of a new cluster starts from the same snapshot at index 1, term 1,
 * holding the initial membership and an empty state machine. Membership is thus always carried
 * by the log or a snapshot: a node that joins later starts empty, is behind the compacted log
 * from its first contact, and receives the membership with InstallSnapshot. (Were the initial
 * membership only local configuration, a joiner replaying the log from index 1 would never
 * learn who the founding voters are.)
 */
export const BOOTSTRAP_INDEX = 1;

export function bootstrapSnapshot(conf: ConfState): Snapshot {
  return { meta: { index: BOOTSTRAP_INDEX, term: BOOTSTRAP_INDEX, conf }, data: EMPTY_DATA };
}

export function isEmptyHardState(hs: HardState): boolean {
  return hs.term === 0 && hs.vote === '' && hs.commit === 0;
}

export function sameHardState(a: HardState, b: HardState): boolean {
  return a.term === b.term && a.vote === b.vote && a.commit === b.commit;
}

/** Bytes an entry counts for in size limits: its payload plus a fixed framing estimate. */
export function entrySize(e: Entry): number {
  return e.data.length + 16;
}
