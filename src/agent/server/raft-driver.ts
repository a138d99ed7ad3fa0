import type { Entry, Message, RaftNode, ReadState, SnapshotMeta, SoftState } from '../../raft/index.js';
import type { LevelRaftStorage } from '../../store/leveldb/level-raft-storage.js';
import type { Clock } from '../../util/clock.js';
import { isRosterError, RosterError } from '../../util/errors.js';
import type { LogIndex } from '../../util/ids.js';
import type { Logger } from '../../util/logger.js';

/** Where committed entries go: applied in order, possibly after advance() (see RaftNode). */
export interface ApplyPipeline {
  enqueue(entries: readonly Entry[]): void;
  /** Replaces the state with a received snapshot; resolves once it is durable. */
  installSnapshot(meta: SnapshotMeta): Promise<void>;
}

export interface DriverDeps {
  /** Each persisted Ready: how long the write (and fsync, when synced) took, in ms. */
  readonly onPersisted?: (ms: number, synced: boolean) => void;
  readonly node: RaftNode;
  readonly storage: LevelRaftStorage;
  readonly send: (messages: readonly Message[]) => void;
  readonly apply: ApplyPipeline;
  readonly onReadStates: (states: readonly ReadState[]) => void;
  readonly onSoftState: (s: SoftState) => void;
  /** Entries about to become part of the log (the server learns member addresses from them). */
  readonly onAppended: (entries: readonly Entry[]) => void;
  /** An unrecoverable storage failure: the process must stop rather than continue unsafely. */
  readonly fatal: (err: unknown) => void;
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
  private timer: NodeJS.Timeout | undefined;
  private compaction: { point: SnapshotMeta; upTo: LogIndex; done: () => void } | undefined;
  /** Milliseconds (clock) of the last message from the leader this node follows. */
  lastLeaderContact = 0;
  /** The highest commit index a leader has told this node of (it may hold less of the log). */
  leaderCommit = 0;
  /** Milliseconds (clock) of the last message from each peer (for operators). */
  readonly lastHeard = new Map<string, number>();

  constructor(private readonly d: DriverDeps) {}

  start(): void {
    this.lastLeaderContact = this.d.clock.now();
    this.timer = setInterval(() => {
      this.d.node.tick();
      this.kick();
    }, this.d.tickMs);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearInterval(this.timer);
  }

  step(m: Message): void {
    if (this.stopped) return;
    const now = this.d.clock.now();
    this.lastHeard.set(m.from, now);
    if ((m.type === 'app' || m.type === 'heartbeat' || m.type === 'snap') && m.term >= this.d.node.term) {
      this.lastLeaderContact = now;
      // Appends carry the leader's own commit index (heartbeats only what this node holds).
      if (m.type === 'app') this.leaderCommit = Math.max(this.leaderCommit, m.commit);
      if (m.type === 'snap') this.leaderCommit = Math.max(this.leaderCommit, m.snapshot.meta.index);
    }
    try {
      this.d.node.step(m);
    } catch (err) {
      if (isRosterError(err, 'LOG_DIVERGED')) {
        this.stopped = true;
        this.d.fatal(err);
        return;
      }
      if (!isRosterError(err, 'INVARIANT')) throw err;
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
    this.kick();
  }

  /** Runs the loop soon, batching everything that arrives in the meantime. */
  kick(): void {
    if (this.busy || this.stopped) return;
    this.busy = true;
    setImmediate(() => void this.run());
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
      this.stopped = true;
      this.d.fatal(err);
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
        await storage.compact(c.point, c.upTo);
        c.done();
      }
      if (!node.hasReady()) return;
      const rd = node.ready();
      if (rd.softState !== undefined) this.d.onSoftState(rd.softState);
      // A received snapshot becomes the state before the log says so: a crash in between then
      // leaves a state ahead of the log (replay skips it), never a log ahead of the state.
      if (rd.snapshot !== undefined) await this.d.apply.installSnapshot(rd.snapshot.meta);
      if (rd.entries.length > 0) this.d.onAppended(rd.entries);
      // A leader's appends go out now, so followers write while it does (see the Ready
      // contract); everything else waits for this write.
      const early = node.role === 'leader' ? rd.messages.filter((m) => m.type === 'app') : [];
      if (early.length > 0) this.d.send(early);
      const commitOnly = !rd.mustSync && rd.entries.length === 0 && rd.snapshot === undefined;
      if (!commitOnly) {
        const began = this.d.clock.now();
        await storage.persist({ hardState: rd.hardState, entries: rd.entries, snapshot: rd.snapshot?.meta }, rd.mustSync);
        this.d.onPersisted?.(this.d.clock.now() - began, rd.mustSync);
      }
      this.d.send(early.length > 0 ? rd.messages.filter((m) => m.type !== 'app') : rd.messages);
      if (rd.committedEntries.length > 0) this.d.apply.enqueue(rd.committedEntries);
      if (rd.readStates.length > 0) this.d.onReadStates(rd.readStates);
      node.advance();
    }
  }
}
