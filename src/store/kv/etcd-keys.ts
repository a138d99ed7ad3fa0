import type { KvCommand, KvCommandResponse } from './command.js';
import { NAMESPACE, nsKey, nsRangeEnd, stripNamespace } from './namespace.js';
import type {
  Compare,
  DeleteRangeRequest,
  DeleteRangeResponse,
  KeyValue,
  KvEvent,
  PutRequest,
  PutResponse,
  RangeRequest,
  RangeResponse,
  RequestOp,
  ResponseOp,
  TxnRequest,
  TxnResponse,
} from './types.js';

/**
 * etcd's user keys live in the KV namespace (namespace.ts). Requests are moved into it on the way
 * in and answers moved out on the way back, here and nowhere else, so every etcd operation keeps
 * its exact semantics and can never reach another namespace: etcd's "every key" range
 * ([0x00], [0x00]) is every key of the KV namespace.
 */

const NS = NAMESPACE.kv;

const key = (k: Uint8Array): Uint8Array => nsKey(NS, k);
const end = (e: Uint8Array): Uint8Array => nsRangeEnd(NS, e);

export function rangeIn(r: RangeRequest): RangeRequest {
  return { ...r, key: key(r.key), rangeEnd: end(r.rangeEnd) };
}

function putIn(r: PutRequest): PutRequest {
  return { ...r, key: key(r.key) };
}

function deleteIn(r: DeleteRangeRequest): DeleteRangeRequest {
  return { ...r, key: key(r.key), rangeEnd: end(r.rangeEnd) };
}

function compareIn(c: Compare): Compare {
  return { ...c, key: key(c.key), rangeEnd: end(c.rangeEnd) };
}

function opIn(o: RequestOp): RequestOp {
  switch (o.type) {
    case 'range':
      return { type: 'range', request: rangeIn(o.request) };
    case 'put':
      return { type: 'put', request: putIn(o.request) };
    case 'deleteRange':
      return { type: 'deleteRange', request: deleteIn(o.request) };
    case 'txn':
      return { type: 'txn', request: txnIn(o.request) };
  }
}

export function txnIn(t: TxnRequest): TxnRequest {
  return { compare: t.compare.map(compareIn), success: t.success.map(opIn), failure: t.failure.map(opIn) };
}

/** A command with its keys moved into the KV namespace; commands without keys unchanged. */
export function commandIn(cmd: KvCommand): KvCommand {
  switch (cmd.type) {
    case 'put':
      return { type: 'put', request: putIn(cmd.request) };
    case 'deleteRange':
      return { type: 'deleteRange', request: deleteIn(cmd.request) };
    case 'txn':
      return { type: 'txn', request: txnIn(cmd.request) };
    default:
      return cmd;
  }
}

export function kvOut(kv: KeyValue): KeyValue {
  return { ...kv, key: stripNamespace(kv.key) };
}

export function rangeOut(r: RangeResponse): RangeResponse {
  return { ...r, kvs: r.kvs.map(kvOut) };
}

function putOut(r: PutResponse): PutResponse {
  return r.prevKv === undefined ? r : { ...r, prevKv: kvOut(r.prevKv) };
}

function deleteOut(r: DeleteRangeResponse): DeleteRangeResponse {
  return r.prevKvs.length === 0 ? r : { ...r, prevKvs: r.prevKvs.map(kvOut) };
}

function opOut(o: ResponseOp): ResponseOp {
  switch (o.type) {
    case 'range':
      return { type: 'range', response: rangeOut(o.response) };
    case 'put':
      return { type: 'put', response: putOut(o.response) };
    case 'deleteRange':
      return { type: 'deleteRange', response: deleteOut(o.response) };
    case 'txn':
      return { type: 'txn', response: txnOut(o.response) };
  }
}

export function txnOut(t: TxnResponse): TxnResponse {
  return { ...t, responses: t.responses.map(opOut) };
}

export function responseOut(res: KvCommandResponse): KvCommandResponse {
  switch (res.type) {
    case 'put':
      return { type: 'put', response: putOut(res.response) };
    case 'deleteRange':
      return { type: 'deleteRange', response: deleteOut(res.response) };
    case 'txn':
      return { type: 'txn', response: txnOut(res.response) };
    default:
      return res;
  }
}

export function eventOut(e: KvEvent): KvEvent {
  return { ...e, kv: kvOut(e.kv) };
}
