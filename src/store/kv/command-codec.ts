import { isRosterError, RosterError } from '../../util/errors.js';
import { BinaryReader, BinaryWriter } from './binary.js';
import type { KvCommand } from './command.js';
import type {
  Compare,
  CompareResult,
  CompareTarget,
  DeleteRangeRequest,
  PutRequest,
  RangeRequest,
  RequestOp,
  SortOrder,
  SortTarget,
  TxnRequest,
} from './types.js';

/**
 * The binary encoding of KvCommand, as stored in the Raft log:
 *
 *   command  = u8 FORMAT, u8 type (1 put, 2 deleteRange, 3 txn, 4 compact, 5 leaseGrant,
 *              6 leaseRevoke), request
 *   put      = bytes key, bytes value, i64 lease, u8 flags (1 prevKv, 2 ignoreValue, 4 ignoreLease)
 *   delete   = bytes key, bytes rangeEnd, u8 flags (1 prevKv)
 *   range    = bytes key, bytes rangeEnd, svarint limit, svarint revision, u8 sortOrder,
 *              u8 sortTarget, u8 flags (1 keysOnly, 2 countOnly), svarint minMod, maxMod,
 *              minCreate, maxCreate
 *   txn      = uvarint n, compare*n, uvarint n, op*n (success), uvarint n, op*n (failure)
 *   compare  = u8 result, u8 target, bytes key, bytes rangeEnd, operand (svarint, bytes or i64)
 *   op       = u8 kind (1 range, 2 put, 3 deleteRange, 4 txn), request
 *   compact  = svarint revision
 *   grant    = i64 id, uvarint ttl
 *   revoke   = i64 id
 *
 * Enumerations are written as their index in the tables below: append, never reorder, since
 * entries already in a Raft log must decode the same forever. FORMAT changes if the layout does.
 */

const FORMAT = 1;
const COMMAND_TYPES = ['put', 'deleteRange', 'txn', 'compact', 'leaseGrant', 'leaseRevoke'] as const;
const OP_TYPES = ['range', 'put', 'deleteRange', 'txn'] as const;
const SORT_ORDERS: readonly SortOrder[] = ['none', 'ascend', 'descend'];
const SORT_TARGETS: readonly SortTarget[] = ['key', 'version', 'create', 'mod', 'value'];
const COMPARE_RESULTS: readonly CompareResult[] = ['equal', 'greater', 'less', 'notEqual'];
const COMPARE_TARGETS: readonly CompareTarget[] = ['version', 'create', 'mod', 'value', 'lease'];

/**
 * Deepest txn nesting the decoder accepts. Validation bounds nesting below 128 (each level uses
 * at least one of the 128 ops etcd allows); the cap keeps garbage from recursing without end.
 */
const MAX_TXN_DEPTH = 130;

function tag<T>(table: readonly T[], value: T): number {
  const i = table.indexOf(value);
  if (i < 0) throw new RosterError('INVARIANT', `kv command codec: unknown value ${String(value)}`);
  return i + 1;
}

function untag<T>(r: BinaryReader, table: readonly T[], what: string): T {
  const i = r.u8();
  const value = table[i - 1];
  if (value === undefined) r.fail(`unknown ${what} ${i}`);
  return value;
}

function flags(...bits: boolean[]): number {
  return bits.reduce((acc, bit, i) => acc | (bit ? 1 << i : 0), 0);
}

function readFlags(r: BinaryReader, count: number): boolean[] {
  const f = r.u8();
  if (f >> count !== 0) r.fail(`unknown flags ${f}`);
  return Array.from({ length: count }, (_, i) => (f & (1 << i)) !== 0);
}

// ---- encode ----

function writeRange(w: BinaryWriter, q: RangeRequest): void {
  w.bytes(q.key).bytes(q.rangeEnd).svarint(q.limit).svarint(q.revision);
  w.u8(tag(SORT_ORDERS, q.sortOrder)).u8(tag(SORT_TARGETS, q.sortTarget)).u8(flags(q.keysOnly, q.countOnly));
  w.svarint(q.minModRevision).svarint(q.maxModRevision).svarint(q.minCreateRevision).svarint(q.maxCreateRevision);
}

function writePut(w: BinaryWriter, q: PutRequest): void {
  w.bytes(q.key).bytes(q.value).i64(q.lease).u8(flags(q.prevKv, q.ignoreValue, q.ignoreLease));
}

function writeDelete(w: BinaryWriter, q: DeleteRangeRequest): void {
  w.bytes(q.key).bytes(q.rangeEnd).u8(flags(q.prevKv));
}

function writeCompare(w: BinaryWriter, c: Compare): void {
  w.u8(tag(COMPARE_RESULTS, c.result)).u8(tag(COMPARE_TARGETS, c.target)).bytes(c.key).bytes(c.rangeEnd);
  switch (c.target) {
    case 'version':
      w.svarint(c.version);
      break;
    case 'create':
      w.svarint(c.createRevision);
      break;
    case 'mod':
      w.svarint(c.modRevision);
      break;
    case 'value':
      w.bytes(c.value);
      break;
    case 'lease':
      w.i64(c.lease);
      break;
  }
}

function writeOp(w: BinaryWriter, o: RequestOp): void {
  w.u8(tag(OP_TYPES, o.type));
  switch (o.type) {
    case 'range':
      return writeRange(w, o.request);
    case 'put':
      return writePut(w, o.request);
    case 'deleteRange':
      return writeDelete(w, o.request);
    case 'txn':
      return writeTxn(w, o.request);
  }
}

