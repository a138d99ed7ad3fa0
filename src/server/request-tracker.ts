import { requestIdKey } from '../store/request-id.js';
import { RosterError } from '../util/errors.js';
import type { LogIndex, NodeId, Term } from '../util/ids.js';
import { remainingMs, type Deadline } from '../time/deadline.js';

interface Waiter<T> {
  readonly resolve: (value: T) => void;
  readonly reject: (err: Error) => void;
  readonly timer: NodeJS.Timeout | undefined;
  /**
   * Handed to the leader by this follower and not yet known to be in its log: a leader change
   * leaves its fate unknown. Once the leader says where it appended it, it is placed (false).
   */
  forwarded: boolean;
  /** The leader it was sent to: only that server's word places it. */
  sentTo?: NodeId;
  /** Waits by its index alone (an entry without a request id). */
  readonly byIndex: boolean;
}

/** A waiter known to wait for the entry at an index, with the term it was appended in. */
interface Placement {
  readonly term: Term;
  readonly key: string;
  /** Waits by its index alone (an entry without a request id): applying that index answers it. */
  readonly byIndex: boolean;
}

/** Keys of client writes and of entries waiting by index never collide: each has its own first letter. */
const idKey = (id: Uint8Array): string => `r${requestIdKey(id)}`;

const leaderChanged = (details: Record<string, unknown> = {}): RosterError => new RosterError('LEADER_CHANGED', 'etcdserver: leader changed', details);

/**
 * Every request waiting on this server for its Raft entry to be applied; the answer is this
 * server's own (deterministic) result of applying it.
 *
 * A client write carries a request id, and is found by it when its entry applies, wherever that
 * is in the log. An entry without one (a membership change, a member's attributes) is proposed
 * here as leader and waits by its index. Whenever the (index, term) of a request is known (it
 * was proposed here, or the leader said where it appended it), an entry of another term applied
 * at that index means a new leader replaced it: the request fails at once ("leader changed",
 * retryable) instead of at its deadline.
 */
export class RequestTracker<T> {
  /** By request id key, or by a key of its own for an entry waiting by index. */
  private readonly waiting = new Map<string, Waiter<T>>();
  /** Requests whose (index, term) is known, by index. */
  private readonly placed = new Map<LogIndex, Placement>();
  private byIndexSeq = 0;

  /** A client write with request id `id`; `forwarded` if it is handed to the leader rather than proposed here. */
  wait(id: Uint8Array, deadline: Deadline, forwarded: boolean): Promise<T> {
    return this.add(idKey(id), deadline, { forwarded, byIndex: false });
  }

  /** A client write proposed here as leader was appended at (`index`, `term`). */
  proposedAt(index: LogIndex, term: Term, id: Uint8Array): void {
    this.place(index, { term, key: idKey(id), byIndex: false });
  }

  /** An entry without a request id, proposed here as leader at (`index`, `term`): applying that index answers it. */
  waitAt(index: LogIndex, term: Term, deadline: Deadline | undefined): Promise<T> {
    const key = `i${index}#${this.byIndexSeq++}`;
    const done = this.add(key, deadline, { forwarded: false, byIndex: true }, { index });
    this.place(index, { term, key, byIndex: true });
    return done;
  }

  /** These forwarded writes went to `to` (the leader then). */
  sent(ids: readonly Uint8Array[], to: NodeId): void {
    for (const id of ids) {
      const w = this.waiting.get(idKey(id));
      if (w?.forwarded === true) w.sentTo = to;
    }
  }

  /**
   * `from`, the leader these forwarded writes were sent to, appended them from (`index`, `term`)
   * on: each waits for that index now, like a write proposed here (applied there with another
   * term: it was replaced). Another server's word about them is ignored.
   */
  placedAt(index: number, term: number, ids: readonly Uint8Array[], from: NodeId): void {
    ids.forEach((id, i) => {
      const key = idKey(id);
      const w = this.waiting.get(key);
      if (w === undefined || !w.forwarded || w.sentTo !== from) return;
      w.forwarded = false;
      this.place(index + i, { term, key, byIndex: false });
    });
  }

