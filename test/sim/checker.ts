import type { Entry, RaftNode } from '../../src/raft/index.js';
import type { NodeId } from '../../src/util/ids.js';
import { entryLabel, mixEntry } from './state-machine.js';

/** A broken safety or liveness property: the run fails and its seed is reported. */
export class SimViolation extends Error {
  constructor(
    readonly property: string,
    message: string,
  ) {
    super(`${property}: ${message}`);
    this.name = 'SimViolation';
  }
}

interface CommittedEntry {
  readonly term: number;
  readonly label: string;
  /** Rolling hash of entries 1..index (see ListStateMachine). */
  readonly hash: number;
}

/**
 * The safety properties of Raft (Figure 3 of the paper), checked incrementally after every
 * simulator step:
 * - election safety: at most one leader per term (and at most one vote per node per term);
 * - log matching: entries with the same index and term have the same payload and follow
 *   entries of the same term, so logs that share an entry share the whole prefix before it;
 * - leader completeness: a new leader's log holds every entry committed so far;
 * - state machine safety: every node applies exactly the committed history, in order, so each
 *   node's applied sequence is a prefix of the longest;
 * - no committed entry is ever lost or changed: the record of committed entries is append-only
 *   and every later commit or apply must agree with it;
 * - reads: a linearizable read sees every write acknowledged before the read began.
 */
export class SafetyChecker {
  private readonly leaderOfTerm = new Map<number, NodeId>();
  private readonly voteOf = new Map<string, NodeId>();
  /** (index, term) -> payload label and the term of the entry before it. */
  private readonly seen = new Map<number, Map<number, { label: string; prevTerm: number }>>();
  /** committed[i] for i >= 2; 0 is the empty history and 1 the bootstrap snapshot. */
  private readonly committed: CommittedEntry[] = [
    { term: 0, label: '', hash: 0x811c9dc5 },
    { term: 1, label: 'bootstrap', hash: 0x811c9dc5 },
  ];

  get committedLength(): number {
    return this.committed.length - 1;
  }

  committedAt(index: number): CommittedEntry | undefined {
    return this.committed[index];
  }

  onLeaderElected(id: NodeId, term: number, node: RaftNode): void {
    const other = this.leaderOfTerm.get(term);
    if (other !== undefined && other !== id) {
      throw new SimViolation('election safety', `${other} and ${id} were both leader in term ${term}`);
    }
    this.leaderOfTerm.set(term, id);
    // Leader completeness: every entry committed so far is in the new leader's log.
    const st = node.status();
    if (st.lastIndex < this.committedLength) {
      throw new SimViolation('leader completeness', `${id} became leader of term ${term} with last index ${st.lastIndex}, but ${this.committedLength} entries are committed`);
    }
    for (let i = Math.max(2, st.firstIndex); i <= this.committedLength; i++) {
      const t = node.termAt(i);
      const c = this.committed[i]!;
      if (t !== c.term) {
        throw new SimViolation('leader completeness', `${id} became leader of term ${term} with term ${t} at index ${i}, but committed entry ${i} has term ${c.term} (${c.label})`);
      }
    }
  }

  /** A vote grant left `voter`: it must be the only one of that term. */
  onVoteGranted(voter: NodeId, term: number, candidate: NodeId): void {
    const key = `${voter}@${term}`;
    const prior = this.voteOf.get(key);
    if (prior !== undefined && prior !== candidate) {
      throw new SimViolation('election safety', `${voter} voted for both ${prior} and ${candidate} in term ${term}`);
    }
    this.voteOf.set(key, candidate);
  }