function writeTxn(w: BinaryWriter, q: TxnRequest): void {
  w.uvarint(q.compare.length);
  for (const c of q.compare) writeCompare(w, c);
  w.uvarint(q.success.length);
  for (const o of q.success) writeOp(w, o);
  w.uvarint(q.failure.length);
  for (const o of q.failure) writeOp(w, o);
}

export function encodeKvCommand(cmd: KvCommand): Uint8Array {
  const w = new BinaryWriter();
  w.u8(FORMAT).u8(tag(COMMAND_TYPES, cmd.type));
  switch (cmd.type) {
    case 'put':
      writePut(w, cmd.request);
      break;
    case 'deleteRange':
      writeDelete(w, cmd.request);
      break;
    case 'txn':
      writeTxn(w, cmd.request);
      break;
    case 'compact':
      w.svarint(cmd.request.revision);
      break;
    case 'leaseGrant':
      w.i64(cmd.request.id).uvarint(cmd.request.ttl);
      break;
    case 'leaseRevoke':
      w.i64(cmd.request.id);
      break;
  }
  return w.finish();
}

// ---- decode ----

function readRange(r: BinaryReader): RangeRequest {
  const key = r.bytes();
  const rangeEnd = r.bytes();
  const limit = r.svarint();
  const revision = r.svarint();
  const sortOrder = untag(r, SORT_ORDERS, 'sort order');
  const sortTarget = untag(r, SORT_TARGETS, 'sort target');
  const [keysOnly, countOnly] = readFlags(r, 2) as [boolean, boolean];
  const minModRevision = r.svarint();
  const maxModRevision = r.svarint();
  const minCreateRevision = r.svarint();
  const maxCreateRevision = r.svarint();
  return { key, rangeEnd, limit, revision, sortOrder, sortTarget, keysOnly, countOnly, minModRevision, maxModRevision, minCreateRevision, maxCreateRevision };
}

function readPut(r: BinaryReader): PutRequest {
  const key = r.bytes();
  const value = r.bytes();
  const lease = r.i64();
  const [prevKv, ignoreValue, ignoreLease] = readFlags(r, 3) as [boolean, boolean, boolean];
  return { key, value, lease, prevKv, ignoreValue, ignoreLease };
}

function readDelete(r: BinaryReader): DeleteRangeRequest {
  const key = r.bytes();
  const rangeEnd = r.bytes();
  const [prevKv] = readFlags(r, 1) as [boolean];
  return { key, rangeEnd, prevKv };
}

function readCompare(r: BinaryReader): Compare {
  const result = untag(r, COMPARE_RESULTS, 'compare result');
  const target = untag(r, COMPARE_TARGETS, 'compare target');
  const key = r.bytes();
  const rangeEnd = r.bytes();
  const common = { result, key, rangeEnd };
  switch (target) {
    case 'version':
      return { ...common, target, version: r.svarint() };
    case 'create':
      return { ...common, target, createRevision: r.svarint() };
    case 'mod':
      return { ...common, target, modRevision: r.svarint() };
    case 'value':
      return { ...common, target, value: r.bytes() };
    case 'lease':
      return { ...common, target, lease: r.i64() };
  }
}

function readOp(r: BinaryReader, depth: number): RequestOp {
  const type = untag(r, OP_TYPES, 'op type');
  switch (type) {
    case 'range':
      return { type, request: readRange(r) };
    case 'put':
      return { type, request: readPut(r) };
    case 'deleteRange':
      return { type, request: readDelete(r) };
    case 'txn':
      return { type, request: readTxn(r, depth + 1) };
  }
}

/** A list read element by element: a garbage count fails when the input runs out, not by allocating. */
function readList<T>(r: BinaryReader, item: () => T): T[] {
  const n = r.uvarint();
  if (n > r.remaining) r.fail(`list of ${n} items in ${r.remaining} bytes`);
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(item());
  return out;
}

function readTxn(r: BinaryReader, depth: number): TxnRequest {
  if (depth > MAX_TXN_DEPTH) r.fail('txn nested too deep');
  const compare = readList(r, () => readCompare(r));
  const success = readList(r, () => readOp(r, depth));
  const failure = readList(r, () => readOp(r, depth));
  return { compare, success, failure };
}

function decode(r: BinaryReader): KvCommand {
  const format = r.u8();
  if (format !== FORMAT) r.fail(`unknown format ${format}`);
  const type = untag(r, COMMAND_TYPES, 'command type');
  let cmd: KvCommand;
  switch (type) {
    case 'put':
      cmd = { type, request: readPut(r) };
      break;
    case 'deleteRange':
      cmd = { type, request: readDelete(r) };
      break;
    case 'txn':
      cmd = { type, request: readTxn(r, 0) };
      break;
    case 'compact':
      cmd = { type, request: { revision: r.svarint() } };
      break;
    case 'leaseGrant':
      cmd = { type, request: { id: r.i64(), ttl: r.uvarint() } };
      break;
    case 'leaseRevoke':
      cmd = { type, request: { id: r.i64() } };
      break;
  }
  r.end();
  return cmd;
}

/** Decodes a KvCommand; malformed input throws RosterError 'BAD_COMMAND'. */
export function decodeKvCommand(bytes: Uint8Array): KvCommand {
  try {
    return decode(new BinaryReader(bytes, 'BAD_COMMAND', 'kv command'));
  } catch (err) {
    // Belt and braces: whatever slipped past the reader's checks is still bad input.
    if (isRosterError(err, 'BAD_COMMAND')) throw err;
    throw new RosterError('BAD_COMMAND', `kv command: ${err instanceof Error ? err.message : String(err)}`);
  }
}
