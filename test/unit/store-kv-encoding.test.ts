import { describe, expect, it } from 'vitest';
import { BinaryReader, BinaryWriter } from '../../src/store/kv/binary.js';
import { byteString, compareBytes } from '../../src/store/kv/bytes.js';
import { prefixEnd } from '../../src/util/prefix-end.js';
import { afterHistoryOf, decodeEventKey, decodeHistoryKey, escapeKey, eventKey, historyKey, historyPrefix } from '../../src/store/kv/layout.js';
import { decodeEventRecord, decodeMeta, decodeVersionRecord, encodeEventRecord, encodeKeyValueRecord, encodeMeta, TOMBSTONE_RECORD } from '../../src/store/kv/records.js';
import { isRosterError } from '../../src/util/errors.js';
import { seededRng } from '../../src/util/rng.js';
import { raw } from './store-kv-harness.js';

const sign = (n: number): number => (n < 0 ? -1 : n > 0 ? 1 : 0);

describe('bytes', () => {
  it.each([
    { a: [], b: [], want: 0 },
    { a: [1], b: [], want: 1 },
    { a: [1, 2], b: [1, 3], want: -1 },
    { a: [1, 2], b: [1, 2, 0], want: -1 },
    { a: [0xff], b: [0x00, 0x00], want: 1 },
  ])('compareBytes($a, $b) = $want', ({ a, b, want }) => {
    expect(sign(compareBytes(raw(...a), raw(...b)))).toBe(want);
  });

  it.each([
    { prefix: [0x61], want: [0x62] },
    { prefix: [0x61, 0xff], want: [0x62] },
    { prefix: [0x61, 0x00], want: [0x61, 0x01] },
    { prefix: [0xff, 0xff], want: undefined },
    { prefix: [], want: undefined },
  ])('prefixEnd($prefix) = $want', ({ prefix, want }) => {
    const got = prefixEnd(raw(...prefix));
    expect(got === undefined ? undefined : [...got]).toEqual(want);
  });

  it('prefixEnd never writes into a Buffer it was given', () => {
    const backing = Buffer.from([0x61, 0x62, 0x63]);
    const key = backing.subarray(0, 2);
    expect([...prefixEnd(key)!]).toEqual([0x61, 0x63]);
    expect([...backing]).toEqual([0x61, 0x62, 0x63]);
  });

  it('byteString orders like the bytes, including long keys', () => {
    const rng = seededRng(7);
    for (let i = 0; i < 500; i++) {
      const a = Uint8Array.from({ length: rng.int(6) }, () => rng.pick([0, 1, 0x7f, 0x80, 0xfe, 0xff]));
      const c = Uint8Array.from({ length: rng.int(6) }, () => rng.pick([0, 1, 0x7f, 0x80, 0xfe, 0xff]));
      const s1 = byteString(a);
      const s2 = byteString(c);
      expect(sign(s1 < s2 ? -1 : s1 > s2 ? 1 : 0)).toBe(sign(compareBytes(a, c)));
    }
    const long = new Uint8Array(100_000).fill(0xab);
    expect(byteString(long).length).toBe(100_000);
  });

  it('byteString gives one code unit per byte, equal to it, for every byte value and for a view into a larger buffer', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect([...byteString(all)].map((ch) => ch.charCodeAt(0))).toEqual([...all]);
    const view = Buffer.from([9, 9, 0xff, 0x00, 0x80, 9]).subarray(2, 5);
    expect(byteString(view)).toBe('\u00ff\u0000\u0080');
    expect(byteString(new Uint8Array(0))).toBe('');
  });
});

describe('BinaryWriter / BinaryReader', () => {
  const read = (bytes: Uint8Array): BinaryReader => new BinaryReader(bytes, 'BAD', 'test');

  it.each([0, 1, 127, 128, 300, 2 ** 31, 2 ** 32 + 5, Number.MAX_SAFE_INTEGER])('uvarint round-trips %d', (n) => {
    const r = read(new BinaryWriter().uvarint(n).finish());
    expect(r.uvarint()).toBe(n);
    r.end();
  });

  it.each([0, 1, -1, 63, -64, 64, -65, 2 ** 40, -(2 ** 40), Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER])('svarint round-trips %d', (n) => {
    const r = read(new BinaryWriter().svarint(n).finish());
    expect(r.svarint()).toBe(n);
    r.end();
  });

  it.each([0n, 1n, -1n, 7587869875043n, -(2n ** 63n), 2n ** 63n - 1n])('i64 round-trips %s', (n) => {
    const r = read(new BinaryWriter().i64(n).finish());
    expect(r.i64()).toBe(n);
    r.end();
  });

  it('bytes round-trip and come back as copies', () => {
    const input = new BinaryWriter().bytes(raw(1, 2, 3)).bytes(raw()).finish();
    const r = read(input);
    const first = r.bytes();
    expect([...first]).toEqual([1, 2, 3]);
    expect([...r.bytes()]).toEqual([]);
    input[1] = 99;
    expect(first[0]).toBe(1);
  });

  it.each([
    { name: 'truncated u8', bytes: [], op: (r: BinaryReader) => r.u8() },
    { name: 'truncated varint', bytes: [0x80], op: (r: BinaryReader) => r.uvarint() },
    { name: 'overlong varint', bytes: [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01], op: (r: BinaryReader) => r.uvarint() },
    { name: 'varint past 2^53', bytes: [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f], op: (r: BinaryReader) => r.uvarint() },
    { name: 'bytes longer than the input', bytes: [5, 1], op: (r: BinaryReader) => r.bytes() },
    { name: 'bad boolean', bytes: [2], op: (r: BinaryReader) => r.bool() },
    { name: 'negative zero', bytes: [1], op: (r: BinaryReader) => r.svarint() },
    { name: 'i64 too long', bytes: Array(11).fill(0xff), op: (r: BinaryReader) => r.i64() },
    { name: 'trailing bytes', bytes: [1], op: (r: BinaryReader) => r.end() },
  ])('rejects $name with the reader error code', ({ bytes, op }) => {
    try {
      op(read(Uint8Array.from(bytes)));
      expect.unreachable();
    } catch (err) {
      expect(isRosterError(err, 'BAD')).toBe(true);
    }
  });
});

