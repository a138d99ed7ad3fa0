import type { NodeId } from '../util/ids.js';

const scratch: number[] = [];

/**
 * The largest value that a majority of `voters` have reached: with values sorted in descending
 * order, the one at position floor(n / 2). Used for the commit index (over match indexes) and
 * for confirming reads (over acknowledged read sequence numbers). Voters without a value count
 * as 0. With no voters the result is 0: nothing can be decided.
 */
export function majorityValue(voters: readonly NodeId[], valueOf: (id: NodeId) => number): number {
  const n = voters.length;
  if (n === 0) return 0;
  scratch.length = n;
  for (let i = 0; i < n; i++) scratch[i] = valueOf(voters[i]!);
  // Insertion sort, descending: n is a handful of servers, and this runs on every acknowledgement.
  for (let i = 1; i < n; i++) {
    const v = scratch[i]!;
    let j = i - 1;
    while (j >= 0 && scratch[j]! < v) {
      scratch[j + 1] = scratch[j]!;
      j--;
    }
    scratch[j + 1] = v;
  }
  return scratch[n >> 1]!;
}

export type VoteResult = 'won' | 'lost' | 'pending';

/** Tallies an election: only the votes of `voters` count; learners and strangers never do. */
export function voteResult(voters: readonly NodeId[], votes: ReadonlyMap<NodeId, boolean>): VoteResult {
  const quorum = (voters.length >> 1) + 1;
  let granted = 0;
  let rejected = 0;
  for (const id of voters) {
    const v = votes.get(id);
    if (v === true) granted++;
    else if (v === false) rejected++;
  }
  if (granted >= quorum) return 'won';
  if (voters.length - rejected < quorum) return 'lost';
  return 'pending';
}

/** Whether the nodes for which `isActive` holds form a majority of `voters`. */
export function hasQuorum(voters: readonly NodeId[], isActive: (id: NodeId) => boolean): boolean {
  let active = 0;
  for (const id of voters) if (isActive(id)) active++;
  return voters.length > 0 && active >= (voters.length >> 1) + 1;
}
