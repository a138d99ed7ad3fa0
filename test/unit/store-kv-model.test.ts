/**
 * Model-based check: random puts, deletes, delete-ranges, txns and compactions, applied in random
 * batches (sometimes reopening the store), against a naive model that keeps a full copy of the
 * keyspace per revision. Ranges at random revisions and the event log must match the model.
 */
import { describe, expect, it } from 'vitest';
import { compareBytes } from '../../src/store/kv/bytes.js';
import type { KvCommand } from '../../src/store/kv/command.js';
import { MemoryOrderedKv } from '../../src/store/kv/memory-kv.js';
import { MvccStore } from '../../src/store/kv/mvcc-store.js';
import type { KvEntry, KvOp, OrderedKv, ScanRange } from '../../src/store/kv/ordered-kv.js';
import { deleteRangeRequest, op, putRequest, rangeRequest, txnRequest } from '../../src/store/kv/requests.js';
import type { KeyValue } from '../../src/store/kv/types.js';
import { isRosterError } from '../../src/util/errors.js';
import { seededRng, type Rng } from '../../src/util/rng.js';

const hex = (k: Uint8Array): string => [...k].map((x) => x.toString(16).padStart(2, '0')).join('');

interface Write {
  readonly key: Uint8Array;
  readonly value: Uint8Array | undefined; // undefined: delete
}

class Model {
  revision = 1;
  compact = 0;
  live = new Map<string, KeyValue>();
  snapshots = new Map<number, Map<string, KeyValue>>([[1, new Map()]]);
  events: string[] = [];

  inRange(k: Uint8Array, key: Uint8Array, end: Uint8Array): boolean {
    if (end.length === 0) return compareBytes(k, key) === 0;
    if (end.length === 1 && end[0] === 0) return compareBytes(k, key) >= 0;
    return compareBytes(k, key) >= 0 && compareBytes(k, end) < 0;
  }

  /** Applies the writes of one command at the next revision (if any write is effective). */
  commit(writes: readonly Write[]): void {
    const rev = this.revision + 1;
    let sub = 0;
    for (const w of writes) {
      const prev = this.live.get(hex(w.key));
      if (w.value === undefined) {
        if (prev === undefined) continue;
        this.live.delete(hex(w.key));
        this.events.push(`${rev}.${sub++} delete ${hex(w.key)} prev=${prev.modRevision}`);
      } else {
        const kv = { key: w.key, value: w.value, lease: 0n, createRevision: prev?.createRevision ?? rev, modRevision: rev, version: (prev?.version ?? 0) + 1 };
        this.live.set(hex(w.key), kv);
        this.events.push(`${rev}.${sub++} put ${hex(w.key)} prev=${prev?.modRevision ?? 0}`);
      }
    }
    if (sub > 0) {
      this.revision = rev;
      this.snapshots.set(rev, new Map(this.live));
    }
  }

  keysIn(key: Uint8Array, end: Uint8Array, at = this.live): KeyValue[] {
    return [...at.values()].filter((kv) => this.inRange(kv.key, key, end)).sort((a, b) => compareBytes(a.key, b.key));
  }
}

const ALPHABET = [0x00, 0x01, 0x61, 0xff];
const randomKey = (rng: Rng): Uint8Array => Uint8Array.from({ length: rng.between(1, 3) }, () => rng.pick(ALPHABET));
const randomEnd = (rng: Rng): Uint8Array => (rng.chance(0.3) ? new Uint8Array(0) : rng.chance(0.3) ? Uint8Array.of(0) : randomKey(rng));

/** A random command and the writes the model applies for it (undefined when it must fail). */
function randomCommand(rng: Rng, model: Model): { cmd: KvCommand; writes: Write[] | 'compact' | 'error' } {
  const roll = rng.int(10);
  if (roll < 5) {
    const key = randomKey(rng);
    const value = Uint8Array.of(rng.int(256));
    return { cmd: { type: 'put', request: putRequest(key, value) }, writes: [{ key, value }] };
  }
  if (roll < 7) {
    const key = randomKey(rng);
    const rangeEnd = randomEnd(rng);
    const writes = model.keysIn(key, rangeEnd).map((kv) => ({ key: kv.key, value: undefined }));
    return { cmd: { type: 'deleteRange', request: deleteRangeRequest(key, { rangeEnd }) }, writes };
  }
  if (roll < 9) {
    // A txn of distinct puts and single-key deletes (no duplicates, so it validates).
    const keys = new Map<string, Uint8Array>();
    for (let i = rng.int(4); i >= 0; i--) {
      const k = randomKey(rng);
      keys.set(hex(k), k);
    }
    const writes: Write[] = [];
    const ops = [...keys.values()].map((key) => {
      if (rng.chance(0.3)) {
        writes.push({ key, value: undefined });
        return op.deleteRange(deleteRangeRequest(key));
      }
      const value = Uint8Array.of(rng.int(256));
      writes.push({ key, value });
      return op.put(putRequest(key, value));
    });
    return { cmd: { type: 'txn', request: txnRequest({ success: ops }) }, writes };
  }
  const revision = rng.between(Math.max(0, model.compact - 1), model.revision + 1);
  const ok = revision > model.compact && revision <= model.revision;
  return { cmd: { type: 'compact', request: { revision } }, writes: ok ? 'compact' : 'error' };
}

