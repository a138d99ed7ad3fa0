import { RosterError } from '../util/errors.js';

/**
 * Why a received Raft message was dropped before the core saw it: the `reason` label of
 * `roster_dropped_total{site="raft_peer"}`. Real peers send none of these.
 */
export type RaftWireDropReason =
  /** An unknown message type or an invalid node id. */
  | 'malformed'
  /** A term, index, count or size beyond what any real peer sends (src/util/wire-bounds.ts). */
  | 'out_of_bounds';

/** Thrown by the Raft wire decoder for a message to drop and count (code BAD_MESSAGE, as before). */
export class RaftWireDrop extends RosterError {
  constructor(
    readonly reason: RaftWireDropReason,
    message: string,
  ) {
    super('BAD_MESSAGE', message, { reason });
  }
}
