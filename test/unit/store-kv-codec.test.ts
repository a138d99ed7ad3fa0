import { describe, expect, it } from 'vitest';
import type { KvCommand } from '../../src/store/kv/command.js';
import { decodeKvCommand, encodeKvCommand } from '../../src/store/kv/command-codec.js';
import {
  compareCreate,
  compareLease,
  compareMod,
  compareValue,
  compareVersion,
  deleteRangeRequest,
  op,
  putRequest,
  rangeRequest,
  txnRequest,
} from '../../src/store/kv/requests.js';
import type { TxnRequest } from '../../src/store/kv/types.js';
import { isRosterError } from '../../src/util/errors.js';
import { seededRng } from '../../src/util/rng.js';
import { b, raw } from './store-kv-harness.js';

const everyRange = rangeRequest(raw(0, 0xff), {
  rangeEnd: raw(0),
  limit: 10,
  revision: -3,
  sortOrder: 'descend',
  sortTarget: 'value',
  keysOnly: true,
  countOnly: true,
  minModRevision: 1,
  maxModRevision: 2 ** 40,
  minCreateRevision: 3,
  maxCreateRevision: 4,
});

const nestedTxn: TxnRequest = txnRequest({
  compare: [
    compareVersion(b('a'), 'equal', 0),
    compareCreate(b('a'), 'greater', 5, b('b')),
    compareMod(b('a'), 'less', -1),
    compareValue(raw(0), 'notEqual', raw(0, 1, 0xff)),
    compareLease(b('l'), 'equal', -(2n ** 63n)),
  ],
  success: [
    op.range(everyRange),
    op.put(putRequest(b('k'), b('v'), { lease: 2n ** 63n - 1n, prevKv: true })),
    op.deleteRange(deleteRangeRequest(b('d'), { rangeEnd: b('e'), prevKv: true })),
    op.txn(txnRequest({ success: [op.put(putRequest(b('deep'), raw()))], failure: [op.range(rangeRequest(b('x')))] })),
  ],
  failure: [op.put(putRequest(b('f'), b(''), { ignoreValue: true, ignoreLease: true }))],
});

const commands: { name: string; cmd: KvCommand }[] = [
  { name: 'a plain put', cmd: { type: 'put', request: putRequest(b('foo'), b('bar')) } },
  { name: 'a put with every flag', cmd: { type: 'put', request: putRequest(raw(0, 0xff), raw(), { lease: 123456789n, prevKv: true, ignoreValue: true, ignoreLease: true }) } },
  { name: 'a put with a negative lease', cmd: { type: 'put', request: putRequest(b('k'), b('v'), { lease: -5n }) } },
  { name: 'a put of a large value', cmd: { type: 'put', request: putRequest(b('big'), new Uint8Array(70_000).fill(7)) } },
  { name: 'a delete', cmd: { type: 'deleteRange', request: deleteRangeRequest(b('a')) } },
  { name: 'a delete range with prevKv', cmd: { type: 'deleteRange', request: deleteRangeRequest(raw(0), { rangeEnd: raw(0), prevKv: true }) } },
  { name: 'an empty txn', cmd: { type: 'txn', request: txnRequest() } },
  { name: 'a nested txn with every op and compare', cmd: { type: 'txn', request: nestedTxn } },
  { name: 'a compact', cmd: { type: 'compact', request: { revision: 42 } } },
  { name: 'a compact at a huge revision', cmd: { type: 'compact', request: { revision: Number.MAX_SAFE_INTEGER } } },
];

const bad = (fn: () => unknown): void => {
  try {
    fn();
  } catch (err) {
    if (isRosterError(err, 'BAD_COMMAND')) return;
    throw new Error(`expected BAD_COMMAND, got ${String(err)}`, { cause: err });
  }
  throw new Error('expected BAD_COMMAND, decoded fine');
};

describe('encodeKvCommand / decodeKvCommand', () => {
  it.each(commands)('round-trips $name', ({ cmd }) => {
    const bytes = encodeKvCommand(cmd);
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(decodeKvCommand(bytes)).toEqual(cmd);
  });

  it('is compact: a small put is a few bytes more than its key and value', () => {
    expect(encodeKvCommand({ type: 'put', request: putRequest(b('foo'), b('bar')) }).length).toBeLessThanOrEqual(12);
  });

  it.each(commands)('rejects every truncation of $name with BAD_COMMAND', ({ cmd }) => {
    const bytes = encodeKvCommand(cmd);
    for (let n = 0; n < Math.min(bytes.length, 400); n++) bad(() => decodeKvCommand(bytes.subarray(0, n)));
  });

  it.each([
    { name: 'an unknown format', bytes: [9, 1], message: /unknown format 9/ },
    { name: 'an unknown command type', bytes: [1, 9], message: /unknown command type 9/ },
    { name: 'command type zero', bytes: [1, 0], message: /unknown command type 0/ },
    { name: 'unknown put flags', bytes: [1, 1, 1, 0x61, 0, 0, 8], message: /unknown flags 8/ },
    { name: 'an unknown op type', bytes: [1, 3, 0, 1, 7], message: /unknown op type 7/ },
    { name: 'an unknown sort order', bytes: [1, 3, 0, 1, 1, 1, 0x61, 0, 0, 0, 9, 1, 0, 0, 0, 0, 0, 0, 0], message: /unknown sort order 9/ },
    { name: 'an unknown compare target', bytes: [1, 3, 1, 1, 9, 1, 0x61, 0, 0], message: /unknown compare target 9/ },
    { name: 'a list count larger than the input', bytes: [1, 3, 0xff, 0xff, 0xff, 0x7f], message: /list of \d+ items/ },
    { name: 'a trailing byte', bytes: [...encodeKvCommand({ type: 'compact', request: { revision: 1 } }), 0], message: /1 trailing bytes/ },
  ])('rejects $name with BAD_COMMAND', ({ bytes, message }) => {
    bad(() => decodeKvCommand(Uint8Array.from(bytes)));
    expect(() => decodeKvCommand(Uint8Array.from(bytes))).toThrow(message);
  });

  it('rejects txns nested deeper than any valid request', () => {
    let t = txnRequest();
    for (let i = 0; i < 140; i++) t = txnRequest({ success: [op.txn(t)] });
    bad(() => decodeKvCommand(encodeKvCommand({ type: 'txn', request: t })));
  });

  it('never throws anything but BAD_COMMAND on random garbage or mutated commands', () => {
    const rng = seededRng(2024);
    const valid = commands.map(({ cmd }) => encodeKvCommand(cmd));
    for (let i = 0; i < 3000; i++) {
      let bytes: Uint8Array;
      if (rng.chance(0.5)) {
        bytes = Uint8Array.from({ length: rng.int(40) }, () => rng.int(256));
        if (bytes.length > 0 && rng.chance(0.5)) bytes[0] = 1;
      } else {
        bytes = rng.pick(valid).slice();
        for (let m = 0; m <= rng.int(3); m++) bytes[rng.int(bytes.length)] = rng.int(256);
      }
      try {
        decodeKvCommand(bytes);
      } catch (err) {
        if (!isRosterError(err, 'BAD_COMMAND')) throw err;
      }
    }
  });
});
