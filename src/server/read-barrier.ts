import { randomInt } from 'node:crypto';
import type { ReadState } from '../raft/index.js';
import { RosterError } from '../util/errors.js';
import type { LogIndex } from '../util/ids.js';
import { remainingMs, type Deadline } from '../time/deadline.js';

/** How the barrier reaches the Raft core and the leader hint it refuses with. */
export interface ReadAsker {
  /** Passes a read's request id to the core (RaftNode.readIndex); false when no leader is known. */
  ask(requestId: number): boolean;
  /** The UNAVAILABLE refusal of a read no leader confirmed in time, naming the leader if known. */
  unconfirmed(): RosterError;
}

interface PendingRead {
  /** Its current request id (a new one each time it is asked again). */
  id: number;
  readonly resolve: () => void;
  readonly reject: (err: Error) => void;
  /** The client's deadline. */
  readonly timer: NodeJS.Timeout;
  /** Until a leader confirms the read (cleared then). */
  confirmTimer: NodeJS.Timeout | undefined;
  /** Set once confirmed: the index the local state must reach. */
  index: LogIndex | undefined;
}

/**
 * Linearizable reads without a log write (ReadIndex). A read asks the core for a read index;
 * once the leader has confirmed it (a heartbeat round), the read waits until the local state
 * machine has applied that index, then proceeds on the local state. Works on followers too.
 *
 * A follower's request to its leader is a message the leader may never answer: it may be dead,
 * or it may have lost leadership (a leader forgets its unconfirmed reads on a term change). So
 * on every leader change the reads not yet confirmed are asked again, under new request ids, of
 * whoever leads now (a read started while no leader is known waits for one the same way); and a
 * read no leader confirms within `confirmWithinMs` (an election's worth) is refused with
 * UNAVAILABLE and the leader hint, which clients retry, instead of being held to its deadline.
 */
export class ReadBarrier {
  /**
   * Random start: a confirmation the leader queued for a previous process of this server must
   * not match a read of this one.
   */
  private nextId = 1 + randomInt(2 ** 47);
  private readonly pending = new Map<number, PendingRead>();
  private applied: LogIndex = 0;

  constructor(
    private readonly confirmWithinMs: number,
    private readonly asker: ReadAsker,
  ) {}

  /** Registers a read, resolved once it may be served from the local state. */
  start(deadline: Deadline): Promise<void> {
    const id = this.nextId++;
    const timeoutMs = remainingMs(deadline);
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(p.id);
        clearTimeout(p.confirmTimer);
        reject(new RosterError('UNAVAILABLE', 'etcdserver: request timed out waiting for the leader to confirm the read', { requestId: p.id }));
      }, timeoutMs);
      const p: PendingRead = { id, resolve, reject, timer, confirmTimer: undefined, index: undefined };
      if (this.confirmWithinMs < timeoutMs) {
        p.confirmTimer = setTimeout(() => {
          this.pending.delete(p.id);
          clearTimeout(p.timer);
          reject(this.asker.unconfirmed());
        }, this.confirmWithinMs);
      }
      this.pending.set(id, p);
      this.asker.ask(id);
    });
  }

  /** The core confirmed reads. */
  confirmed(states: readonly ReadState[]): void {
    for (const rs of states) {
      const p = this.pending.get(rs.requestId);
      if (p === undefined || p.index !== undefined) continue;
      p.index = rs.index;
      clearTimeout(p.confirmTimer);
      p.confirmTimer = undefined;
      if (rs.index <= this.applied) this.finish(rs.requestId, p);
    }
  }

  /**
   * Another leader (or none): the old one will not confirm what it was asked, so every read
   * not yet confirmed is asked again (new ids, so a late answer to the old request is ignored).
   */
  leaderChanged(): void {
    const unconfirmed = [...this.pending].filter(([, p]) => p.index === undefined);
    for (const [oldId, p] of unconfirmed) {
      this.pending.delete(oldId);
      p.id = this.nextId++;
      this.pending.set(p.id, p);
      this.asker.ask(p.id);
    }
  }

  /** The state machine applied up to `index`: reads waiting for it proceed. */
  appliedTo(index: LogIndex): void {
    this.applied = index;
    for (const [id, p] of this.pending) if (p.index !== undefined && p.index <= index) this.finish(id, p);
  }

  /** Resolves once the local state has applied `index` (no leader round: the caller knows the index). */
  waitApplied(index: LogIndex, deadline: Deadline): Promise<void> {
    if (index <= this.applied) return Promise.resolve();
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new RosterError('UNAVAILABLE', `etcdserver: timed out applying up to index ${index}`));
      }, remainingMs(deadline));
      this.pending.set(id, { id, resolve, reject, timer, confirmTimer: undefined, index });
    });
  }

  /** Reads waiting (asked, confirmed or for their index). */
  get size(): number {
    return this.pending.size;
  }

  failAll(err: Error): void {
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      clearTimeout(p.confirmTimer);
      p.reject(err);
    }
    this.pending.clear();
  }

  private finish(id: number, p: PendingRead): void {
    this.pending.delete(id);
    clearTimeout(p.timer);
    clearTimeout(p.confirmTimer);
    p.resolve();
  }
}
