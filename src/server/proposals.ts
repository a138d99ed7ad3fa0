import { RosterError } from '../util/errors.js';
import type { LogIndex, Term } from '../util/ids.js';
import { remainingMs, type Deadline } from '../time/deadline.js';

interface Waiter<T> {
  readonly term: Term;
  readonly resolve: (value: T) => void;
  readonly reject: (err: Error) => void;
  readonly timer: NodeJS.Timeout | undefined;
}

/**
 * Client requests waiting for their Raft entry to be applied. A request proposed at
 * (index, term) succeeds when the entry applied at `index` has that term; if another entry
 * (from a new leader) is applied there instead, the request was never committed and fails with
 * a retryable error. Requests also fail at their deadline.
 */
export class ProposalTracker<T> {
  private readonly waiting = new Map<LogIndex, Waiter<T>>();

  wait(index: LogIndex, term: Term, deadline: Deadline | undefined): Promise<T> {
    // A request already waiting at this index was proposed by an earlier leadership whose
    // entry was truncated: it can never commit.
    const prior = this.waiting.get(index);
    if (prior !== undefined) {
      this.waiting.delete(index);
      if (prior.timer !== undefined) clearTimeout(prior.timer);
      prior.reject(new RosterError('LEADER_CHANGED', 'etcdserver: leader changed', { index }));
    }
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter<T> = {
        term,
        resolve,
        reject,
        timer:
          deadline === undefined
            ? undefined
            : setTimeout(() => {
                if (this.waiting.get(index) === waiter) this.waiting.delete(index);
                reject(new RosterError('TIMEOUT', 'etcdserver: request timed out', { index }));
              }, remainingMs(deadline)),
      };
      this.waiting.set(index, waiter);
    });
  }

  /** The entry at `index` was applied with `term`; `result` is what applying it produced. */
  applied(index: LogIndex, term: Term, result: () => T | Error): void {
    const w = this.waiting.get(index);
    if (w === undefined) return;
    this.waiting.delete(index);
    if (w.timer !== undefined) clearTimeout(w.timer);
    if (w.term !== term) {
      w.reject(new RosterError('LEADER_CHANGED', 'etcdserver: leader changed', { index }));
      return;
    }
    const r = result();
    if (r instanceof Error) w.reject(r);
    else w.resolve(r);
  }

  /** Entries up to `index` are covered by an installed snapshot: their outcome is unknown here. */
  coveredBySnapshot(index: LogIndex): void {
    for (const [i, w] of this.waiting) {
      if (i > index) continue;
      this.waiting.delete(i);
      if (w.timer !== undefined) clearTimeout(w.timer);
      w.reject(new RosterError('LEADER_CHANGED', 'etcdserver: leader changed', { index: i }));
    }
  }

  failAll(err: Error): void {
    for (const w of this.waiting.values()) {
      if (w.timer !== undefined) clearTimeout(w.timer);
      w.reject(err);
    }
    this.waiting.clear();
  }

  get size(): number {
    return this.waiting.size;
  }
}
