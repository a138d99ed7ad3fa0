import { invariant } from '../../util/assert.js';
import { RosterError } from '../../util/errors.js';
import { executeKvCommand } from './apply-command.js';
import type { KvCommand, KvCommandResponse } from './command.js';
import { evaluateTxnPath } from './compare.js';
import { commandIn, eventOut, rangeIn, rangeOut, txnIn, txnOut } from './etcd-keys.js';
import { readEvents } from './events.js';
import { RecentEvents } from './recent-events.js';
import { ReadWriteGate } from './gate.js';
import { compactedError, KV_ERRORS } from './kv-errors.js';
import { getLease, leaseItems, scanLeases, type LeaseRecord } from './lease-layout.js';
import { META_KEY } from './layout.js';
import { getAt } from './mvcc-read.js';
import { NAMESPACE, namespaceOf, stripNamespace } from './namespace.js';
import type { OrderedKv, OrderedKvReader } from './ordered-kv.js';
import { OverlayKv } from './overlay-kv.js';
import { keysToPrefetch } from './prefetch.js';
import { executeRange, type ReadView } from './range.js';
import { decodeMeta, encodeMeta, type StoreMeta } from './records.js';
import type { KeyValue, RangeRequest, RangeResponse, ResponseOp, RevisionEvents, TxnRequest, TxnResponse } from './types.js';
import { isReadOnlyTxn, validateRange, validateTxn } from './validate.js';
import { KV_ONLY, WriteScope, type LeaseItemOwner } from './write-scope.js';

/**
 * Another table kept in the same store, with commands of its own (the registry): its records are
 * namespaced keys (namespace.ts), so it shares the revision counter, history and events with the
 * KV, and its commands apply in the same batches, atomically with everything else.
 */
export interface StoreExtension<C extends { readonly type: string }, R> extends LeaseItemOwner {
  /** Tells the extension's commands from KV commands. */
  owns(cmd: KvCommand | C): cmd is C;
  /** Runs one command; throws a command error (isCommandError) to fail it without effect. */
  execute(scope: WriteScope, cmd: C): Promise<R>;
  /** Backend keys the command will read, to fetch ahead with the rest of the batch. */
  prefetch(cmd: C): readonly Uint8Array[];
  /** Whether `err` is a command's own deterministic failure, as opposed to a store failure. */
  isCommandError(err: unknown): boolean;
}

export interface MvccStoreOptions<C extends { readonly type: string } = never, R = never> {
  readonly extension?: StoreExtension<C, R>;
}

/** One committed Raft entry. `command` undefined: an entry with no state effect (no-op, membership). */
export interface ApplyEntry<C = never> {
  readonly index: number;
  readonly command: KvCommand | C | undefined;
}

/**
 * The outcome of one applied entry. A failed command (error with a command code) changed nothing
 * and fails only itself; `response` is undefined for an entry without a command.
 */
export type ApplyResult<R = never> =
  | { readonly index: number; readonly ok: true; readonly response: KvCommandResponse | R | undefined }
  | { readonly index: number; readonly ok: false; readonly error: RosterError };

/** What a read sees: the applied state, never half of a batch. */
export interface StoreView {
  readonly kv: OrderedKvReader;
  readonly revision: number;
  readonly compactRevision: number;
}

/** A fresh store: etcd starts at revision 1, with nothing compacted and nothing applied. */
const FRESH: StoreMeta = { revision: 1, compactRevision: 0, appliedIndex: 0 };

function isKvCommandError(err: unknown): err is RosterError {
  return err instanceof RosterError && Object.hasOwn(KV_ERRORS, err.code);
}

interface Prepared<C> {
  readonly index: number;
  readonly command: KvCommand | C | undefined;
  /** A KV command with its keys in the KV namespace. */
  readonly inner: KvCommand | undefined;
}

/**
 * etcd's MVCC key-value store as a deterministic state machine over an OrderedKv, shared with
 * the registry's tables: Raft applies committed entries, the API reads the applied state.
 * Layout: layout.ts and namespace.ts. Semantics: etcd's, op by op (writes.ts, range.ts, txn.ts,
 * compare.ts, compaction.ts, leases.ts).
 *
 * Durability contract: a batch's changes and its last index go to the backend in ONE atomic
 * write, so after a crash the store is exactly as of some applied index, and replaying entries
 * at or below appliedIndex() is a no-op.
 */
