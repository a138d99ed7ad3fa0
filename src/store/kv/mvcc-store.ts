import { invariant } from '../../util/assert.js';
import { RosterError } from '../../util/errors.js';
import { applyCommand } from './apply-command.js';
import type { KvCommand, KvCommandResponse } from './command.js';
import { readEvents } from './events.js';
import { ReadWriteGate } from './gate.js';
import { compactedError, KV_ERRORS } from './kv-errors.js';
import { META_KEY } from './layout.js';
import type { OrderedKv } from './ordered-kv.js';
import { OverlayKv } from './overlay-kv.js';
import { keysToPrefetch } from './prefetch.js';
import { executeRange } from './range.js';
import { decodeMeta, encodeMeta, type StoreMeta } from './records.js';
import type { RangeRequest, RangeResponse, RevisionEvents } from './types.js';
import { validateRange } from './validate.js';
import { NO_LEASES, type LeaseLookup } from './write-scope.js';

export interface MvccStoreOptions {
  /** Which leases exist; by default none, so a put with a lease fails with LEASE_NOT_FOUND. */
  readonly leases?: LeaseLookup;
}

/** One committed Raft entry. `command` undefined: an entry with no KV effect (no-op, membership). */
export interface ApplyEntry {
  readonly index: number;
  readonly command: KvCommand | undefined;
}

/**
 * The outcome of one applied entry. A failed command (error with a KV code) changed nothing and
 * fails only itself; `response` is undefined for an entry without a command.
 */
export type ApplyResult =
  | { readonly index: number; readonly ok: true; readonly response: KvCommandResponse | undefined }
  | { readonly index: number; readonly ok: false; readonly error: RosterError };

/** A fresh store: etcd starts at revision 1, with nothing compacted and nothing applied. */
const FRESH: StoreMeta = { revision: 1, compactRevision: 0, appliedIndex: 0 };

function isCommandError(err: unknown): err is RosterError {
  return err instanceof RosterError && Object.hasOwn(KV_ERRORS, err.code);
}

/**
 * etcd's MVCC key-value store as a deterministic state machine over an OrderedKv: Raft applies
 * committed entries, the API reads the applied state. Layout: layout.ts. Semantics: etcd's, op by
 * op (writes.ts, range.ts, txn.ts, compare.ts, compaction.ts).
 *
 * Durability contract: a batch's changes and its last index go to the backend in ONE atomic
 * write, so after a crash the store is exactly as of some applied index, and replaying entries
 * at or below appliedIndex() is a no-op.
 */
export class MvccStore {
  private readonly gate = new ReadWriteGate();
  /** Batches apply one after another, whatever the caller does. */
  private applyTail: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly kv: OrderedKv,
    private meta: StoreMeta,
    private readonly leases: LeaseLookup,
  ) {}

  static async open(kv: OrderedKv, opts: MvccStoreOptions = {}): Promise<MvccStore> {
    const bytes = await kv.get(META_KEY);
    return new MvccStore(kv, bytes === undefined ? FRESH : decodeMeta(bytes), opts.leases ?? NO_LEASES);
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

  /** etcd's Range on the applied state. Throws EMPTY_KEY, FUTURE_REV or COMPACTED. */
  async range(req: RangeRequest): Promise<RangeResponse & { revision: number }> {
    validateRange(req);
    return this.gate.read(() => {
      const { revision, compactRevision } = this.meta;
      return executeRange({ kv: this.kv, currentRevision: revision, maxRevision: revision, compactRevision }, req);
    });
  }

  /**
   * The change events of revisions >= fromRevision, grouped by revision, at most `limit`
   * revisions (<= 0: all). Throws COMPACTED below the compact revision.
   */
  async events(fromRevision: number, limit: number): Promise<RevisionEvents[]> {
    return this.gate.read(() => {
      if (fromRevision < this.meta.compactRevision) throw compactedError(this.meta.compactRevision, fromRevision);
      return readEvents(this.kv, fromRevision, limit);
    });
  }

  /**
   * Applies committed entries in order. Entries at or below appliedIndex() are skipped and get
   * no result; each other entry gets one, in order. Within the batch each command sees the
   * writes of the ones before it (through an overlay), and everything, with the new applied
   * index, is written at once. A rejected promise (backend failure, corrupt data, a bug) means
   * nothing of the batch was applied.
   */
  apply(batch: readonly ApplyEntry[]): Promise<ApplyResult[]> {
    const run = this.applyTail.then(() => this.applyNow(batch));
    this.applyTail = run.catch(() => undefined);
    return run;
  }

  private async applyNow(batch: readonly ApplyEntry[]): Promise<ApplyResult[]> {
    const overlay = new OverlayKv(this.kv);
    await overlay.prefetch(keysToPrefetch(batch.filter((e) => e.index > this.meta.appliedIndex).map((e) => e.command)));
    let meta = this.meta;
    const results: ApplyResult[] = [];
    for (const { index, command } of batch) {
      invariant(Number.isSafeInteger(index) && index > 0, () => `apply: bad index ${index}`);
      if (index <= meta.appliedIndex) continue;
      if (command === undefined) {
        results.push({ index, ok: true, response: undefined });
      } else {
        overlay.begin();
        try {
          const outcome = await applyCommand(overlay, meta, command, this.leases);
          overlay.commit();
          meta = outcome.meta;
          results.push({ index, ok: true, response: outcome.response });
        } catch (err) {
          overlay.rollback();
          if (!isCommandError(err)) throw err;
          results.push({ index, ok: false, error: err });
        }
      }
      meta = { ...meta, appliedIndex: index };
    }
    if (meta.appliedIndex === this.meta.appliedIndex) return results;
    const ops = overlay.ops();
    ops.push({ type: 'put', key: META_KEY, value: encodeMeta(meta) });
    const next = meta;
    await this.gate.write(async () => {
      await this.kv.write(ops);
      this.meta = next;
    });
    return results;
  }
}
