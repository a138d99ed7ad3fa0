import type { Entry__Output } from '../gen/roster/roster/raft/v1/Entry.js';
import type { RaftMessage__Output } from '../gen/roster/roster/raft/v1/RaftMessage.js';

/**
 * The peer stream's RaftMessage (proto/roster/raft.proto) encoded and decoded by hand, in the
 * protobuf wire format: either side reads what protobufjs writes and protobufjs reads what this
 * writes (the same fields and values), so a server running either codec talks to the other. Why by hand: proto-loader's path turns each message into a protobufjs
 * object and back (fromObject, then encode; decode, then toObject with defaults), and at one
 * write in flight those conversions were a tenth of a leader's CPU per put. This one writes the
 * fields straight into one buffer sized in advance, and reads them straight into the shape
 * proto-loader gives (every field present, enums by name, 64-bit numbers as Number).
 *
 * Decoding bounds only the framing (a length past the end, a varint over 10 bytes, a wire type
 * protobuf does not have): it throws, and gRPC refuses the message. The values themselves are
 * bounded by raft-wire.ts's fromWire, as they were with protobufjs (a 64-bit number beyond 2^53
 * decodes to an inexact Number there too, which fromWire refuses).
 */

/** An outgoing message: the fields proto-loader would take, numbers as Number only. */
export interface OutgoingRaftMessage {
  readonly type: RaftMessageType;
  readonly from?: string;
  readonly to?: string;
  readonly term?: number;
  readonly index?: number;
  readonly logTerm?: number;
  readonly entries?: readonly OutgoingEntry[];
  readonly commit?: number;
  readonly reject?: boolean;
  readonly hintIndex?: number;
  readonly hintTerm?: number;
  readonly readSeq?: number;
  readonly transfer?: boolean;
  readonly requestId?: number;
  readonly leaderHint?: string;
}

export interface OutgoingEntry {
  readonly term?: number;
  readonly index?: number;
  readonly kind?: 'NORMAL' | 'CONF';
  readonly data?: Uint8Array;
}

/** RaftMessage.Type, by name, in field-number order. */
const TYPES = ['APP', 'APP_RESP', 'HEARTBEAT', 'HEARTBEAT_RESP', 'VOTE', 'PRE_VOTE', 'VOTE_RESP', 'PRE_VOTE_RESP', 'TIMEOUT_NOW', 'READ_INDEX', 'READ_INDEX_RESP', 'PROPOSE', 'PROPOSE_REJECT', 'PROPOSE_ACCEPT'] as const;
export type RaftMessageType = (typeof TYPES)[number];
const TYPE_NUMBER: Readonly<Record<RaftMessageType, number>> = Object.fromEntries(TYPES.map((t, i) => [t, i])) as Record<RaftMessageType, number>;
const KINDS = ['NORMAL', 'CONF'] as const;

// Field numbers (raft.proto).
const F = { type: 1, from: 2, to: 3, term: 4, index: 5, logTerm: 6, entries: 7, commit: 8, reject: 9, hintIndex: 10, hintTerm: 11, readSeq: 12, transfer: 13, requestId: 14, leaderHint: 15 } as const;
const E = { term: 1, index: 2, kind: 3, data: 4 } as const;
const VARINT = 0;
const FIXED64 = 1;
const LENGTH_DELIMITED = 2;
const FIXED32 = 5;

const EMPTY = Buffer.alloc(0);
const TWO_32 = 2 ** 32;

// ---- encoding ----

function varintSize(v: number): number {
  let n = 1;
  while (v >= 128) {
    v = Math.floor(v / 128);
    n++;
  }
  return n;
}

/** A uint64 field's value: only exact non-negative integers are sent (nothing in Roster sends another). */
function checked(v: number, field: string): number {
  if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`raft message ${field} ${String(v)} is not a non-negative safe integer`);
  return v;
}

/** Bytes of one field with a varint value, tag included (0 when it is the default and left out). */
function varintField(field: number, v: number): number {
  return v === 0 ? 0 : varintSize(field << 3) + varintSize(v);
}

function bytesField(field: number, length: number): number {
  return varintSize((field << 3) | LENGTH_DELIMITED) + varintSize(length) + length;
}

interface Sized {
  readonly size: number;
  readonly from: number;
  readonly to: number;
  readonly leaderHint: number;
  readonly entries: readonly number[];
}

function entrySize(e: OutgoingEntry): number {
  const data = e.data?.length ?? 0;
  return varintField(E.term, checked(e.term ?? 0, 'entry term')) + varintField(E.index, checked(e.index ?? 0, 'entry index')) + varintField(E.kind, e.kind === 'CONF' ? 1 : 0) + (data === 0 ? 0 : bytesField(E.data, data));
}