export class MvccStore<C extends { readonly type: string } = never, R = never> {
  private readonly gate = new ReadWriteGate();
  private readonly recent: RecentEvents;
  /** Batches apply one after another, whatever the caller does. */
  private applyTail: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly kv: OrderedKv,
    private meta: StoreMeta,
    private readonly extension: StoreExtension<C, R> | undefined,
  ) {
    this.recent = new RecentEvents(meta.revision);
  }

  static async open<C extends { readonly type: string } = never, R = never>(kv: OrderedKv, opts: MvccStoreOptions<C, R> = {}): Promise<MvccStore<C, R>> {
    const bytes = await kv.get(META_KEY);
    return new MvccStore<C, R>(kv, bytes === undefined ? FRESH : decodeMeta(bytes), opts.extension);
  }

  /** The index of the last Raft entry whose effects are persisted. */
  appliedIndex(): number {
    return this.meta.appliedIndex;
  }

  /** The store revision: the main revision of the last write (1 before any). */
  revision(): number {
    return this.meta.revision;
  }

  /** Ranges below this revision fail with COMPACTED. 0 when never compacted. */
  compactRevision(): number {
    return this.meta.compactRevision;
  }

  /**
   * etcd's Range on the applied state. Throws EMPTY_KEY, FUTURE_REV, COMPACTED, or
   * RESPONSE_TOO_LARGE past `maxResponseBytes` of keys and values.
   */
  async range(req: RangeRequest, maxResponseBytes = Infinity): Promise<RangeResponse & { revision: number }> {
    validateRange(req);
    const inner = rangeIn(req);
    return this.gate.read(async () => rangeOut(await executeRange(this.readView(maxResponseBytes), inner)));
  }

  /**
   * A txn of ranges only, on the applied state and nowhere else: it changes nothing, so it needs
   * no log entry, and only the server that answers builds its result (etcd serves read-only
   * txns the same way). Its ranges share one budget of `maxResponseBytes`.
   */
  async readTxn(req: TxnRequest, maxResponseBytes = Infinity): Promise<TxnResponse> {
    invariant(isReadOnlyTxn(req), 'readTxn takes ranges only');
    validateTxn(req);
    const inner = txnIn(req);
    return this.gate.read(async () => {
      const view = this.readView(maxResponseBytes);
      const path = await evaluateTxnPath(this.kv, inner);
      const responses: ResponseOp[] = [];
      for (const o of path.succeeded ? inner.success : inner.failure) {
        if (o.type === 'range') responses.push({ type: 'range', response: await executeRange(view, o.request) });
      }
      return txnOut({ succeeded: path.succeeded, responses, revision: view.currentRevision });
    });
  }

  private readView(maxResponseBytes: number): ReadView {
    const { revision, compactRevision } = this.meta;
    return { kv: this.kv, currentRevision: revision, maxRevision: revision, compactRevision, budget: Number.isFinite(maxResponseBytes) ? { remaining: maxResponseBytes } : undefined };
  }

  /** Runs `fn` on the applied state as of one batch (for the registry's queries). */
  read<T>(fn: (view: StoreView) => Promise<T>): Promise<T> {
    return this.gate.read(() => fn({ kv: this.kv, revision: this.meta.revision, compactRevision: this.meta.compactRevision }));
  }

  /**
   * The etcd change events of revisions >= fromRevision, grouped by revision, at most `limit`
   * revisions (<= 0: all), keys as the etcd API shows them. Revisions that changed only other
   * tables are left out. Throws COMPACTED below the compact revision.
   */
  async events(fromRevision: number, limit: number): Promise<RevisionEvents[]> {
    const all = await this.allEvents(fromRevision, limit);
    const out: RevisionEvents[] = [];
    for (const group of all) {
      const events = group.events.filter((e) => namespaceOf(e.kv.key) === NAMESPACE.kv).map(eventOut);
      if (events.length > 0) out.push({ revision: group.revision, events });
    }
    return out;
  }

  /** The change events of every table (namespaced keys), as events() otherwise. */
  allEvents(fromRevision: number, limit: number): Promise<RevisionEvents[]> {
    return this.gate.read(async () => {
      if (fromRevision < this.meta.compactRevision) throw compactedError(this.meta.compactRevision, fromRevision);
      return this.recent.get(fromRevision, limit) ?? readEvents(this.kv, fromRevision, limit);
    });
  }

  /** The version of a namespaced key as of `revision` (a watch's previous value), if it was alive. */
  valueAt(key: Uint8Array, revision: number): Promise<KeyValue | undefined> {
    return this.gate.read(() => getAt(this.kv, key, revision));
  }

  /** Every lease with its granted TTL. */
  leases(): Promise<LeaseRecord[]> {
    return this.gate.read(async () => {
      const out: LeaseRecord[] = [];
      for await (const l of scanLeases(this.kv)) out.push(l);
      return out;
    });
  }

  /** A lease and its attached etcd keys (as the etcd API shows them), or undefined. */
  lease(id: bigint): Promise<{ lease: LeaseRecord; keys: Uint8Array[] } | undefined> {
    return this.gate.read(async () => {
      const lease = await getLease(this.kv, id);
      if (lease === undefined) return undefined;
      const keys: Uint8Array[] = [];
      for await (const k of leaseItems(this.kv, id)) if (namespaceOf(k) === NAMESPACE.kv) keys.push(stripNamespace(k));
      return { lease, keys };
    });
  }

  /**
   * Applies committed entries in order. Entries at or below appliedIndex() are skipped and get
   * no result; each other entry gets one, in order. Within the batch each command sees the
   * writes of the ones before it (through an overlay), and everything, with the new applied
   * index, is written at once. A rejected promise (backend failure, corrupt data, a bug) means
   * nothing of the batch was applied.
   *
   * `computed` hears the results as soon as the batch's write is under way, before it lands: from
   * then on the store's revision and applied index are the batch's, and every read (all go through
   * the gate) waits for the write, so an answer sent then is never contradicted by a read that
   * follows it. The write's time is then off a client's path (its effects are durable in the Raft
   * log already). If that write fails, the promise rejects and the store is broken: every later
   * read and apply fails with the same error (its server stops, and applies the entries again
   * from its log when it starts).
   */
  apply(batch: readonly ApplyEntry<C>[], computed?: (results: readonly ApplyResult<R>[]) => void): Promise<ApplyResult<R>[]> {
    const run = this.applyTail.then(() => this.applyNow(batch, computed));
    this.applyTail = run.catch(() => undefined);
    return run;
  }

  private isExtension(cmd: KvCommand | C): cmd is C {
    return this.extension !== undefined && this.extension.owns(cmd);
  }

  private async applyNow(batch: readonly ApplyEntry<C>[], computed: ((results: readonly ApplyResult<R>[]) => void) | undefined): Promise<ApplyResult<R>[]> {
    const overlay = new OverlayKv(this.kv);
    const todo: Prepared<C>[] = [];
    const ahead: Uint8Array[] = [];
    for (const { index, command } of batch) {
      if (index <= this.meta.appliedIndex) continue;
      if (command === undefined || this.isExtension(command)) {
        todo.push({ index, command, inner: undefined });
        if (command !== undefined) ahead.push(...this.extension!.prefetch(command));
      } else {
        todo.push({ index, command, inner: commandIn(command) });
      }
    }
    await overlay.prefetch([...keysToPrefetch(todo.map((t) => t.inner)), ...ahead]);
    let meta = this.meta;
    const results: ApplyResult<R>[] = [];
    const written: RevisionEvents[] = [];
    for (const { index, command, inner } of todo) {
      invariant(Number.isSafeInteger(index) && index > meta.appliedIndex, () => `apply: bad index ${index}`);
      if (command === undefined) {
        results.push({ index, ok: true, response: undefined });
      } else {
        overlay.begin();
        const scope = new WriteScope(overlay, meta.revision, meta.compactRevision, this.extension ?? KV_ONLY);
        try {
          const response = this.isExtension(command) ? await this.extension!.execute(scope, command) : await executeKvCommand(scope, command, inner);
          overlay.commit();
          if (scope.events.length > 0) written.push({ revision: scope.writeRevision, events: scope.events });
          meta = { ...meta, revision: scope.revision, compactRevision: scope.compactedTo ?? meta.compactRevision };
          results.push({ index, ok: true, response });
        } catch (err) {
          overlay.rollback();
          if (!isKvCommandError(err) && this.extension?.isCommandError(err) !== true) throw err;
          results.push({ index, ok: false, error: err as RosterError });
        }
      }
      meta = { ...meta, appliedIndex: index };
    }
    if (meta.appliedIndex === this.meta.appliedIndex) {
      computed?.(results);
      return results;
    }
    const ops = overlay.ops();
    ops.push({ type: 'put', key: META_KEY, value: encodeMeta(meta) });
    const next = meta;
    await this.gate.write(async () => {
      // No read is under way now, and every read from here on waits for this write to land.
      this.meta = next;
      const landing = this.kv.write(ops);
      try {
        computed?.(results);
      } finally {
        await landing.catch((err: unknown) => {
          // The batch was answered and is not in the backend: no read may see the backend
          // now (it would contradict an answer). The store is broken; its server stops and
          // applies the entries again from its log when it starts.
          this.gate.break(err instanceof Error ? err : new Error(String(err)));
          throw err;
        });
      }
      this.recent.add(written);
    });
    return results;
  }
}
