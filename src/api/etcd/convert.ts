import type { CompactionRequest__Output } from '../../gen/etcd/etcdserverpb/CompactionRequest.js';
import type { Compare__Output } from '../../gen/etcd/etcdserverpb/Compare.js';
import type { DeleteRangeRequest__Output } from '../../gen/etcd/etcdserverpb/DeleteRangeRequest.js';
import type { DeleteRangeResponse as DeleteRangeResponseProto } from '../../gen/etcd/etcdserverpb/DeleteRangeResponse.js';
import type { PutResponse as PutResponseProto } from '../../gen/etcd/etcdserverpb/PutResponse.js';
import type { RangeResponse as RangeResponseProto } from '../../gen/etcd/etcdserverpb/RangeResponse.js';
import type { ResponseHeader } from '../../gen/etcd/etcdserverpb/ResponseHeader.js';
import type { TxnResponse as TxnResponseProto } from '../../gen/etcd/etcdserverpb/TxnResponse.js';
import type { PutRequest__Output } from '../../gen/etcd/etcdserverpb/PutRequest.js';
import type { RangeRequest__Output } from '../../gen/etcd/etcdserverpb/RangeRequest.js';
import type { RequestOp__Output } from '../../gen/etcd/etcdserverpb/RequestOp.js';
import type { ResponseOp } from '../../gen/etcd/etcdserverpb/ResponseOp.js';
import type { TxnRequest__Output } from '../../gen/etcd/etcdserverpb/TxnRequest.js';
import type { KeyValue as KeyValueProto } from '../../gen/etcd/mvccpb/KeyValue.js';
import type {
  Compare,
  CompareResult,
  DeleteRangeRequest,
  DeleteRangeResponse,
  KeyValue,
  PutRequest,
  PutResponse,
  RangeRequest,
  RangeResponse,
  RequestOp,
  ResponseOp as DomainResponseOp,
  SortOrder,
  SortTarget,
  TxnRequest,
  TxnResponse,
} from '../../store/kv/types.js';
import { kvError } from '../../store/kv/kv-errors.js';
import { RosterError } from '../../util/errors.js';

/**
 * etcd's protobuf messages <-> the KV domain types. 64-bit integers arrive as decimal strings
 * (the loader's `longs: String`): revisions and counts become numbers (they stay below 2^53),
 * lease IDs bigints (etcd uses the whole int64 range).
 */

function num(field: string, s: string | number | undefined): number {
  const n = Number(s ?? 0);
  if (!Number.isSafeInteger(n)) throw new RosterError('INVALID_ARGUMENT', `${field} is out of range: ${String(s)}`);
  return n;
}

function lease(s: string | number | undefined): bigint {
  try {
    return BigInt(s ?? 0);
  } catch {
    throw new RosterError('INVALID_ARGUMENT', `lease is not an integer: ${String(s)}`);
  }
}

const SORT_ORDER: Record<string, SortOrder> = { NONE: 'none', ASCEND: 'ascend', DESCEND: 'descend' };
const SORT_TARGET: Record<string, SortTarget> = { KEY: 'key', VERSION: 'version', CREATE: 'create', MOD: 'mod', VALUE: 'value' };
const RESULT: Record<string, CompareResult> = { EQUAL: 'equal', GREATER: 'greater', LESS: 'less', NOT_EQUAL: 'notEqual' };

export function rangeFromProto(r: RangeRequest__Output): RangeRequest {
  return {
    key: r.key,
    rangeEnd: r.rangeEnd,
    limit: num('limit', r.limit),
    revision: num('revision', r.revision),
    sortOrder: SORT_ORDER[r.sortOrder] ?? 'none',
    sortTarget: SORT_TARGET[r.sortTarget] ?? 'key',
    keysOnly: r.keysOnly,
    countOnly: r.countOnly,
    minModRevision: num('min_mod_revision', r.minModRevision),
    maxModRevision: num('max_mod_revision', r.maxModRevision),
    minCreateRevision: num('min_create_revision', r.minCreateRevision),
    maxCreateRevision: num('max_create_revision', r.maxCreateRevision),
  };
}

/**
 * A compaction's revision. One beyond what a number holds exactly is beyond any revision this
 * store can reach, so it is a future revision, as etcd answers for any revision above its own.
 */
export function compactFromProto(r: CompactionRequest__Output): { revision: number } {
  const revision = Number(r.revision);
  if (!Number.isSafeInteger(revision)) {
    if (revision > 0) throw kvError('FUTURE_REV', { requested: String(r.revision) });
    throw new RosterError('INVALID_ARGUMENT', `revision is out of range: ${String(r.revision)}`);
  }
  return { revision };
}

