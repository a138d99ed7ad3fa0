import { compareBytes, EMPTY_BYTES } from './bytes.js';
import { scanCurrent } from './mvcc-read.js';
import type { OrderedKvReader } from './ordered-kv.js';
import type { Compare, KeyValue, TxnRequest } from './types.js';

/** What a missing key compares as: version, create, mod and lease all 0. */
const ABSENT: KeyValue = { key: EMPTY_BYTES, createRevision: 0, modRevision: 0, version: 0, value: EMPTY_BYTES, lease: 0n };

function operandOrder(c: Compare, kv: KeyValue): number {
  switch (c.target) {
    case 'version':
      return kv.version - c.version;
    case 'create':
      return kv.createRevision - c.createRevision;
    case 'mod':
      return kv.modRevision - c.modRevision;
    case 'value':
      return compareBytes(kv.value, c.value);
    case 'lease':
      return kv.lease < c.lease ? -1 : kv.lease > c.lease ? 1 : 0;
  }
}

function holdsFor(c: Compare, kv: KeyValue): boolean {
  const order = operandOrder(c, kv);
  switch (c.result) {
    case 'equal':
      return order === 0;
    case 'notEqual':
      return order !== 0;
    case 'greater':
      return order > 0;
    case 'less':
      return order < 0;
  }
}

/**
 * etcd's applyCompare: the compare must hold for every key in the range. When no key is there
 * it is judged against an absent key (all zeros), except a value compare, which is then false:
 * protobuf cannot tell a missing value from an empty one, so etcd refuses to guess.
 */
export async function compareHolds(kv: OrderedKvReader, c: Compare): Promise<boolean> {
  let any = false;
  for await (const item of scanCurrent(kv, c.key, c.rangeEnd)) {
    any = true;
    if (!holdsFor(c, item)) return false;
  }
  if (any) return true;
  return c.target === 'value' ? false : holdsFor(c, ABSENT);
}

/** Which branch a txn takes, and the same for each txn nested in that branch, in op order. */
export interface TxnPath {
  readonly succeeded: boolean;
  readonly nested: readonly TxnPath[];
}

/**
 * Decides every branch of a txn tree BEFORE any op runs, as etcd's compareToPath does: the
 * compares of a nested txn see the state at the start of the outer txn, not the writes of the
 * ops before it. Compares stop at the first that fails, as in etcd.
 */
export async function evaluateTxnPath(kv: OrderedKvReader, req: TxnRequest): Promise<TxnPath> {
  let succeeded = true;
  for (const c of req.compare) {
    if (!(await compareHolds(kv, c))) {
      succeeded = false;
      break;
    }
  }
  const nested: TxnPath[] = [];
  for (const o of succeeded ? req.success : req.failure) {
    if (o.type === 'txn') nested.push(await evaluateTxnPath(kv, o.request));
  }
  return { succeeded, nested };
}
