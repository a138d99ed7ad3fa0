import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeConfChange, type Entry, type RaftNode, type SnapshotMeta } from '../raft/index.js';
import { parseConfChangeContext } from '../store/cluster/conf-change-context.js';
import type { MembersStore } from '../store/cluster/members-store.js';
import { ENTRY_TAG, splitCommandBody, unwrapEntry } from '../store/envelope.js';
import { decodeKvCommand } from '../store/kv/command-codec.js';
import { decodeRegistryCommand } from '../store/registry/commands.js';
import { decodeAclCommand } from '../store/acl/commands.js';
import type { ExtensionCommand, ExtensionResponse } from '../store/state-extension.js';
import type { StateCommand, StateResponse } from '../store/state-command.js';
import type { ApplyEntry, ApplyResult, MvccStore } from '../store/kv/mvcc-store.js';
import type { LevelRaftStorage } from '../store/leveldb/level-raft-storage.js';
import type { StateDb } from '../store/leveldb/state-db.js';
import { Backoff } from '../util/backoff.js';
import { isRosterError, RosterError } from '../util/errors.js';
import { nodeId, type LogIndex } from '../util/ids.js';
import type { Logger } from '../util/logger.js';
import type { RequestTracker } from './request-tracker.js';
import type { ApplyPipeline, RaftDriver } from './raft-driver.js';
import type { ReadBarrier } from './read-barrier.js';
import { isHostPort } from '../util/host-port.js';
import { noteDropped } from '../util/dropped.js';
import type { Clock } from '../util/clock.js';

/** What the Applier needs of the state's database: StateDb, or the simulator's (test/sim/server). */
export type ApplierStateDb = Pick<StateDb, 'writeSnapshot' | 'installSnapshot' | 'sync'>;

/** The snapshot directory's files: the file system, or the simulator's memory. */
export interface SnapshotFiles {
  list(dir: string): Promise<string[]>;
  remove(path: string): Promise<void>;
}

export const diskSnapshotFiles: SnapshotFiles = {
  list: (dir) => readdir(dir),
  remove: (path) => rm(path, { force: true }),
};

export interface ApplierDeps {
  readonly state: ApplierStateDb;
  readonly members: MembersStore;
  readonly storage: LevelRaftStorage;
  readonly node: RaftNode;
  readonly driver: () => RaftDriver;
  readonly requests: RequestTracker<StateResponse | undefined>;
  readonly barrier: ReadBarrier;
  readonly snapDir: string;
  readonly snapshotFiles: SnapshotFiles;
  /** Monotonic time, for the back-off of snapshot preparation (the simulator's time there). */
  readonly clock: Clock;
  /** The cluster's id now (a joiner adopts one on first contact). */
  readonly clusterId: () => string;
  /** Compact the Raft log every this many applied entries. */
  readonly snapshotEvery: number;
  /** Entries kept below the compaction point for followers slightly behind. */
  readonly keepTail: number;
  readonly logger: Logger;
  readonly fatal: (err: unknown) => void;
  /** Every command applied successfully here, with its result (lease and TTL bookkeeping). */
  readonly onApplied: (cmd: StateCommand, res: StateResponse | undefined) => void;
  /** A batch (or a snapshot) reached the state: watches have news. */
  readonly onBatch: () => void;
  /** A snapshot file just written did not verify and was refused (counted in metrics). */
  readonly onSnapshotRefused: (purpose: 'send' | 'save') => void;
}

/** After a prepared snapshot fails to verify, the next attempt waits this long, doubling to the cap. */
const PREPARE_RETRY_FIRST_MS = 1000;
const PREPARE_RETRY_MAX_MS = 30_000;

/**
 * Applies committed entries to the state, in order, behind the Raft loop: KV commands to the
 * MVCC store (runs of them in one batch, one write), membership changes and member attributes
 * to the members table. Between batches it is quiescent, and that is when it prepares snapshot
 * files for lagging followers and asks for log compaction.
 */
