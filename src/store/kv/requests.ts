import { EMPTY_BYTES } from './bytes.js';
import type { Compare, CompareResult, DeleteRangeRequest, PutRequest, RangeRequest, RequestOp, TxnRequest } from './types.js';

/**
 * Builders filling proto3's defaults (zero, empty, false), so callers name only what they set.
 * `key` is required: an empty key is always a mistake (validate.ts rejects it).
 */

export function rangeRequest(key: Uint8Array, fields: Partial<Omit<RangeRequest, 'key'>> = {}): RangeRequest {
  return {
    key,
    rangeEnd: EMPTY_BYTES,
    limit: 0,
    revision: 0,
    sortOrder: 'none',
    sortTarget: 'key',
    keysOnly: false,
    countOnly: false,
    minModRevision: 0,
    maxModRevision: 0,
    minCreateRevision: 0,
    maxCreateRevision: 0,
    ...fields,
  };
}

export function putRequest(key: Uint8Array, value: Uint8Array, fields: Partial<Omit<PutRequest, 'key' | 'value'>> = {}): PutRequest {
  return { key, value, lease: 0n, prevKv: false, ignoreValue: false, ignoreLease: false, ...fields };
}

export function deleteRangeRequest(key: Uint8Array, fields: Partial<Omit<DeleteRangeRequest, 'key'>> = {}): DeleteRangeRequest {
  return { key, rangeEnd: EMPTY_BYTES, prevKv: false, ...fields };
}

export function txnRequest(fields: Partial<TxnRequest> = {}): TxnRequest {
  return { compare: [], success: [], failure: [], ...fields };
}

/** Compare builders; `rangeEnd` defaults to empty: the one key. */
export function compareVersion(key: Uint8Array, result: CompareResult, version: number, rangeEnd = EMPTY_BYTES): Compare {
  return { key, rangeEnd, result, target: 'version', version };
}

export function compareCreate(key: Uint8Array, result: CompareResult, createRevision: number, rangeEnd = EMPTY_BYTES): Compare {
  return { key, rangeEnd, result, target: 'create', createRevision };
}

export function compareMod(key: Uint8Array, result: CompareResult, modRevision: number, rangeEnd = EMPTY_BYTES): Compare {
  return { key, rangeEnd, result, target: 'mod', modRevision };
}

export function compareValue(key: Uint8Array, result: CompareResult, value: Uint8Array, rangeEnd = EMPTY_BYTES): Compare {
  return { key, rangeEnd, result, target: 'value', value };
}

export function compareLease(key: Uint8Array, result: CompareResult, lease: bigint, rangeEnd = EMPTY_BYTES): Compare {
  return { key, rangeEnd, result, target: 'lease', lease };
}

export const op = {
  range: (request: RangeRequest): RequestOp => ({ type: 'range', request }),
  put: (request: PutRequest): RequestOp => ({ type: 'put', request }),
  deleteRange: (request: DeleteRangeRequest): RequestOp => ({ type: 'deleteRange', request }),
  txn: (request: TxnRequest): RequestOp => ({ type: 'txn', request }),
};
