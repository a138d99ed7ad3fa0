import { describeMessage, mayLeaveBeforePersist, type Entry, type Message, type RaftDropReason, type RaftNode, type ReadState, type SnapshotMeta, type SoftState } from '../raft/index.js';
import { describeDiskFault, diskFaultCode, type DiskFaultCode } from '../store/leveldb/disk-fault.js';
import type { RaftWrite } from '../store/leveldb/level-raft-storage.js';
import { backoffDelayMs } from '../util/backoff.js';
import type { Clock } from '../util/clock.js';
import { isRosterError, RosterError } from '../util/errors.js';
import type { LogIndex } from '../util/ids.js';
import type { Logger } from '../util/logger.js';
import { noteDropped } from '../util/dropped.js';

/** Where committed entries go: applied in order, possibly after advance() (see RaftNode). */
export interface ApplyPipeline {
  enqueue(entries: readonly Entry[]): void;
  /** Replaces the state with a received snapshot; resolves once it is durable. */
  installSnapshot(meta: SnapshotMeta): Promise<void>;
}

/** The Raft log's writes, as the driver makes them (LevelRaftStorage). */
export interface DriverStorage {
  persist(w: RaftWrite, sync: boolean): Promise<void>;
  compact(point: SnapshotMeta, upTo: LogIndex): Promise<void>;
  /** After a failed write: start afresh on the same database. */
  reopen(): Promise<void>;
}

/** The driver's timers: Node's in a server, simulated time in the simulator. */
export interface DriverTimers {
  /** Calls `fn` every `ms`; returns how to stop it. */
  every(ms: number, fn: () => void): () => void;
  /** Calls `fn` once the current work is done (before any timer). */
  soon(fn: () => void): void;
  sleep(ms: number): Promise<void>;
}

/** A Raft log write that failed on a full or failing disk is retried after 100 ms, doubling to 2 s. */
const DISK_RETRY_BACKOFF = { initialMs: 100, maxMs: 2000 };

