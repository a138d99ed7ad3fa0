import type { DeleteRangeRequest__Output } from '../../gen/etcd/etcdserverpb/DeleteRangeRequest.js';
import type { PutRequest__Output } from '../../gen/etcd/etcdserverpb/PutRequest.js';
import type { RangeRequest__Output } from '../../gen/etcd/etcdserverpb/RangeRequest.js';
import type { TxnRequest__Output } from '../../gen/etcd/etcdserverpb/TxnRequest.js';
import type { Authorizer, Decision } from '../../store/acl/authorizer.js';
import { keyRangeRead, keyRangeWrite, keyWriteBytes } from '../../store/acl/key-ranges.js';
import type { RequestOp, TxnRequest } from '../../store/kv/types.js';
import { txnFromProto } from '../etcd/convert.js';
import type { AccessRule } from './access-rules.js';

/**
 * etcd's KV under Consul's key rules: a Range (or a Txn's range or compare) needs read on every
 * key it may return, a Put write on its key, a DeleteRange write on every key it may delete. A
 * Txn needs all of what both its branches and its compares need, as etcd checks it, so which
 * branch runs never depends on what the caller may see.
 */
export const KV_ACCESS: Record<'Range' | 'Put' | 'DeleteRange' | 'Txn' | 'Compact', AccessRule> = {
  Range: (req, authz) => {
    const r = req as RangeRequest__Output;
    return [keyRangeRead(authz, r.key, r.rangeEnd)];
  },
  Put: (req, authz) => [keyWriteBytes(authz, (req as PutRequest__Output).key)],
  DeleteRange: (req, authz) => {
    const r = req as DeleteRangeRequest__Output;
    return [keyRangeWrite(authz, r.key, r.rangeEnd)];
  },
  Txn: (req, authz) => txnNeeds(txnFromProto(req as TxnRequest__Output), authz),
  // Compaction discards history every client may need: an operator's act.
  Compact: 'operator',
};

function txnNeeds(t: TxnRequest, authz: Authorizer): Decision[] {
  const out = t.compare.map((c) => keyRangeRead(authz, c.key, c.rangeEnd));
  for (const op of [...t.success, ...t.failure]) out.push(...opNeeds(op, authz));
  return out;
}

function opNeeds(op: RequestOp, authz: Authorizer): Decision[] {
  switch (op.type) {
    case 'range':
      return [keyRangeRead(authz, op.request.key, op.request.rangeEnd)];
    case 'put':
      return [keyWriteBytes(authz, op.request.key)];
    case 'deleteRange':
      return [keyRangeWrite(authz, op.request.key, op.request.rangeEnd)];
    case 'txn':
      return txnNeeds(op.request, authz);
  }
}
