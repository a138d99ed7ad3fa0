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
  readonly resolve: () => void;
  readonly reject: (err: Error) => void;
  /** The client's deadline. */
  readonly timer: NodeJS.Timeout;
  /** Until a leader confirms the read (cleared then). */
  confirmTimer: NodeJS.Timeout | undefined;
  /** The round it waits in until it is confirmed. */
  round: Round | undefined;
  /** Set once confirmed: the index the local state must reach. */
  index: LogIndex | undefined;
}

/** Reads that share one ReadIndex request: every read in it began before the request was made. */
interface Round {
  /** Its request id (a new one each time its reads are asked again). */
  readonly id: number;
  readonly reads: Set<PendingRead>;
}

/**
 * How long the round in flight holds back the next one: normally it is answered after one
 * heartbeat round (a millisecond or two); a request lost with a dying leader, or one the leader
 * is slow to confirm, must not hold the reads behind it for longer.
 */
const ROUND_PATIENCE_MS = 50;

/**
 * Linearizable reads without a log write (ReadIndex). A read asks the core for a read index;
 * once the leader has confirmed it (a heartbeat round), the read waits until the local state
 * machine has applied that index, then proceeds on the local state. Works on followers too.
 *
 * Reads share requests, as etcd's server batches them: a read joins the round that has not been
 * asked yet, and that round is asked once the one in flight is answered (or after
 * ROUND_PATIENCE_MS). A round is only ever asked after each of its reads began, so the index
 * the leader confirms for it is one each of them may use; under load a follower then sends one
 * ReadIndex request per round trip instead of one per read.
 *
 * A follower's request to its leader is a message the leader may never answer: it may be dead,
 * or it may have lost leadership (a leader forgets its unconfirmed reads on a term change). So
 * on every leader change the reads not yet confirmed are asked again, in one round under a new
 * request id, of whoever leads now (a read started while no leader is known waits for one the
 * same way); and a read no leader confirms within `confirmWithinMs` (an election's worth) is
 * refused with UNAVAILABLE and the leader hint, which clients retry, instead of being held to
 * its deadline.
 */
export class ReadBarrier {
  /**
   * Random start: a confirmation the leader queued for a previous process of this server must
   * not match a read of this one.
   */
  private nextId = 1 + randomInt(2 ** 47);
  /** Every read waiting: asked, confirmed and waiting for its index, or waiting for an index it was given. */
  private readonly pending = new Set<PendingRead>();
  /** Rounds asked within ROUND_PATIENCE_MS and not yet answered, by request id: they hold the open round back. */
  private readonly asked = new Map<number, Round>();
  /** Rounds asked longer ago and not yet answered: an answer still counts, but they hold nothing back. */
  private readonly overdue = new Map<number, Round>();
  /** The round new reads join: asked when the one in flight is answered. */
  private open: Round | undefined;
  private patience: NodeJS.Timeout | undefined;
  private applied: LogIndex = 0;

  constructor(
    private readonly confirmWithinMs: number,
    private readonly asker: ReadAsker,
  ) {}