  /**
   * Entries a node is about to persist (appended by a leader or accepted by a follower). `after`
   * is the snapshot of the same Ready: the production driver reports the entries once that
   * snapshot is installed, by when a newer snapshot may have replaced it in the core, so the
   * entry before them is the Ready's snapshot, not whatever the core now holds.
   */
  onEntriesAppended(id: NodeId, entries: readonly Entry[], node: RaftNode, after?: { readonly index: number; readonly term: number }): void {
    const first = entries[0];
    let prevTerm = first === undefined ? 0 : after !== undefined && after.index === first.index - 1 ? after.term : node.termAt(first.index - 1);
    for (const e of entries) {
      if (prevTerm === undefined) throw new SimViolation('log matching', `${id} appended entry ${e.index} after an unknown entry`);
      let byTerm = this.seen.get(e.index);
      if (byTerm === undefined) {
        byTerm = new Map();
        this.seen.set(e.index, byTerm);
      }
      const label = entryLabel(e);
      const prior = byTerm.get(e.term);
      if (prior === undefined) {
        byTerm.set(e.term, { label, prevTerm });
      } else if (prior.label !== label || prior.prevTerm !== prevTerm) {
        throw new SimViolation(
          'log matching',
          `${id} holds entry ${e.index}/${e.term} = ${label} after term ${prevTerm}, but another log has ${prior.label} after term ${prior.prevTerm}`,
        );
      }
      prevTerm = e.term;
    }
  }

  /**
   * A leader advanced its commit index over `entries`: each must already be durable (in storage
   * or a snapshot) on a majority of voters, of the configuration now or of the one at the entry.
   * Otherwise a crash of those servers loses an entry that may have been acknowledged.
   */
  onLeaderCommitted(id: NodeId, entries: readonly Entry[], node: RaftNode, durableOn: (voter: NodeId, e: Entry) => boolean): void {
    const current = node.status().conf.voters;
    for (const e of entries) {
      const majorityOf = (voters: readonly NodeId[]): boolean => voters.filter((v) => durableOn(v, e)).length > voters.length / 2;
      if (!majorityOf(current) && !majorityOf(node.confStateAt(e.index).voters)) {
        const holders = current.filter((v) => durableOn(v, e));
        throw new SimViolation(
          'committed entry not durable',
          `${id} committed entry ${e.index}/${e.term} while only [${holders.join(',')}] of voters [${current.join(',')}] had it on disk`,
        );
      }
    }
  }

  /** Entries a node considers committed (its commit index passed them), in index order. */
  onCommitted(id: NodeId, entries: readonly Entry[]): void {
    for (const e of entries) this.agree(id, e, 'committed');
  }

  /** A node applied `e`; `hashAfter` is its state machine's hash afterwards. */
  onApplied(id: NodeId, e: Entry, appliedBefore: number, hashAfter: number): void {
    if (e.index !== appliedBefore + 1) {
      throw new SimViolation('state machine safety', `${id} applied entry ${e.index} right after ${appliedBefore}`);
    }
    const c = this.agree(id, e, 'applied');
    if (c !== undefined && c.hash !== hashAfter) {
      throw new SimViolation('state machine safety', `${id} state after applying ${e.index} differs from the committed history`);
    }
  }

  /** A node restored its state machine from a snapshot ending at `index`. */
  onSnapshotRestored(id: NodeId, index: number, hash: number): void {
    const c = this.committed[index];
    if (index > 0 && c !== undefined && c.hash !== hash) {
      throw new SimViolation('state machine safety', `${id} restored a snapshot at ${index} whose state differs from the committed history`);
    }
  }

  /** A read began after writes up to log index `mustSee` were acknowledged; it saw `sawIndex`. */
  onReadServed(id: NodeId, requestId: number, mustSee: number, sawIndex: number): void {
    if (sawIndex < mustSee) {
      throw new SimViolation('linearizable reads', `read ${requestId} on ${id} saw the state at index ${sawIndex}, but a write at index ${mustSee} was acknowledged before the read began`);
    }
  }

  /** Checks `e` against the committed record, extending the record when it is the next entry. */
  private agree(id: NodeId, e: Entry, how: string): CommittedEntry | undefined {
    const known = this.committed[e.index];
    const label = entryLabel(e);
    if (known !== undefined) {
      if (known.term !== e.term || known.label !== label) {
        throw new SimViolation(
          'committed entry changed',
          `${id} ${how} entry ${e.index} as ${e.term}:${label}, but ${known.term}:${known.label} was committed there`,
        );
      }
      return known;
    }
    if (e.index !== this.committed.length) return undefined; // not contiguous with the record yet
    const rec = { term: e.term, label, hash: mixEntry(this.committed[e.index - 1]!.hash, e) };
    this.committed.push(rec);
    return rec;
  }
}