  /** An entry was applied at (index, term); `id` is its request id, if it carries one; `result` is what applying it produced. */
  applied(index: LogIndex, term: Term, id: Uint8Array | undefined, result: () => T | Error): void {
    const mine = this.placed.get(index);
    if (mine !== undefined) {
      this.placed.delete(index);
      if (mine.term !== term) this.finish(mine.key, leaderChanged(mine.byIndex ? { index } : {}));
      else if (mine.byIndex) this.finish(mine.key, result());
    }
    if (id === undefined) return;
    const key = idKey(id);
    if (!this.waiting.has(key)) return;
    this.finish(key, result());
  }

  /** The leader refused these requests (it is not the leader). */
  refused(ids: readonly Uint8Array[], err: Error): void {
    for (const id of ids) this.finish(idKey(id), err);
  }

  /**
   * The leader changed: writes handed to the old one may or may not commit; their clients get
   * "leader changed" (as from etcd), the same uncertainty as a timeout. With `to`, only those
   * handed to that server (the connection to it broke).
   */
  failForwarded(err: Error, graceMs = 0, to?: NodeId): void {
    const keys = [...this.waiting].filter(([, w]) => w.forwarded && (to === undefined || w.sentTo === to)).map(([key]) => key);
    const fail = (): void => {
      for (const key of keys) if (this.waiting.get(key)?.forwarded === true) this.finish(key, err);
    };
    // The old leader's word on where it put them may still be on its way (sent before the
    // change, overtaken by the new leader's first message): it is waited for, this long.
    if (graceMs <= 0) fail();
    else setTimeout(fail, graceMs);
  }

  /**
   * A snapshot up to `index` was installed: it jumped past entries, so whether they were
   * applied cannot be learned here. Every client write fails, and every entry waiting by an
   * index the snapshot covers.
   */
  snapshotInstalled(index: LogIndex): void {
    for (const [i, p] of this.placed) {
      if (p.byIndex && i <= index) {
        this.placed.delete(i);
        this.finish(p.key, leaderChanged({ index: i }));
      }
    }
    for (const [key, w] of this.waiting) if (!w.byIndex) this.finish(key, leaderChanged());
    for (const [i, p] of this.placed) if (!p.byIndex) this.placed.delete(i);
  }

  /** Fails every request (the server stops). */
  failAll(err: Error): void {
    for (const key of [...this.waiting.keys()]) this.finish(key, err);
    this.placed.clear();
  }

  get size(): number {
    return this.waiting.size;
  }

  private add(key: string, deadline: Deadline | undefined, kind: { forwarded: boolean; byIndex: boolean }, details: Record<string, unknown> = {}): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer =
        deadline === undefined
          ? undefined
          : setTimeout(() => {
              if (this.waiting.get(key)?.timer === timer) this.waiting.delete(key);
              reject(new RosterError('TIMEOUT', 'etcdserver: request timed out', details));
            }, remainingMs(deadline));
      this.waiting.set(key, { resolve, reject, timer, ...kind });
    });
  }

  /**
   * Records where a request waits in the log. Whatever was placed at that index before is not the
   * entry there now (a leader appended another one there): one waiting by that index alone could
   * never learn its outcome, so it fails as "leader changed"; a client write still waits for its
   * request id (or its deadline).
   */
  private place(index: LogIndex, p: Placement): void {
    const prior = this.placed.get(index);
    if (prior?.byIndex === true && prior.key !== p.key) this.finish(prior.key, leaderChanged({ index }));
    this.placed.set(index, p);
  }

  private finish(key: string, outcome: T | Error): void {
    const w = this.waiting.get(key);
    if (w === undefined) return;
    this.waiting.delete(key);
    if (w.timer !== undefined) clearTimeout(w.timer);
    if (outcome instanceof Error) w.reject(outcome);
    else w.resolve(outcome);
  }
}