  /** Registers a read, resolved once it may be served from the local state. */
  start(deadline: Deadline): Promise<void> {
    const timeoutMs = remainingMs(deadline);
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.drop(p);
        reject(new RosterError('UNAVAILABLE', 'etcdserver: request timed out waiting for the leader to confirm the read'));
      }, timeoutMs);
      const p: PendingRead = { resolve, reject, timer, confirmTimer: undefined, round: undefined, index: undefined };
      if (this.confirmWithinMs < timeoutMs) {
        p.confirmTimer = setTimeout(() => {
          this.drop(p);
          reject(this.asker.unconfirmed());
        }, this.confirmWithinMs);
      }
      this.pending.add(p);
      const round = (this.open ??= { id: this.nextId++, reads: new Set() });
      round.reads.add(p);
      p.round = round;
      if (this.asked.size === 0) this.askOpen();
    });
  }

  /** The core confirmed reads. */
  confirmed(states: readonly ReadState[]): void {
    for (const rs of states) {
      const round = this.asked.get(rs.requestId) ?? this.overdue.get(rs.requestId);
      if (round === undefined) continue;
      this.asked.delete(rs.requestId);
      this.overdue.delete(rs.requestId);
      for (const p of round.reads) {
        p.round = undefined;
        p.index = rs.index;
        clearTimeout(p.confirmTimer);
        p.confirmTimer = undefined;
        if (rs.index <= this.applied) this.finish(p);
      }
    }
    if (this.asked.size === 0) this.askOpen();
  }

  /**
   * Another leader (or none): the old one will not confirm what it was asked, so every read
   * not yet confirmed is asked again in one round (a new id, so a late answer to an old request
   * is ignored).
   */
  leaderChanged(): void {
    const round: Round = { id: this.nextId++, reads: new Set() };
    for (const r of [...this.asked.values(), ...this.overdue.values(), ...(this.open === undefined ? [] : [this.open])]) {
      for (const p of r.reads) {
        p.round = round;
        round.reads.add(p);
      }
    }
    this.asked.clear();
    this.overdue.clear();
    this.open = round.reads.size === 0 ? undefined : round;
    this.askOpen();
  }

  /** The state machine applied up to `index`: reads waiting for it proceed. */
  appliedTo(index: LogIndex): void {
    this.applied = index;
    for (const p of this.pending) if (p.index !== undefined && p.index <= index) this.finish(p);
  }

  /** Resolves once the local state has applied `index` (no leader round: the caller knows the index). */
  waitApplied(index: LogIndex, deadline: Deadline): Promise<void> {
    if (index <= this.applied) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(p);
        reject(new RosterError('UNAVAILABLE', `etcdserver: timed out applying up to index ${index}`));
      }, remainingMs(deadline));
      const p: PendingRead = { resolve, reject, timer, confirmTimer: undefined, round: undefined, index };
      this.pending.add(p);
    });
  }

  /** Reads waiting (asked, confirmed or for their index). */
  get size(): number {
    return this.pending.size;
  }

  failAll(err: Error): void {
    for (const p of this.pending) {
      clearTimeout(p.timer);
      clearTimeout(p.confirmTimer);
      p.reject(err);
    }
    this.pending.clear();
    this.asked.clear();
    this.overdue.clear();
    this.open = undefined;
    clearTimeout(this.patience);
    this.patience = undefined;
  }

  /**
   * Asks the open round, if it has reads (kept even when no leader is known: the next leader
   * change asks it again). Until it is answered the next reads gather in a new open round;
   * after ROUND_PATIENCE_MS it is overdue, holds nothing back, and that one is asked.
   */
  private askOpen(): void {
    const round = this.open;
    if (round === undefined || round.reads.size === 0) return;
    this.open = undefined;
    this.asked.set(round.id, round);
    this.asker.ask(round.id);
    clearTimeout(this.patience);
    this.patience = setTimeout(() => {
      this.patience = undefined;
      for (const [id, r] of this.asked) this.overdue.set(id, r);
      this.asked.clear();
      this.askOpen();
    }, ROUND_PATIENCE_MS);
  }

  /** A read given up on (its deadline, or no confirmation in time): it leaves its round. */
  private drop(p: PendingRead): void {
    this.pending.delete(p);
    clearTimeout(p.timer);
    clearTimeout(p.confirmTimer);
    const round = p.round;
    p.round = undefined;
    if (round === undefined) return;
    round.reads.delete(p);
    if (round.reads.size > 0) return;
    // An asked round nobody waits for any more holds nothing back.
    this.overdue.delete(round.id);
    if (this.asked.delete(round.id) && this.asked.size === 0) this.askOpen();
  }

  private finish(p: PendingRead): void {
    this.pending.delete(p);
    clearTimeout(p.timer);
    clearTimeout(p.confirmTimer);
    p.resolve();
  }
}
