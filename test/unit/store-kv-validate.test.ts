import { describe, expect, it } from 'vitest';
import type { KvCommand } from '../../src/store/kv/command.js';
import { KV_ERRORS } from '../../src/store/kv/kv-errors.js';
import { compareVersion, deleteRangeRequest, op, putRequest, rangeRequest, txnRequest } from '../../src/store/kv/requests.js';
import type { RequestOp } from '../../src/store/kv/types.js';
import { MAX_TXN_OPS, validateKvCommand, validateRange } from '../../src/store/kv/validate.js';
import { RosterError } from '../../src/util/errors.js';
import { b, raw } from './store-kv-harness.js';

const put = (key: string): RequestOp => op.put(putRequest(b(key), b('v')));
const del = (key: string, rangeEnd?: Uint8Array): RequestOp => op.deleteRange(deleteRangeRequest(b(key), rangeEnd === undefined ? {} : { rangeEnd }));
const get = (key: string): RequestOp => op.range(rangeRequest(b(key)));
const txn = (success: RequestOp[], failure: RequestOp[] = []): KvCommand => ({ type: 'txn', request: txnRequest({ success, failure }) });
const nested = (success: RequestOp[], failure: RequestOp[] = []): RequestOp => op.txn(txnRequest({ success, failure }));
const many = (n: number, make: (i: number) => RequestOp): RequestOp[] => Array.from({ length: n }, (_, i) => make(i));

function errorOf(cmd: KvCommand): RosterError | undefined {
  try {
    validateKvCommand(cmd);
    return undefined;
  } catch (err) {
    if (err instanceof RosterError) return err;
    throw err;
  }
}

describe('validateKvCommand', () => {
  it.each<{ name: string; cmd: KvCommand; code: keyof typeof KV_ERRORS | undefined }>([
    { name: 'a put', cmd: { type: 'put', request: putRequest(b('k'), b('v')) }, code: undefined },
    { name: 'a put with an empty key', cmd: { type: 'put', request: putRequest(raw(), b('v')) }, code: 'EMPTY_KEY' },
    { name: 'a put ignoring the value but giving one', cmd: { type: 'put', request: putRequest(b('k'), b('v'), { ignoreValue: true }) }, code: 'VALUE_PROVIDED' },
    { name: 'a put ignoring the lease but giving one', cmd: { type: 'put', request: putRequest(b('k'), raw(), { ignoreLease: true, lease: 1n }) }, code: 'LEASE_PROVIDED' },
    { name: 'a delete with an empty key', cmd: { type: 'deleteRange', request: deleteRangeRequest(raw()) }, code: 'EMPTY_KEY' },
    { name: 'a compare with an empty key', cmd: { type: 'txn', request: txnRequest({ compare: [compareVersion(raw(), 'equal', 0)] }) }, code: 'EMPTY_KEY' },
    { name: 'a range op with an empty key', cmd: txn([op.range(rangeRequest(raw()))]), code: 'EMPTY_KEY' },
    { name: 'a nested put with an empty key', cmd: txn([nested([op.put(putRequest(raw(), b('v')))])]), code: 'EMPTY_KEY' },
    { name: `${MAX_TXN_OPS} ops in success`, cmd: txn(many(MAX_TXN_OPS, (i) => put(`k${i}`))), code: undefined },
    { name: `${MAX_TXN_OPS + 1} ops in success`, cmd: txn(many(MAX_TXN_OPS + 1, (i) => put(`k${i}`))), code: 'TOO_MANY_OPS' },
    { name: `${MAX_TXN_OPS + 1} ops in failure`, cmd: txn([], many(MAX_TXN_OPS + 1, (i) => get(`k${i}`))), code: 'TOO_MANY_OPS' },
    { name: `${MAX_TXN_OPS + 1} compares`, cmd: { type: 'txn', request: txnRequest({ compare: many(MAX_TXN_OPS + 1, () => get('x')).map(() => compareVersion(b('x'), 'equal', 0)) }) }, code: 'TOO_MANY_OPS' },
    { name: 'a nested txn over what is left of the budget', cmd: txn([get('a'), nested(many(MAX_TXN_OPS - 1, (i) => get(`k${i}`)))]), code: 'TOO_MANY_OPS' },
    { name: 'a nested txn within the budget', cmd: txn([get('a'), nested(many(MAX_TXN_OPS - 2, (i) => get(`k${i}`)))]), code: undefined },
    { name: 'the same key put twice', cmd: txn([put('a'), put('b'), put('a')]), code: 'DUPLICATE_KEY' },
    { name: 'a key put and deleted', cmd: txn([del('a'), put('a')]), code: 'DUPLICATE_KEY' },
    { name: 'a put inside a deleted range', cmd: txn([del('a', b('c')), put('b')]), code: 'DUPLICATE_KEY' },
    { name: 'a put after a from-key delete', cmd: txn([del('a', raw(0)), put('zzz')]), code: 'DUPLICATE_KEY' },
    { name: 'a put just outside a deleted range', cmd: txn([del('a', b('c')), put('c')]), code: undefined },
    { name: 'overlapping deletes', cmd: txn([del('a', b('c')), del('b', b('d')), del('b')]), code: undefined },
    { name: 'a put in success and in failure', cmd: txn([put('a')], [put('a')]), code: undefined },
    { name: 'a put repeated in a nested txn', cmd: txn([put('a'), nested([put('a')])]), code: 'DUPLICATE_KEY' },
    { name: 'a put deleted in a nested txn', cmd: txn([put('a'), nested([], [del('a')])]), code: 'DUPLICATE_KEY' },
    { name: 'a nested put in a range deleted outside', cmd: txn([del('a', b('z')), nested([put('m')])]), code: 'DUPLICATE_KEY' },
    { name: 'one key in both branches of a nested txn', cmd: txn([nested([put('a')], [put('a')])]), code: undefined },
    { name: 'a key in two nested txns', cmd: txn([nested([put('a')]), nested([], [put('a')])]), code: 'DUPLICATE_KEY' },
    { name: 'reads of a written key', cmd: txn([put('a'), get('a')]), code: undefined },
    { name: 'a compact', cmd: { type: 'compact', request: { revision: 0 } }, code: undefined },
  ])('$name -> $code', ({ cmd, code }) => {
    const err = errorOf(cmd);
    expect(err?.code).toBe(code);
    if (code !== undefined) expect(err?.message).toBe(KV_ERRORS[code].message);
  });

  it("uses etcd's exact messages", () => {
    expect(errorOf({ type: 'put', request: putRequest(raw(), b('v')) })?.message).toBe('etcdserver: key is not provided');
    expect(errorOf(txn(many(129, (i) => put(`k${i}`))))?.message).toBe('etcdserver: too many operations in txn request');
    expect(errorOf(txn([put('a'), put('a')]))?.message).toBe('etcdserver: duplicate key given in txn request');
  });

  it('validateRange rejects an empty key', () => {
    expect(() => validateRange(rangeRequest(raw()))).toThrow('etcdserver: key is not provided');
  });
});