describe('layout', () => {
  it('escapes 0x00 and terminates user keys with 0x00 0x00', () => {
    expect([...escapeKey(raw(0x61, 0x00, 0xff))]).toEqual([0x61, 0x00, 0xff, 0xff, 0x00, 0x00]);
    expect([...escapeKey(raw())]).toEqual([0x00, 0x00]);
  });

  it('history keys sort by (user key, revision, sub) for arbitrary bytes', () => {
    const rng = seededRng(42);
    const alphabet = [0x00, 0x01, 0x61, 0xfe, 0xff];
    for (let i = 0; i < 2000; i++) {
      const k1 = Uint8Array.from({ length: rng.int(4) }, () => rng.pick(alphabet));
      const k2 = Uint8Array.from({ length: rng.int(4) }, () => rng.pick(alphabet));
      const r1 = rng.pick([1, 255, 256, 2 ** 32, 2 ** 40]);
      const r2 = rng.pick([1, 255, 256, 2 ** 32, 2 ** 40]);
      const s1 = rng.int(3);
      const s2 = rng.int(3);
      const want = sign(compareBytes(k1, k2)) || sign(r1 - r2) || sign(s1 - s2);
      expect(sign(compareBytes(historyKey(k1, r1, s1), historyKey(k2, r2, s2)))).toBe(want);
    }
  });

  it('afterHistoryOf bounds exactly the entries of one key', () => {
    const prefix = historyPrefix(raw(0x61));
    const after = afterHistoryOf(prefix);
    expect(compareBytes(historyKey(raw(0x61), Number.MAX_SAFE_INTEGER, 0xffffffff), after)).toBeLessThan(0);
    for (const next of [raw(0x61, 0x00), raw(0x61, 0x00, 0x00), raw(0x61, 0x01), raw(0x62)]) {
      expect(compareBytes(historyKey(next, 1, 0), after)).toBeGreaterThan(0);
    }
  });

  it('decodes history and event keys', () => {
    const key = raw(0x00, 0x61, 0x00, 0xff);
    expect(decodeHistoryKey(historyKey(key, 2 ** 40 + 3, 7))).toEqual({ userKey: key, prefixLength: escapeKey(key).length + 1, rev: { main: 2 ** 40 + 3, sub: 7 } });
    expect(decodeEventKey(eventKey(123456789012, 4))).toEqual({ main: 123456789012, sub: 4 });
    expect(compareBytes(eventKey(255, 9), eventKey(256, 0))).toBeLessThan(0);
  });

  it.each([
    { name: 'no terminator', key: [0x68, 0x61] },
    { name: 'bad escape', key: [0x68, 0x00, 0x01, 0x00, 0x00] },
    { name: 'short revision', key: [0x68, 0x61, 0x00, 0x00, 1, 2] },
    { name: 'wrong prefix', key: [0x6b, 0x61, 0x00, 0x00] },
  ])('rejects a history key with $name as CORRUPT', ({ key }) => {
    expect(() => decodeHistoryKey(Uint8Array.from(key))).toThrow(expect.objectContaining({ code: 'CORRUPT' }));
  });
});

describe('records', () => {
  it('round-trips a KeyValue record without repeating the key', () => {
    const kv = { key: raw(1), createRevision: 5, modRevision: 9, version: 3, value: raw(0, 1, 2), lease: -42n };
    const bytes = encodeKeyValueRecord(kv);
    expect(decodeVersionRecord(raw(1), bytes)).toEqual({ kind: 'put', kv });
    expect(decodeVersionRecord(raw(1), TOMBSTONE_RECORD)).toEqual({ kind: 'tombstone' });
  });

  it('round-trips event and meta records', () => {
    const e = { type: 'delete' as const, key: raw(0, 0xff), prevModRevision: 77 };
    expect(decodeEventRecord(encodeEventRecord(e))).toEqual(e);
    const m = { revision: 10, compactRevision: 4, appliedIndex: 2 ** 40 };
    expect(decodeMeta(encodeMeta(m))).toEqual(m);
  });

  it.each([
    { name: 'an unknown record kind', fn: () => decodeVersionRecord(raw(1), raw(9)) },
    { name: 'an empty record', fn: () => decodeVersionRecord(raw(1), raw()) },
    { name: 'a future meta layout', fn: () => decodeMeta(raw(3, 1, 0, 0)) },
    { name: 'an unknown event type', fn: () => decodeEventRecord(raw(3, 0)) },
  ])('rejects $name as CORRUPT', ({ fn }) => {
    expect(fn).toThrow(expect.objectContaining({ code: 'CORRUPT' }));
  });
});
