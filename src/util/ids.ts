/**
 * Identifiers shared by every module.
 *
 * NodeId is branded so that a node id can never be confused with an address, a key or a service
 * name. Terms and log indexes are plain numbers (see the README's design notes): Raft does
 * arithmetic on them on every line, and a brand would force a cast on each, hiding mistakes
 * rather than catching them. Both stay far below 2^53.
 */
export type NodeId = string & { readonly __brand: 'NodeId' };

/** A Raft term. 0 means "no term yet". */
export type Term = number;

/** A Raft log index. 0 means "before the first entry". */
export type LogIndex = number;

/** The absent node id, as in "no vote cast" or "no known leader". */
export const NO_NODE = '' as NodeId;

const NODE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Validates and brands a node id: 1-64 characters, letters, digits, '.', '_' and '-'. */
export function nodeId(raw: string): NodeId {
  if (!NODE_ID_PATTERN.test(raw)) {
    throw new TypeError(`invalid node id ${JSON.stringify(raw)}: use 1-64 letters, digits, '.', '_' or '-'`);
  }
  return raw as NodeId;
}