/** The server's state: etcd's KV, the registry and the ACL tables in one MVCC store. */
export type StateStore = MvccStore<ExtensionCommand, ExtensionResponse>;

export class Applier implements ApplyPipeline {
  mvcc: StateStore;
  private queue: Entry[] = [];
  private running = false;
  private idleWaiters: (() => void)[] = [];
  private snapshotWanted = false;
  private preparing = false;
  private compacting = false;
  /** No snapshot is prepared before this time (monotonic) after one failed to verify. */
  private prepareRetryAt = 0;
  private readonly prepareBackoff = new Backoff({ initialMs: PREPARE_RETRY_FIRST_MS, maxMs: PREPARE_RETRY_MAX_MS });
  /** Bumped by every snapshot install: a compaction decided before it is abandoned. */
  private generation = 0;
  /** Snapshot files by index: received from a leader (to install) and prepared (to send). */
  readonly received = new Map<LogIndex, string>();
  readonly prepared = new Map<LogIndex, string>();

  constructor(
    private readonly d: ApplierDeps,
    mvcc: StateStore,
    private readonly openStore: () => Promise<StateStore>,
  ) {
    this.mvcc = mvcc;
  }

  appliedIndex(): LogIndex {
    return this.mvcc.appliedIndex();
  }

  enqueue(entries: readonly Entry[]): void {
    for (const e of entries) this.queue.push(e);
    if (!this.running) void this.run();
  }

  /** Images an operator asked for, written at the next quiescent point. */
  private imageRequests: { path: string; done: (meta: SnapshotMeta) => void; fail: (err: unknown) => void }[] = [];

  /** Writes the whole state, exactly as of an applied index, to `path` (a snapshot file). */
  writeImage(path: string): Promise<SnapshotMeta> {
    const p = new Promise<SnapshotMeta>((done, fail) => this.imageRequests.push({ path, done, fail }));
    if (!this.running) void this.run();
    return p;
  }

  /** The core needs a snapshot to send; one is prepared at the next quiescent point. */
  wantSnapshot(): void {
    this.snapshotWanted = true;
    if (!this.running) void this.run();
  }

  async installSnapshot(meta: SnapshotMeta): Promise<void> {
    await this.idle();
    const path = this.received.get(meta.index);
    if (path === undefined) throw new RosterError('BAD_SNAPSHOT', `no received snapshot file for index ${meta.index}`);
    await this.d.state.installSnapshot(path, (h) =>
      h.meta.index !== meta.index || h.meta.term !== meta.term || h.clusterId !== this.d.clusterId()
        ? `snapshot file is for index ${h.meta.index} term ${h.meta.term} of cluster ${h.clusterId}, expected ${meta.index}/${meta.term} of ${this.d.clusterId()}`
        : undefined,
    );
    this.generation++;
    this.mvcc = await this.openStore();
    await this.d.members.reload();
    this.received.delete(meta.index);
    await this.d.snapshotFiles.remove(path);
    this.d.requests.snapshotInstalled(meta.index);
    this.d.barrier.appliedTo(this.mvcc.appliedIndex());
    this.d.onBatch();
    this.d.logger.info('installed snapshot', { index: meta.index, term: meta.term });
  }

  private idle(): Promise<void> {
    if (!this.running && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      for (;;) {
        if (this.queue.length > 0) {
          const batch = this.queue;
          this.queue = [];
          await this.applyBatch(batch);
        }
        this.quiescent();
        if (this.queue.length === 0) break;
      }
    } catch (err) {
      this.d.fatal(err);
    } finally {
      this.running = false;
      for (const w of this.idleWaiters.splice(0)) w();
    }
  }