function sizeOf(m: OutgoingRaftMessage): Sized {
  const from = Buffer.byteLength(m.from ?? '');
  const to = Buffer.byteLength(m.to ?? '');
  const leaderHint = Buffer.byteLength(m.leaderHint ?? '');
  let size = varintField(F.type, TYPE_NUMBER[m.type]);
  if (from > 0) size += bytesField(F.from, from);
  if (to > 0) size += bytesField(F.to, to);
  size += varintField(F.term, checked(m.term ?? 0, 'term'));
  size += varintField(F.index, checked(m.index ?? 0, 'index'));
  size += varintField(F.logTerm, checked(m.logTerm ?? 0, 'logTerm'));
  const entries: number[] = [];
  for (const e of m.entries ?? []) {
    const s = entrySize(e);
    entries.push(s);
    size += bytesField(F.entries, s);
  }
  size += varintField(F.commit, checked(m.commit ?? 0, 'commit'));
  size += m.reject === true ? 2 : 0;
  size += varintField(F.hintIndex, checked(m.hintIndex ?? 0, 'hintIndex'));
  size += varintField(F.hintTerm, checked(m.hintTerm ?? 0, 'hintTerm'));
  size += varintField(F.readSeq, checked(m.readSeq ?? 0, 'readSeq'));
  size += m.transfer === true ? 2 : 0;
  size += varintField(F.requestId, checked(m.requestId ?? 0, 'requestId'));
  if (leaderHint > 0) size += bytesField(F.leaderHint, leaderHint);
  return { size, from, to, leaderHint, entries };
}

class Writer {
  pos = 0;
  constructor(readonly buf: Buffer) {}

  varint(v: number): void {
    const buf = this.buf;
    while (v >= 128) {
      buf[this.pos++] = (v % 128) | 128;
      v = Math.floor(v / 128);
    }
    buf[this.pos++] = v;
  }

  /** A varint field, left out when it is 0 (proto3's default). */
  uint(field: number, v: number | undefined): void {
    if (v === undefined || v === 0) return;
    this.varint(field << 3);
    this.varint(v);
  }

  bool(field: number, v: boolean | undefined): void {
    if (v !== true) return;
    this.buf[this.pos++] = field << 3;
    this.buf[this.pos++] = 1;
  }

  string(field: number, v: string | undefined, length: number): void {
    if (length === 0) return;
    this.varint((field << 3) | LENGTH_DELIMITED);
    this.varint(length);
    this.pos += this.buf.write(v!, this.pos, length, 'utf8');
  }

  bytes(field: number, v: Uint8Array | undefined): void {
    if (v === undefined || v.length === 0) return;
    this.varint((field << 3) | LENGTH_DELIMITED);
    this.varint(v.length);
    this.buf.set(v, this.pos);
    this.pos += v.length;
  }
}

/** The message's protobuf bytes (fields in number order, defaults left out, as protobufjs writes them). */
export function encodeRaftMessage(m: OutgoingRaftMessage): Buffer {
  const s = sizeOf(m);
  const w = new Writer(Buffer.allocUnsafe(s.size));
  w.uint(F.type, TYPE_NUMBER[m.type]);
  w.string(F.from, m.from, s.from);
  w.string(F.to, m.to, s.to);
  w.uint(F.term, m.term);
  w.uint(F.index, m.index);
  w.uint(F.logTerm, m.logTerm);
  const entries = m.entries ?? [];
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    w.varint((F.entries << 3) | LENGTH_DELIMITED);
    w.varint(s.entries[i]!);
    w.uint(E.term, e.term);
    w.uint(E.index, e.index);
    w.uint(E.kind, e.kind === 'CONF' ? 1 : 0);
    w.bytes(E.data, e.data);
  }
  w.uint(F.commit, m.commit);
  w.bool(F.reject, m.reject);
  w.uint(F.hintIndex, m.hintIndex);
  w.uint(F.hintTerm, m.hintTerm);
  w.uint(F.readSeq, m.readSeq);
  w.bool(F.transfer, m.transfer);
  w.uint(F.requestId, m.requestId);
  w.string(F.leaderHint, m.leaderHint, s.leaderHint);
  if (w.pos !== s.size) throw new Error(`raft message encoded to ${w.pos} bytes, sized ${s.size}`);
  return w.buf;
}

// ---- decoding ----

class Reader {
  pos: number;
  constructor(
    readonly buf: Buffer,
    start: number,
    readonly end: number,
  ) {
    this.pos = start;
  }

