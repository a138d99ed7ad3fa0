import { describe, expect, it } from 'vitest';
import type { RaftMessage__Output } from '../../src/gen/roster/roster/raft/v1/RaftMessage.js';
import { raftProto } from '../../src/proto/raft-proto.js';
import { decodeRaftMessage, encodeRaftMessage, type OutgoingRaftMessage, type RaftMessageType } from '../../src/transport/raft-message-codec.js';
import { fromWire } from '../../src/transport/raft-wire.js';
import { RaftWireDrop } from '../../src/transport/raft-wire-drop.js';
import { seededRng, type Rng } from '../../src/util/rng.js';

/** proto-loader's own codec for the same message (protobufjs): what servers used before, and what a forger sends. */
const loaded = raftProto().roster.raft.v1.RaftPeer.service.Stream;
const protobufEncode = (m: unknown): Buffer => loaded.requestSerialize(m as never);
const protobufDecode = (b: Buffer): RaftMessage__Output => loaded.requestDeserialize(b);

const TYPES: RaftMessageType[] = ['APP', 'APP_RESP', 'HEARTBEAT', 'HEARTBEAT_RESP', 'VOTE', 'PRE_VOTE', 'VOTE_RESP', 'PRE_VOTE_RESP', 'TIMEOUT_NOW', 'READ_INDEX', 'READ_INDEX_RESP', 'PROPOSE', 'PROPOSE_REJECT', 'PROPOSE_ACCEPT'];

/** A number as a real peer sends them: often 0 (left out), small, or large up to 2^48. */
function num(r: Rng): number {
  const k = r.int(4);
  return k === 0 ? 0 : k === 1 ? r.int(200) : k === 2 ? r.int(2 ** 31) : r.int(2 ** 24) * 2 ** 24 + r.int(2 ** 24);
}

function text(r: Rng): string {
  return r.pick(['', 's1', 'n-2', 'server-ü-東京', 'a'.repeat(200)]);
}

function randomMessage(r: Rng): OutgoingRaftMessage {
  const entries = Array.from({ length: r.pick([0, 0, 1, 3, 40]) }, () => ({ term: num(r), index: num(r), kind: r.chance(0.2) ? ('CONF' as const) : ('NORMAL' as const), data: Buffer.from(Array.from({ length: r.pick([0, 1, 127, 128, 3000]) }, () => r.int(256))) }));
  return { type: r.pick(TYPES), from: text(r), to: text(r), term: num(r), index: num(r), logTerm: num(r), entries, commit: num(r), reject: r.chance(0.5), hintIndex: num(r), hintTerm: num(r), readSeq: num(r), transfer: r.chance(0.5), requestId: num(r), leaderHint: text(r) };
}

/** A decoded message with its entries' data as hex (deep equality over Buffers is slow). */
function comparable(m: RaftMessage__Output): unknown {
  return { ...m, entries: m.entries.map((e) => ({ ...e, data: e.data.toString('hex') })) };
}

