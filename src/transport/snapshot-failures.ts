import { backoffDelayMs } from '../util/backoff.js';
import type { NodeId } from '../util/ids.js';

/** One peer's InstallSnapshot failures since its last success. */
export interface SnapshotFailureStatus {
  /** Failures in a row. */
  readonly failures: number;
  readonly lastError: string;
  /** When the last one happened (the clock's milliseconds). */
  readonly lastAt: number;
  /** No new attempt before this time. */
  readonly retryAt: number;
}

export interface SnapshotFailuresOptions {
  /** The wait after the first failure; it doubles with each further one, up to `maxMs`. */
  readonly firstMs: number;
  readonly maxMs: number;
  /** At most one warning per peer this often; the failures in between are counted in the next. */
  readonly warnEveryMs: number;
  readonly now: () => number;
  /** In [0, 1): spreads the waits so that retries to many peers do not line up. */
  readonly random: () => number;
}

/** What the transport should do about a failure it just recorded. */
export interface FailureVerdict {
  readonly failures: number;
  readonly retryInMs: number;
  /** Log it at warn (else debug): the first of a run, then once per `warnEveryMs`. */
  readonly warn: boolean;
  /** Failures not warned about since the last warning. */
  readonly unreported: number;
}

/**
 * The leader's back-off for InstallSnapshot, per peer. A snapshot a follower refuses (or that
 * cannot be streamed) is otherwise resent at every heartbeat reply, ~20 times a second, each
 * time streaming and verifying the whole file: an exponential, capped, jittered wait before the
 * next attempt, reset by a success. It lives in the transport, not the Raft core: the core only
 * hears "not sent" (reportSnapshot false) for an attempt the back-off holds, and stays pure.
 */
export class SnapshotFailures {
  private readonly byPeer = new Map<NodeId, SnapshotFailureStatus & { warnedAt: number; unreported: number; unreachable: boolean }>();

  constructor(private readonly o: SnapshotFailuresOptions) {}

  /** True while `peer` is waiting out its back-off: do not send it a snapshot now. */
  waiting(peer: NodeId): boolean {
    const s = this.byPeer.get(peer);
    return s !== undefined && this.o.now() < s.retryAt;
  }

  /**
   * Records a failure. `unreachable`: the peer could not be reached at all (not running yet, a
   * new member still starting): its wait ends early once the peer is heard from again.
   */
  failed(peer: NodeId, error: string, unreachable = false): FailureVerdict {
    const now = this.o.now();
    const prev = this.byPeer.get(peer);
    const failures = (prev?.failures ?? 0) + 1;
    const full = backoffDelayMs(failures, { initialMs: this.o.firstMs, maxMs: this.o.maxMs });
    // "Equal jitter": half the wait is fixed, so the back-off still grows; half is random.
    const retryInMs = Math.round(full / 2 + this.o.random() * (full / 2));
    const warn = prev === undefined || now - prev.warnedAt >= this.o.warnEveryMs;
    const suppressed = prev?.unreported ?? 0;
    this.byPeer.set(peer, {
      failures,
      lastError: error,
      lastAt: now,
      retryAt: now + retryInMs,
      warnedAt: warn ? now : prev.warnedAt,
      unreported: warn ? 0 : suppressed + 1,
      unreachable,
    });
    return { failures, retryInMs, warn, unreported: warn ? suppressed : 0 };
  }

  /**
   * A message arrived from `peer`. If its last failure was that it could not be reached, it
   * now can: the next attempt need not wait out a back-off grown while it was starting (a
   * learner added before it runs). A peer that answers but refuses snapshots keeps its wait.
   */
  heardFrom(peer: NodeId): void {
    const s = this.byPeer.get(peer);
    if (s === undefined || !s.unreachable) return;
    this.byPeer.set(peer, { ...s, retryAt: Math.min(s.retryAt, this.o.now()), unreachable: false });
  }

  succeeded(peer: NodeId): void {
    this.byPeer.delete(peer);
  }

  status(peer: NodeId): SnapshotFailureStatus | undefined {
    const s = this.byPeer.get(peer);
    return s === undefined ? undefined : { failures: s.failures, lastError: s.lastError, lastAt: s.lastAt, retryAt: s.retryAt };
  }
}