  private async applyBatch(entries: readonly Entry[]): Promise<void> {
    let run: { entry: Entry; command: StateCommand | undefined; requestId: Uint8Array | undefined; decodeError: RosterError | undefined }[] = [];
    const flush = async (): Promise<void> => {
      if (run.length === 0) return;
      const current = run;
      run = [];
      // Answered as soon as the store has the results and its write is under way (see
      // MvccStore.apply); the batch is done here once the write has landed.
      const answer = (results: readonly ApplyResult<ExtensionResponse>[]): void => {
        const byIndex = new Map<number, ApplyResult<ExtensionResponse>>(results.map((r) => [r.index, r]));
        for (const r of current) {
          const res = byIndex.get(r.entry.index);
          const outcome = (): StateResponse | undefined | RosterError => {
            if (r.decodeError !== undefined) return r.decodeError;
            if (res === undefined) return undefined;
            return res.ok ? res.response : res.error;
          };
          if (r.command !== undefined && res?.ok === true) this.d.onApplied(r.command, res.response);
          this.d.requests.applied(r.entry.index, r.entry.term, r.requestId, outcome);
        }
      };
      await this.mvcc.apply(
        current.map((r): ApplyEntry<ExtensionCommand> => ({ index: r.entry.index, command: r.command })),
        answer,
      );
    };
    for (const e of entries) {
      if (e.index <= this.mvcc.appliedIndex()) continue; // replayed after a restart
      if (e.kind === 'conf') {
        await flush();
        await this.applyConfChange(e);
        run.push({ entry: e, command: undefined, requestId: undefined, decodeError: undefined });
        continue;
      }
      let command: StateCommand | undefined;
      let requestId: Uint8Array | undefined;
      let decodeError: RosterError | undefined;
      try {
        const env = unwrapEntry(e.data);
        if (env?.tag === ENTRY_TAG.kv || env?.tag === ENTRY_TAG.registry || env?.tag === ENTRY_TAG.acl) {
          const body = splitCommandBody(env.body);
          requestId = body.requestId;
          command = env.tag === ENTRY_TAG.kv ? decodeKvCommand(body.command) : env.tag === ENTRY_TAG.registry ? decodeRegistryCommand(body.command) : decodeAclCommand(body.command);
        } else if (env?.tag === ENTRY_TAG.memberAttributes) {
          await flush();
          await this.applyMemberAttributes(env.body);
        }
      } catch (err) {
        // Every server decodes the same bytes the same way, so this fails identically
        // everywhere: the entry fails, the server carries on.
        decodeError = isRosterError(err) ? err : new RosterError('BAD_COMMAND', `undecodable entry ${e.index}: ${String(err)}`);
      }
      run.push({ entry: e, command, requestId, decodeError });
    }
    await flush();
    this.d.barrier.appliedTo(this.mvcc.appliedIndex());
    this.d.onBatch();
  }

  private async applyConfChange(e: Entry): Promise<void> {
    let cc: ReturnType<typeof decodeConfChange>;
    try {
      cc = decodeConfChange(e.data);
    } catch (err) {
      // The core decoded it when appending, so this cannot fail unless the log is damaged; it
      // changes no table (the same on every server), and is logged and counted, not ignored.
      noteDropped(this.d.logger, 'applier', 'conf-change-undecodable', err, { index: e.index, term: e.term });
      return;
    }
    if (cc.type === 'removeNode') {
      await this.d.members.remove(cc.node);
      return;
    }
    const ctx = parseConfChangeContext(cc.context);
    await this.d.members.upsert({ name: cc.node, peerAddr: ctx.peerAddr ?? '', clientAddr: ctx.clientAddr ?? '', ...(ctx.namedByAddress === true ? { namedByAddress: true } : {}) });
  }

  private async applyMemberAttributes(body: Uint8Array): Promise<void> {
    const { name, clientAddr } = decodeMemberAttributes(body);
    if (this.d.members.get(name) === undefined) return; // not (or no longer) a member
    await this.d.members.upsert({ name, peerAddr: '', clientAddr });
  }