export const NODE_TIMERS: DriverTimers = {
  every: (ms, fn) => {
    const t = setInterval(fn, ms);
    return () => clearInterval(t);
  },
  soon: (fn) => void setImmediate(fn),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** What a heartbeat past our log means, for the operator: the one cause that is not forgery. */
const COMMIT_BEYOND_LOG =
  'a heartbeat asks to commit past the end of this log: forged, or this data dir lost Raft entries it had acknowledged (then remove this member and add it back with an empty data dir)';

export interface DriverDeps {
  /** Each persisted Ready: how long the write (and fsync, when synced) took, in ms. */
  readonly onPersisted?: (ms: number, synced: boolean) => void;
  /**
   * The stages of a Ready, for the write-stage trace (write-stages.ts): its new entries
   * [first, last] taken, then durable up to `last`, then committed up to an index.
   */
  readonly stages?: { ready(first: number, last: number): void; persisted(last: number): void; committed(last: number): void };
  readonly node: RaftNode;
  readonly storage: DriverStorage;
  /** Node's timers unless given (the simulator gives its own). */
  readonly timers?: DriverTimers;
  readonly send: (messages: readonly Message[]) => void;
  readonly apply: ApplyPipeline;
  readonly onReadStates: (states: readonly ReadState[]) => void;
  readonly onSoftState: (s: SoftState) => void;
  /**
   * Entries about to become part of the log (the server learns member addresses from them),
   * with the snapshot of the same Ready when it has one: the entries follow it. Called after
   * that snapshot is installed, so the core may have moved on meanwhile (a newer snapshot
   * stepped in during the install); what came before the entries is the Ready's, not the core's.
   */
  readonly onAppended: (entries: readonly Entry[], after: SnapshotMeta | undefined) => void;
  /** An unrecoverable storage failure: the process must stop rather than continue unsafely. */
  readonly fatal: (err: unknown) => void;
  /** A Raft log write failed for a file system condition (it is retried until it succeeds). */
  readonly onDiskFault?: (op: 'persist' | 'compact', code: DiskFaultCode) => void;
  /**
   * How long a leader keeps sending heartbeats while its own write is under way (default 5 s).
   * A slow fsync then does not depose it; a disk that hangs for longer does, so the cluster
   * does not wait on it.
   */
  readonly heartbeatThroughStallMs?: number;
  readonly clock: Clock;
  readonly tickMs: number;
  readonly logger: Logger;
}

/**
 * The loop that runs a RaftNode for real: ticks on a timer, messages from the transport, and
 * each Ready handled as its contract says: persist (one LevelDB batch, fsynced when mustSync),
 * then send, then hand committed entries to the apply pipeline, then advance.
 *
 * Group commit falls out of the loop: while one Ready is being fsynced, proposals and messages
 * keep arriving and accumulate in the core, so the next Ready carries all of them in one batch,
 * one fsync and one append per follower.
 */
export class RaftDriver {
  private busy = false;
  private stopped = false;
  private stopTicking: (() => void) | undefined;
  private readonly timers: DriverTimers;
  private compaction: { point: SnapshotMeta; upTo: LogIndex; done: () => void } | undefined;
  /** Milliseconds (clock) of the last message from the leader this node follows. */
  lastLeaderContact = 0;
  /** The highest commit index a leader has told this node of (it may hold less of the log). */
  leaderCommit = 0;
  /** Milliseconds (clock) of the last message from each peer (for operators). */
  readonly lastHeard = new Map<string, number>();
  /** Set while the Raft log cannot be written (see persistDurably). */
  diskFault: { readonly code: DiskFaultCode; readonly since: number; readonly message: string } | undefined;
  /** When the write under way began (clock ms), or undefined between writes. */
  private writingSince: number | undefined;

  constructor(private readonly d: DriverDeps) {
    this.timers = d.timers ?? NODE_TIMERS;
  }

  start(): void {
    this.lastLeaderContact = this.d.clock.now();
    this.stopTicking = this.timers.every(this.d.tickMs, () => {
      this.d.node.tick();
      this.sendDuringWrite();
      this.kick();
    });
  }

  stop(): void {
    this.stopped = true;
    this.stopTicking?.();
  }

  step(m: Message): void {
    if (this.stopped) return;
    const now = this.d.clock.now();
    const fromLeader = (m.type === 'app' || m.type === 'heartbeat' || m.type === 'snap') && m.term >= this.d.node.term;
    let dropped: RaftDropReason | undefined;
    try {
      dropped = this.d.node.step(m);
    } catch (err) {
      if (isRosterError(err, 'LOG_DIVERGED')) {
        this.stopped = true;
        this.d.fatal(err);
        return;
      }
      if (!isRosterError(err, 'INVARIANT')) {
        this.heard(m, now, fromLeader);
        throw err;
      }
      // The leader refers to entries this server acknowledged but no longer has: its data dir
      // was wiped or damaged. Raft's guarantees rest on durable storage (including the votes
      // this server cast), so it must not carry on as the same member.
      this.stopped = true;
      this.d.fatal(
        new RosterError(
          'LOG_LOST',
          `this server has lost Raft data it acknowledged (${err.message}); remove this member and add it back with an empty data dir`,
        ),
      );
      return;
    }
    if (dropped !== undefined) {
      // Forged or corrupt (no real peer sends it): the core left its state as it was, and so
      // does the driver; in particular it is no sign of a live leader.
      noteDropped(this.d.logger, 'raft_core', dropped, dropped === 'commit_beyond_log' ? COMMIT_BEYOND_LOG : describeMessage(m), { from: m.from, message: describeMessage(m) });
      return;
    }
    this.heard(m, now, fromLeader);
    this.sendDuringWrite();
    this.kick();
  }

  /** A message the core took: its sender is alive, and a leader's says how far it has committed. */
  private heard(m: Message, now: number, fromLeader: boolean): void {
    this.lastHeard.set(m.from, now);
    if (!fromLeader) return;
    this.lastLeaderContact = now;
    // Appends carry the leader's own commit index (heartbeats only what this node holds).
    if (m.type === 'app') this.leaderCommit = Math.max(this.leaderCommit, m.commit);
    if (m.type === 'snap') this.leaderCommit = Math.max(this.leaderCommit, m.snapshot.meta.index);
  }

  /**
   * While a write is under way, a leader's heartbeats and appends go out now (the core says
   * which may, takeLeaderMessages): with a slow fsync they would otherwise wait behind it, and
   * the followers would elect another leader. Not while the disk is failing, nor once the write
   * has taken longer than heartbeatThroughStallMs: a leader that cannot write should be
   * replaced, not kept in place by its heartbeats.
   */
  private sendDuringWrite(): void {
    if (this.writingSince === undefined || this.stopped || this.diskFault !== undefined) return;
    if (this.d.clock.now() - this.writingSince > (this.d.heartbeatThroughStallMs ?? 5000)) return;
    const early = this.d.node.takeLeaderMessages();
    if (early.length > 0) this.d.send(early);
  }

  /** Runs the loop soon, batching everything that arrives in the meantime. */
  kick(): void {
    if (this.busy || this.stopped) return;
    this.busy = true;
    this.timers.soon(() => void this.run());
  }

  /** A write refused while the log cannot be written: before it is proposed, so it may go to another server. */
  diskFaultRefusal(leader: string): RosterError | undefined {
    return this.diskFault === undefined ? undefined : new RosterError('DISK_FAULT', this.diskFault.message, { leader, leaderAddr: '' });
  }

  /** Asks the loop to compact the log between two Readies (storage writes never interleave). */
  compact(point: SnapshotMeta, upTo: LogIndex): Promise<void> {
    return new Promise((resolve) => {
      this.compaction = { point, upTo, done: resolve };
      this.kick();
    });
  }

  private async run(): Promise<void> {
    try {
      await this.drain();
    } catch (err) {
      const stopping = this.stopped;
      this.stopped = true;
      if (!stopping) this.d.fatal(err);
      return;
    } finally {
      this.busy = false;
    }
    if (!this.stopped && (this.d.node.hasReady() || this.compaction !== undefined)) this.kick();
  }

  private async drain(): Promise<void> {
    const { node, storage } = this.d;
    while (!this.stopped) {
      const c = this.compaction;
      if (c !== undefined) {
        this.compaction = undefined;
        await this.durably('compact', () => storage.compact(c.point, c.upTo));
        c.done();
      }
      if (!node.hasReady()) return;
      const rd = node.ready();
      if (rd.softState !== undefined) this.d.onSoftState(rd.softState);
      // A received snapshot becomes the state before the log says so: a crash in between then
      // leaves a state ahead of the log (replay skips it), never a log ahead of the state.
      if (rd.snapshot !== undefined) await this.d.apply.installSnapshot(rd.snapshot.meta);
      if (rd.entries.length > 0) {
        this.d.onAppended(rd.entries, rd.snapshot?.meta);
        this.d.stages?.ready(rd.entries[0]!.index, rd.entries[rd.entries.length - 1]!.index);
      }
      // A leader's appends go out now, so followers write while it does (see the Ready
      // contract); everything else waits for this write.
      const early = node.role === 'leader' ? rd.messages.filter(mayLeaveBeforePersist) : [];
      if (early.length > 0) this.d.send(early);
      const commitOnly = !rd.mustSync && rd.entries.length === 0 && rd.snapshot === undefined;
      if (!commitOnly) {
        const began = this.d.clock.now();
        const write = { hardState: rd.hardState, entries: rd.entries, snapshot: rd.snapshot?.meta };
        await this.durably('persist', () => storage.persist(write, rd.mustSync));
        this.d.onPersisted?.(this.d.clock.now() - began, rd.mustSync);
        if (rd.entries.length > 0) this.d.stages?.persisted(rd.entries[rd.entries.length - 1]!.index);
      }
      this.d.send(early.length > 0 ? rd.messages.filter((m) => !mayLeaveBeforePersist(m)) : rd.messages);
      const committedTo = rd.committedEntries[rd.committedEntries.length - 1]?.index;
      if (committedTo !== undefined) this.d.stages?.committed(committedTo);
      if (rd.committedEntries.length > 0) this.d.apply.enqueue(rd.committedEntries);
      if (rd.readStates.length > 0) this.d.onReadStates(rd.readStates);
      node.advance();
    }
  }

  /**
   * Runs one Raft log write until it succeeds. A write that fails for a file system condition
   * (EIO, ENOSPC, ...) acknowledged nothing: the Ready stays in flight, so nothing that depends
   * on it is sent and advance() is not called, and the same write is tried again (it is
   * idempotent) after reopening the database, backing off from 100 ms to 2 s, for as long as it
   * takes. Meanwhile the server refuses writes and its /health says why (diskFault); once
   * space comes back the write lands and the loop carries on where it stopped. Any other
   * failure is fatal.
   */
  private async durably(op: 'persist' | 'compact', write: () => Promise<void>): Promise<void> {
    this.writingSince = this.d.clock.now();
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          if (attempt > 0) await this.d.storage.reopen();
          await write();
          if (this.diskFault !== undefined) {
            this.d.logger.info('the raft log can be written again', { afterMs: Math.round(this.d.clock.now() - this.diskFault.since), attempts: attempt });
            this.diskFault = undefined;
          }
          return;
        } catch (err) {
          const code = diskFaultCode(err);
          if (code === undefined || this.stopped) throw err;
          this.d.onDiskFault?.(op, code);
          const message = `this server cannot write its raft log: ${describeDiskFault(code)}; it refuses writes and retries until the disk accepts them`;
          if (this.diskFault === undefined) {
            this.diskFault = { code, since: this.d.clock.now(), message };
            this.d.logger.error(message, { op, error: err instanceof Error ? err.message : String(err) });
          } else if (this.diskFault.code !== code) {
            this.diskFault = { code, since: this.diskFault.since, message };
          }
          await this.timers.sleep(backoffDelayMs(attempt + 1, DISK_RETRY_BACKOFF));
          if (this.stopped) throw err;
        }
      }
    } finally {
      this.writingSince = undefined;
    }
  }
}