describe('the peer stream codec (RaftMessage by hand, protobuf wire format)', () => {
  it('reads what protobufjs writes and protobufjs reads what it writes, field for field, over 2,000 seeded messages', () => {
    const r = seededRng(20261207);
    for (let i = 0; i < 2000; i++) {
      const m = randomMessage(r);
      const ours = encodeRaftMessage(m);
      const theirs = protobufEncode(m);
      const expected = protobufDecode(theirs);
      const want = comparable(expected);
      expect(comparable(protobufDecode(ours))).toEqual(want);
      expect(comparable(decodeRaftMessage(theirs))).toEqual(want);
      expect(comparable(decodeRaftMessage(ours))).toEqual(want);
    }
  });

  it('gives every field its default when it is left out, as proto-loader does', () => {
    const empty = decodeRaftMessage(Buffer.alloc(0));
    expect(empty).toEqual(protobufDecode(Buffer.alloc(0)));
    expect(empty).toEqual({ type: 'APP', from: '', to: '', term: 0, index: 0, logTerm: 0, entries: [], commit: 0, reject: false, hintIndex: 0, hintTerm: 0, readSeq: 0, transfer: false, requestId: 0, leaderHint: '' });
    const entry = decodeRaftMessage(encodeRaftMessage({ type: 'PROPOSE', entries: [{}] })).entries[0]!;
    expect(entry).toEqual({ term: 0, index: 0, kind: 'NORMAL', data: Buffer.alloc(0) });
  });

  it('reads numbers past 2^53 as protobufjs does, and fromWire then drops them as out of bounds', () => {
    for (const big of ['9007199254740993', '18446744073709551615', '1152921504606846976']) {
      const bytes = protobufEncode({ type: 'HEARTBEAT', from: 's1', to: 's2', term: big, commit: big });
      const ours = decodeRaftMessage(bytes);
      expect(ours).toEqual(protobufDecode(bytes));
      expect(() => fromWire(ours)).toThrow(RaftWireDrop);
    }
    // An unknown type stays a number (as protobufjs leaves it), and fromWire drops it as malformed.
    const bytes = Buffer.concat([Buffer.from([0x08, 0x63]), encodeRaftMessage({ type: 'APP', from: 's1', to: 's2' })]);
    const unknown = decodeRaftMessage(bytes);
    expect(unknown.type).toBe(protobufDecode(bytes).type);
    expect(() => fromWire(unknown)).toThrow(/unknown raft message type 99/);
  });

  it('skips fields it does not know (a newer peer), of every wire type', () => {
    const known = encodeRaftMessage({ type: 'HEARTBEAT', from: 's1', to: 's2', term: 4, commit: 9 });
    // field 20 varint, field 21 fixed64, field 22 bytes, field 23 fixed32: then the known ones.
    const extra = Buffer.concat([Buffer.from([0xa0, 0x01, 0x96, 0x01]), Buffer.from([0xa9, 0x01, 1, 2, 3, 4, 5, 6, 7, 8]), Buffer.from([0xb2, 0x01, 3, 9, 9, 9]), Buffer.from([0xbd, 0x01, 1, 2, 3, 4]), known]);
    expect(decodeRaftMessage(extra)).toEqual(decodeRaftMessage(known));
    expect(decodeRaftMessage(extra)).toEqual(protobufDecode(extra));
  });

  it('refuses broken framing with an error, never reading past the message', () => {
    const good = encodeRaftMessage({ type: 'APP', from: 's1', to: 's2', term: 3, entries: [{ term: 3, index: 8, data: Buffer.from('payload') }] });
    for (let cut = 1; cut < good.length; cut++) {
      // A cut inside a field either fails or (at a field boundary) reads the fields before it.
      const part = good.subarray(0, cut);
      try {
        const m = decodeRaftMessage(part);
        expect(m.entries.every((e) => e.data.length <= part.length)).toBe(true);
      } catch (err) {
        expect(String(err)).toMatch(/raft message: /);
      }
    }
    expect(() => decodeRaftMessage(Buffer.from([0x12, 0x7f, 0x61]))).toThrow(/runs past the end/); // from: 127 bytes, 1 there
    expect(() => decodeRaftMessage(Buffer.from([0x20, ...Array<number>(10).fill(0xff), 0x01]))).toThrow(/longer than 10 bytes/);
    expect(() => decodeRaftMessage(Buffer.from([0x20, 0xff]))).toThrow(/truncated varint/);
    expect(() => decodeRaftMessage(Buffer.from([0xa3, 0x01]))).toThrow(/wire type 3/); // a group
    expect(() => decodeRaftMessage(Buffer.from([0x22, 0x01, 0x00]))).toThrow(/field 4 has wire type 2/); // term as bytes
    expect(() => decodeRaftMessage(Buffer.from([0xa9, 0x01, 1, 2]))).toThrow(/truncated fixed field/);
    // An entry whose own length is within the message but whose data runs past the entry.
    expect(() => decodeRaftMessage(Buffer.from([0x3a, 0x03, 0x22, 0x05, 0x61, 0x62, 0x63, 0x64, 0x65]))).toThrow(/runs past the end/);
  });

  it('sends only exact non-negative integers (nothing in Roster sends another: a bug fails loudly)', () => {
    expect(() => encodeRaftMessage({ type: 'HEARTBEAT', term: -1 })).toThrow(RangeError);
    expect(() => encodeRaftMessage({ type: 'HEARTBEAT', commit: 1.5 })).toThrow(RangeError);
    expect(() => encodeRaftMessage({ type: 'APP', entries: [{ index: 2 ** 60 }] })).toThrow(RangeError);
  });
});