  /** A varint as a Number (exact up to 2^53; beyond, the nearest double, as protobufjs's Number longs). */
  varint(): number {
    const buf = this.buf;
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new Error('raft message: truncated varint');
      const b = buf[this.pos++]!;
      if (i < 4) lo |= (b & 127) << (7 * i);
      else if (i === 4) {
        lo |= (b & 15) << 28;
        hi |= (b & 127) >> 4;
      } else hi |= (b & 127) << (7 * i - 32);
      if (b < 128) return (lo >>> 0) + (hi >>> 0) * TWO_32;
    }
    throw new Error('raft message: varint longer than 10 bytes');
  }

  /** The [start, end) of a length-delimited field's bytes, checked against the enclosing bounds. */
  span(): [number, number] {
    const length = this.varint();
    const start = this.pos;
    if (length > this.end - start) throw new Error('raft message: a field runs past the end');
    this.pos = start + length;
    return [start, this.pos];
  }

  skipField(wireType: number): void {
    if (wireType === VARINT) this.varint();
    else if (wireType === LENGTH_DELIMITED) this.span();
    else if (wireType === FIXED64 || wireType === FIXED32) {
      const n = wireType === FIXED64 ? 8 : 4;
      if (this.end - this.pos < n) throw new Error('raft message: truncated fixed field');
      this.pos += n;
    } else throw new Error(`raft message: wire type ${wireType} is not protobuf's`);
  }
}

function expect(wireType: number, want: number, field: number): void {
  if (wireType !== want) throw new Error(`raft message: field ${field} has wire type ${wireType}, not ${want}`);
}

function decodeEntry(buf: Buffer, start: number, end: number): Entry__Output {
  const r = new Reader(buf, start, end);
  const e: Entry__Output = { term: 0, index: 0, kind: 'NORMAL', data: EMPTY };
  while (r.pos < end) {
    const tag = r.varint();
    const field = Math.floor(tag / 8);
    const wireType = tag & 7;
    if (field === E.term) {
      expect(wireType, VARINT, field);
      e.term = r.varint();
    } else if (field === E.index) {
      expect(wireType, VARINT, field);
      e.index = r.varint();
    } else if (field === E.kind) {
      expect(wireType, VARINT, field);
      const k = r.varint();
      e.kind = (KINDS[k] ?? k) as Entry__Output['kind'];
    } else if (field === E.data) {
      expect(wireType, LENGTH_DELIMITED, field);
      const [s, t] = r.span();
      // A view, not a copy, as protobufjs gives (the message's buffer is its own).
      e.data = buf.subarray(s, t);
    } else r.skipField(wireType);
  }
  return e;
}

/** A received message in proto-loader's output shape; malformed framing throws. */
export function decodeRaftMessage(buf: Buffer): RaftMessage__Output {
  const m: RaftMessage__Output = { type: 'APP', from: '', to: '', term: 0, index: 0, logTerm: 0, entries: [], commit: 0, reject: false, hintIndex: 0, hintTerm: 0, readSeq: 0, transfer: false, requestId: 0, leaderHint: '' };
  const r = new Reader(buf, 0, buf.length);
  while (r.pos < buf.length) {
    const tag = r.varint();
    const field = Math.floor(tag / 8);
    const wireType = tag & 7;
    switch (field) {
      case F.type: {
        expect(wireType, VARINT, field);
        const t = r.varint();
        // An unknown type stays a number, as protobufjs leaves it: fromWire drops it by name.
        m.type = (TYPES[t] ?? t) as RaftMessage__Output['type'];
        break;
      }
      case F.from:
      case F.to:
      case F.leaderHint: {
        expect(wireType, LENGTH_DELIMITED, field);
        const [s, t] = r.span();
        const text = buf.toString('utf8', s, t);
        if (field === F.from) m.from = text;
        else if (field === F.to) m.to = text;
        else m.leaderHint = text;
        break;
      }
      case F.entries: {
        expect(wireType, LENGTH_DELIMITED, field);
        const [s, t] = r.span();
        m.entries.push(decodeEntry(buf, s, t));
        break;
      }
      case F.reject:
      case F.transfer: {
        expect(wireType, VARINT, field);
        const v = r.varint() !== 0;
        if (field === F.reject) m.reject = v;
        else m.transfer = v;
        break;
      }
      case F.term:
      case F.index:
      case F.logTerm:
      case F.commit:
      case F.hintIndex:
      case F.hintTerm:
      case F.readSeq:
      case F.requestId: {
        expect(wireType, VARINT, field);
        const v = r.varint();
        if (field === F.term) m.term = v;
        else if (field === F.index) m.index = v;
        else if (field === F.logTerm) m.logTerm = v;
        else if (field === F.commit) m.commit = v;
        else if (field === F.hintIndex) m.hintIndex = v;
        else if (field === F.hintTerm) m.hintTerm = v;
        else if (field === F.readSeq) m.readSeq = v;
        else m.requestId = v;
        break;
      }
      default:
        r.skipField(wireType);
    }
  }
  return m;
}