  /** Between two batches: the state is exactly as of appliedIndex(). */
  private quiescent(): void {
    const applied = this.mvcc.appliedIndex();
    const { storage, node } = this.d;
    for (const req of this.imageRequests.splice(0)) {
      const term = storage.term(applied) ?? storage.compactionPoint().term;
      const meta: SnapshotMeta = { index: applied, term, conf: node.confStateAt(applied) };
      this.d.state.writeSnapshot(req.path, { meta, clusterId: this.d.clusterId() }).then(
        () => req.done(meta),
        (err: unknown) => {
          this.refused('save', meta, err);
          req.fail(err);
        },
      );
    }
    if (this.snapshotWanted && !this.preparing && this.d.clock.now() < this.prepareRetryAt) this.snapshotWanted = false; // the core asks again
    if (this.snapshotWanted && !this.preparing) {
      const term = storage.term(applied);
      if (term !== undefined) {
        this.snapshotWanted = false;
        this.preparing = true;
        const meta: SnapshotMeta = { index: applied, term, conf: node.confStateAt(applied) };
        const path = join(this.d.snapDir, `send-${term}-${applied}.snap`);
        // The image is taken now, synchronously, before any later batch is written.
        this.d.state
          .writeSnapshot(path, { meta, clusterId: this.d.clusterId() })
          .then(async (written) => {
            this.prepareBackoff.reset();
            this.prepared.set(applied, path);
            storage.setPreparedSnapshot(meta);
            this.d.logger.info('prepared snapshot', { index: applied, bytes: written.bytes, records: written.records });
            await this.dropOldSnapshots(path);
            this.d.driver().kick();
          })
          .catch((err: unknown) => {
            this.prepareRetryAt = this.d.clock.now() + this.prepareBackoff.next();
            this.refused('send', meta, err);
          })
          .finally(() => {
            this.preparing = false;
          });
      }
    }
    const point = storage.compactionPoint();
    if (!this.compacting && applied - point.index >= this.d.snapshotEvery) {
      const term = storage.term(applied);
      if (term === undefined) return;
      this.compacting = true;
      const next: SnapshotMeta = { index: applied, term, conf: node.confStateAt(applied) };
      const upTo = Math.max(applied - this.d.keepTail, storage.firstIndex() - 1);
      const generation = this.generation;
      // The state must be durable at `applied` before the log that rebuilds it goes.
      this.d.state
        .sync()
        .then(() => (generation === this.generation ? this.d.driver().compact(next, upTo) : undefined))
        .then(() => this.d.logger.debug('compacted the raft log', { upTo, point: applied }))
        .catch((err: unknown) => this.d.fatal(err))
        .finally(() => {
          this.compacting = false;
        });
    }
  }

  /** A snapshot could not be written, or did not verify once written: it is not used. */
  private refused(purpose: 'send' | 'save', meta: SnapshotMeta, err: unknown): void {
    const verify = isRosterError(err, 'BAD_SNAPSHOT');
    if (verify) this.d.onSnapshotRefused(purpose);
    const what = purpose === 'send' ? 'preparing a snapshot for a follower failed' : 'writing a snapshot image failed';
    this.d.logger.error(verify ? `${what}: it did not verify and is not used` : what, { index: meta.index, error: String(err) });
  }

  private async dropOldSnapshots(keep: string): Promise<void> {
    for (const name of await this.d.snapshotFiles.list(this.d.snapDir)) {
      const path = join(this.d.snapDir, name);
      if (name.startsWith('send-') && path !== keep && !name.endsWith('.tmp')) {
        await this.d.snapshotFiles.remove(path);
        for (const [i, p] of this.prepared) if (p === path) this.prepared.delete(i);
      }
    }
  }
}

/** The body of a member-attributes entry; anything else is a BAD_COMMAND RosterError. */
export function decodeMemberAttributes(body: Uint8Array): { name: ReturnType<typeof nodeId>; clientAddr: string } {
  try {
    const raw = JSON.parse(new TextDecoder().decode(body)) as { name?: unknown; clientAddr?: unknown };
    if (typeof raw.name !== 'string' || typeof raw.clientAddr !== 'string' || !isHostPort(raw.clientAddr)) throw new Error('want { name, clientAddr: host:port }');
    return { name: nodeId(raw.name), clientAddr: raw.clientAddr };
  } catch (err) {
    throw new RosterError('BAD_COMMAND', `member attributes: ${err instanceof Error ? err.message : String(err)}`);
  }
}
