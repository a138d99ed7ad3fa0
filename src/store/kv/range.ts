import { compareBytes, EMPTY_BYTES } from './bytes.js';
import { compactedError, futureRevisionError, kvError } from './kv-errors.js';
import { scanAt, scanCurrent } from './mvcc-read.js';
import type { OrderedKvReader } from './ordered-kv.js';
import type { KeyValue, RangeRequest, RangeResponse, SortTarget } from './types.js';

/** What a Range reads: the store outside a command, or a command's view while it runs. */
export interface ReadView {
  readonly kv: OrderedKvReader;
  /** The revision the current keyspace reflects: what a range at revision 0 reads. */
  readonly currentRevision: number;
  /**
   * The newest revision a range may name. Equal to currentRevision, except inside a txn that
   * has written: etcd checks txn ranges against the revision the txn started from.
   */
  readonly maxRevision: number;
  readonly compactRevision: number;
  /** Bytes of keys and values this read may still return (shared by the ranges of one txn). */
  readonly budget?: ResponseBudget;
}

/**
 * What one answer may hold. A range past it fails with RESPONSE_TOO_LARGE as soon as it is
 * crossed, before the rest is read into memory: a 3 KB txn of 128 ranges over 4 MiB of values
 * must not make a server build half a gigabyte.
 */
export interface ResponseBudget {
  remaining: number;
}

/** What a key-value costs on the wire besides its key and value (revisions, lease, tags). */
const KV_OVERHEAD_BYTES = 32;

function spend(budget: ResponseBudget | undefined, kv: KeyValue, keysOnly: boolean): void {
  if (budget === undefined) return;
  budget.remaining -= KV_OVERHEAD_BYTES + kv.key.length + (keysOnly ? 0 : kv.value.length);
  if (budget.remaining < 0) throw kvError('RESPONSE_TOO_LARGE', { limit: 'max-response-bytes' });
}

const COMPARATORS: Readonly<Record<SortTarget, (a: KeyValue, b: KeyValue) => number>> = {
  key: (a, b) => compareBytes(a.key, b.key),
  version: (a, b) => a.version - b.version,
  create: (a, b) => a.createRevision - b.createRevision,
  mod: (a, b) => a.modRevision - b.modRevision,
  value: (a, b) => compareBytes(a.value, b.value),
};

function hasRevisionFilters(req: RangeRequest): boolean {
  return req.minModRevision !== 0 || req.maxModRevision !== 0 || req.minCreateRevision !== 0 || req.maxCreateRevision !== 0;
}

function passesFilters(req: RangeRequest, kv: KeyValue): boolean {
  if (req.maxModRevision !== 0 && kv.modRevision > req.maxModRevision) return false;
  if (req.minModRevision !== 0 && kv.modRevision < req.minModRevision) return false;
  if (req.maxCreateRevision !== 0 && kv.createRevision > req.maxCreateRevision) return false;
  if (req.minCreateRevision !== 0 && kv.createRevision < req.minCreateRevision) return false;
  return true;
}

/** Storage yields keys ascending, which already is the order for ('none' | 'ascend', 'key'). */
function isDefaultOrdering(req: RangeRequest): boolean {
  return req.sortOrder === 'none' || (req.sortTarget === 'key' && req.sortOrder === 'ascend');
}

/**
 * etcd's sort: a non-key target with order 'none' sorts ascending. The sort is stable, so ties
 * stay in key order (etcd's sort is not stable; any order of ties is valid there).
 */
function sortKvs(req: RangeRequest, kvs: KeyValue[]): void {
  const order = req.sortTarget !== 'key' && req.sortOrder === 'none' ? 'ascend' : req.sortOrder;
  if (order === 'none' || (req.sortTarget === 'key' && order === 'ascend')) return;
  if (req.sortTarget === 'key') {
    kvs.reverse(); // 'descend' by key: storage order reversed
    return;
  }
  const compare = COMPARATORS[req.sortTarget];
  kvs.sort(order === 'descend' ? (a, b) => compare(b, a) : compare);
}

/**
 * etcd's Range (server/etcdserver/txn/range.go), step for step:
 * - revision > maxRevision: FUTURE_REV; <= 0: current; < compactRevision: COMPACTED.
 * - count: every key in the range at that revision, before limit and filters.
 * - with the default ordering and no filters, only limit + 1 kvs are kept (the extra one sets
 *   `more`); otherwise all are kept, filtered, sorted, then cut to limit. Note etcd's quirk,
 *   kept here: a non-key target with order 'none' sorts only the first limit + 1 keys.
 * - the response revision is the view's current revision, whatever revision was read.
 */
export async function executeRange(view: ReadView, req: RangeRequest): Promise<RangeResponse> {
  if (req.revision > view.maxRevision) throw futureRevisionError(view.maxRevision, req.revision);
  const atCurrent = req.revision <= 0 || req.revision === view.currentRevision;
  if (!atCurrent && req.revision < view.compactRevision) throw compactedError(view.compactRevision, req.revision);
  const source = atCurrent ? scanCurrent(view.kv, req.key, req.rangeEnd) : scanAt(view.kv, req.key, req.rangeEnd, req.revision);

  const filtered = hasRevisionFilters(req);
  const keep = req.limit > 0 && isDefaultOrdering(req) && !filtered ? req.limit + 1 : Infinity;
  let count = 0;
  let kvs: KeyValue[] = [];
  // The whole range is read for `count` even past the limit (etcd counts from its in-memory
  // index; we have none, by design): a known cost of large ranges with a small limit.
  for await (const kv of source) {
    count++;
    if (req.countOnly || kvs.length >= keep) continue;
    if (!filtered || passesFilters(req, kv)) {
      spend(view.budget, kv, req.keysOnly);
      kvs.push(kv);
    }
  }
  sortKvs(req, kvs);
  let more = false;
  if (req.limit > 0 && kvs.length > req.limit) {
    kvs = kvs.slice(0, req.limit);
    more = true;
  }
  if (req.keysOnly) kvs = kvs.map((kv) => ({ ...kv, value: EMPTY_BYTES }));
  return { kvs, more, count, revision: view.currentRevision };
}
