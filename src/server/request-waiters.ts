import { requestIdKey } from '../store/request-id.js';
import { RosterError } from '../util/errors.js';
import type { LogIndex, NodeId, Term } from '../util/ids.js';
import { remainingMs, type Deadline } from '../time/deadline.js';

interface Waiter<T> {
  readonly resolve: (value: T) => void;
  readonly reject: (err: Error) => void;
  readonly timer: NodeJS.Timeout;
  /**
   * Handed to the leader by this follower and not yet known to be in its log: a leader change
   * leaves its fate unknown. Once the leader says where it appended it, it is placed (false).
   */
  forwarded: boolean;
  /** The leader it was sent to: only that server's word places it. */
  sentTo?: NodeId;
}

/**
 * Client writes waiting for their entry, found by the request id it carries, to be applied on
 * this server: the answer is this server's own (deterministic) result of applying it. For
 * writes proposed here as leader the entry's (index, term) is known too, so a write whose entry
 * a new leader replaced fails at once instead of at its deadline.
 */
export class RequestWaiters<T> {
  private readonly waiting = new Map<string, Waiter<T>>();
  /** Writes proposed here: index -> (term, request key). */
  private readonly local = new Map<LogIndex, { term: Term; key: string }>();

  wait(id: Uint8Array, deadline: Deadline, forwarded: boolean): Promise<T> {
    const key = requestIdKey(id);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (this.waiting.get(key)?.timer === timer) this.waiting.delete(key);
        reject(new RosterError('TIMEOUT', 'etcdserver: request timed out'));
      }, remainingMs(deadline));
      this.waiting.set(key, { resolve, reject, timer, forwarded });
    });
  }

  proposedAt(index: LogIndex, term: Term, id: Uint8Array): void {
    this.local.set(index, { term, key: requestIdKey(id) });
  }

  /** These forwarded writes went to `to` (the leader then). */
  sent(ids: readonly Uint8Array[], to: NodeId): void {
    for (const id of ids) {
      const w = this.waiting.get(requestIdKey(id));
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
      const key = requestIdKey(id);
      const w = this.waiting.get(key);
      if (w === undefined || !w.forwarded || w.sentTo !== from) return;
      w.forwarded = false;
      this.local.set(index + i, { term, key });
    });
  }

  /** An entry was applied at (index, term); `id` is its request id, if it carries one. */
  applied(index: LogIndex, term: Term, id: Uint8Array | undefined, result: () => T | Error): void {
    const mine = this.local.get(index);
    if (mine !== undefined) {
      this.local.delete(index);
      if (mine.term !== term) this.finish(mine.key, new RosterError('LEADER_CHANGED', 'etcdserver: leader changed'));
    }
    if (id === undefined) return;
    const key = requestIdKey(id);
    if (!this.waiting.has(key)) return;
    this.finish(key, result());
  }

  /** The leader refused these requests (it is not the leader). */
  refused(ids: readonly Uint8Array[], err: Error): void {
    for (const id of ids) this.finish(requestIdKey(id), err);
  }

  /**
   * The leader changed: writes handed to the old one may or may not commit; their clients get
   * "leader changed" (as from etcd), the same uncertainty as a timeout.
   */
  failForwarded(err: Error, graceMs = 0): void {
    const keys = [...this.waiting].filter(([, w]) => w.forwarded).map(([key]) => key);
    const fail = (): void => {
      for (const key of keys) if (this.waiting.get(key)?.forwarded === true) this.finish(key, err);
    };
    // The old leader's word on where it put them may still be on its way (sent before the
    // change, overtaken by the new leader's first message): it is waited for, this long.
    if (graceMs <= 0) fail();
    else setTimeout(fail, graceMs);
  }

  /** A snapshot jumped past entries: their outcome cannot be learned here. */
  failAll(err: Error): void {
    for (const key of [...this.waiting.keys()]) this.finish(key, err);
    this.local.clear();
  }

  get size(): number {
    return this.waiting.size;
  }

  private finish(key: string, outcome: T | Error): void {
    const w = this.waiting.get(key);
    if (w === undefined) return;
    this.waiting.delete(key);
    clearTimeout(w.timer);
    if (outcome instanceof Error) w.reject(outcome);
    else w.resolve(outcome);
  }
}