export function putFromProto(r: PutRequest__Output): PutRequest {
  return { key: r.key, value: r.value, lease: lease(r.lease), prevKv: r.prevKv, ignoreValue: r.ignoreValue, ignoreLease: r.ignoreLease };
}

export function deleteFromProto(r: DeleteRangeRequest__Output): DeleteRangeRequest {
  return { key: r.key, rangeEnd: r.rangeEnd, prevKv: r.prevKv };
}

function compareFromProto(c: Compare__Output): Compare {
  // An enum value this version does not know arrives as a number: refuse it, never guess.
  const result = RESULT[c.result];
  if (result === undefined) throw kvError('BAD_COMPARE', { result: c.result });
  const base = { result, key: c.key, rangeEnd: c.rangeEnd };
  switch (c.target) {
    case 'VERSION':
      return { ...base, target: 'version', version: num('version', c.version) };
    case 'CREATE':
      return { ...base, target: 'create', createRevision: num('create_revision', c.createRevision) };
    case 'MOD':
      return { ...base, target: 'mod', modRevision: num('mod_revision', c.modRevision) };
    case 'VALUE':
      return { ...base, target: 'value', value: c.value ?? new Uint8Array(0) };
    case 'LEASE':
      return { ...base, target: 'lease', lease: lease(c.lease) };
    default:
      throw kvError('BAD_COMPARE', { target: c.target });
  }
}

function opFromProto(op: RequestOp__Output): RequestOp {
  if (op.requestRange) return { type: 'range', request: rangeFromProto(op.requestRange) };
  if (op.requestPut) return { type: 'put', request: putFromProto(op.requestPut) };
  if (op.requestDeleteRange) return { type: 'deleteRange', request: deleteFromProto(op.requestDeleteRange) };
  if (op.requestTxn) return { type: 'txn', request: txnFromProto(op.requestTxn) };
  throw new RosterError('INVALID_ARGUMENT', 'a txn operation has no request');
}

export function txnFromProto(t: TxnRequest__Output): TxnRequest {
  return { compare: t.compare.map(compareFromProto), success: t.success.map(opFromProto), failure: t.failure.map(opFromProto) };
}

export function kvToProto(kv: KeyValue, keysOnly = false): KeyValueProto {
  return {
    key: kv.key,
    createRevision: String(kv.createRevision),
    modRevision: String(kv.modRevision),
    version: String(kv.version),
    value: keysOnly ? new Uint8Array(0) : kv.value,
    lease: kv.lease.toString(),
  };
}

type Header = (revision: number) => ResponseHeader;

export function rangeToProto(r: RangeResponse, header: Header, keysOnly = false): RangeResponseProto {
  return { header: header(r.revision), kvs: r.kvs.map((kv) => kvToProto(kv, keysOnly)), more: r.more, count: String(r.count) };
}

export function putToProto(r: PutResponse, header: Header): PutResponseProto {
  return { header: header(r.revision), prevKv: r.prevKv === undefined ? null : kvToProto(r.prevKv) };
}

export function deleteToProto(r: DeleteRangeResponse, header: Header): DeleteRangeResponseProto {
  return { header: header(r.revision), deleted: String(r.deleted), prevKvs: r.prevKvs.map((kv) => kvToProto(kv)) };
}

function opToProto(op: DomainResponseOp, header: Header): ResponseOp {
  switch (op.type) {
    case 'range':
      return { responseRange: rangeToProto(op.response, header) };
    case 'put':
      return { responsePut: putToProto(op.response, header) };
    case 'deleteRange':
      return { responseDeleteRange: deleteToProto(op.response, header) };
    case 'txn':
      return { responseTxn: txnToProto(op.response, header) };
  }
}

export function txnToProto(r: TxnResponse, header: Header): TxnResponseProto {
  return { header: header(r.revision), succeeded: r.succeeded, responses: r.responses.map((op) => opToProto(op, header)) };
}

/** Bytes a request carries (keys and values), for etcd's 1.5 MiB request limit. */
export function requestBytes(op: RequestOp): number {
  switch (op.type) {
    case 'range':
      return op.request.key.length + op.request.rangeEnd.length;
    case 'put':
      return op.request.key.length + op.request.value.length;
    case 'deleteRange':
      return op.request.key.length + op.request.rangeEnd.length;
    case 'txn': {
      let n = 0;
      for (const c of op.request.compare) n += c.key.length + c.rangeEnd.length + (c.target === 'value' ? c.value.length : 8);
      for (const o of [...op.request.success, ...op.request.failure]) n += requestBytes(o);
      return n;
    }
  }
}