async function checkRanges(rng: Rng, store: MvccStore, model: Model): Promise<void> {
  for (let q = 0; q < 6; q++) {
    const key = rng.chance(0.3) ? Uint8Array.of(0) : randomKey(rng);
    const rangeEnd = rng.chance(0.3) ? Uint8Array.of(0) : randomEnd(rng);
    const revision = rng.chance(0.3) ? 0 : rng.between(Math.max(1, model.compact - 2), model.revision + 1);
    let want: KeyValue[] | string;
    if (revision > model.revision) want = 'FUTURE_REV';
    else if (revision > 0 && revision < model.compact) want = 'COMPACTED';
    else want = model.keysIn(key, rangeEnd, revision <= 0 ? model.live : model.snapshots.get(revision) ?? [...model.snapshots.entries()].filter(([r]) => r <= revision).pop()![1]);
    let got: KeyValue[] | string;
    try {
      got = [...(await store.range(rangeRequest(key, { rangeEnd, revision }))).kvs];
    } catch (err) {
      if (!isRosterError(err)) throw err;
      got = err.code;
    }
    const view = (x: KeyValue[] | string): unknown => (typeof x === 'string' ? x : x.map((kv) => `${hex(kv.key)}=${hex(kv.value)} c${kv.createRevision} m${kv.modRevision} v${kv.version}`));
    expect(view(got), `range ${hex(key)}..${hex(rangeEnd)} @${revision}`).toEqual(view(want));
  }
}

/**
 * Hands out Node Buffers that are views into larger buffers, as LevelDB behind a key prefix does
 * (src/store/leveldb/level-kv.ts): the store must neither keep nor write through such views.
 */
class BufferViewKv implements OrderedKv {
  constructor(private readonly inner: MemoryOrderedKv) {}

  private static view(bytes: Uint8Array): Uint8Array {
    const padded = Buffer.alloc(bytes.length + 2, 0xee);
    padded.set(bytes, 1);
    return padded.subarray(1, 1 + bytes.length);
  }

  async get(key: Uint8Array): Promise<Uint8Array | undefined> {
    const v = await this.inner.get(key);
    return v === undefined ? undefined : BufferViewKv.view(v);
  }

  async *scan(range: ScanRange): AsyncIterable<KvEntry> {
    for await (const e of this.inner.scan(range)) yield { key: BufferViewKv.view(e.key), value: BufferViewKv.view(e.value) };
  }

  write(ops: readonly KvOp[]): Promise<void> {
    return this.inner.write(ops);
  }
}

describe('MvccStore against a naive model', () => {
  it.each(
    Array.from({ length: 12 }, (_, i) => ({ seed: i + 1, backend: i % 3 === 2 ? 'buffer views' : 'memory' })),
  )('seed $seed on $backend', async ({ seed, backend }) => {
    const rng = seededRng(seed);
    const memory = new MemoryOrderedKv();
    const kv: OrderedKv = backend === 'memory' ? memory : new BufferViewKv(memory);
    let store = await MvccStore.open(kv);
    const model = new Model();
    let index = 0;
    for (let batch = 0; batch < 40; batch++) {
      const planned = Array.from({ length: rng.between(1, 5) }, () => {
        const c = randomCommand(rng, model);
        // Each command is planned against the model as it will be when the command runs.
        if (c.writes === 'compact') model.compact = (c.cmd.request as { revision: number }).revision;
        else if (c.writes !== 'error') model.commit(c.writes);
        return c;
      });
      const results = await store.apply(planned.map((p) => ({ index: ++index, command: p.cmd })));
      expect(results.map((r) => r.ok)).toEqual(planned.map((p) => p.writes !== 'error'));
      expect([store.revision(), store.compactRevision(), store.appliedIndex()]).toEqual([model.revision, model.compact, index]);
      if (rng.chance(0.1)) store = await MvccStore.open(kv);
      await checkRanges(rng, store, model);
    }
    const events = (await store.events(model.compact, 0)).flatMap((r) =>
      r.events.map((e) => `${r.revision}.${e.sub} ${e.type} ${hex(e.kv.key)} prev=${e.prevModRevision}`),
    );
    expect(events).toEqual(model.events.filter((e) => Number(e.split('.')[0]) >= model.compact));
  });
});
