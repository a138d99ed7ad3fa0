import { RosterError } from '../../util/errors.js';
import { copyBytes } from './bytes.js';

/**
 * A small binary format for commands and stored records: LEB128 varints, length-prefixed bytes.
 * Compact and allocation-light, which matters because every KV write is encoded once when it is
 * proposed, stored in the Raft log, and decoded on every server when it is applied.
 *
 * Numbers are JavaScript numbers limited to safe integers (revisions, versions, counts stay far
 * below 2^53); etcd's int64 lease IDs are bigints.
 */

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
const UINT64_MASK = (1n << 64n) - 1n;

export class BinaryWriter {
  private buf: Uint8Array;
  private len = 0;

  constructor(initialCapacity = 64) {
    this.buf = new Uint8Array(initialCapacity);
  }

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  u8(value: number): this {
    this.reserve(1);
    this.buf[this.len++] = value & 0xff;
    return this;
  }

  bool(value: boolean): this {
    return this.u8(value ? 1 : 0);
  }

  /** Unsigned LEB128 of a safe non-negative integer (at most 8 bytes). */
  uvarint(value: number): this {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new RosterError('INVARIANT', `uvarint: ${value} is not a safe non-negative integer`);
    }
    this.reserve(8);
    let v = value;
    // Division, not bit shifts: shifts truncate to 32 bits.
    while (v >= 0x80) {
      this.buf[this.len++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.len++] = v;
    return this;
  }

  /**
   * A signed safe integer as the LEB128 of (|value| * 2 + sign). Written in two steps so that
   * |value| up to 2^53 never needs a 54-bit intermediate, which a double cannot hold exactly.
   */
  svarint(value: number): this {
    if (!Number.isSafeInteger(value)) throw new RosterError('INVARIANT', `svarint: ${value} is not a safe integer`);
    const sign = value < 0 ? 1 : 0;
    const magnitude = Math.abs(value);
    const low = (magnitude % 64) * 2 + sign;
    const rest = Math.floor(magnitude / 64);
    if (rest === 0) return this.u8(low);
    this.u8(low | 0x80);
    return this.uvarint(rest);
  }

  /** A signed 64-bit integer, zigzag then LEB128 (at most 10 bytes), as protobuf's sint64. */
  i64(value: bigint): this {
    if (value < INT64_MIN || value > INT64_MAX) throw new RosterError('INVARIANT', `i64: ${value} is out of int64 range`);
    let v = ((value << 1n) ^ (value >> 63n)) & UINT64_MASK;
    this.reserve(10);
    while (v >= 0x80n) {
      this.buf[this.len++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.buf[this.len++] = Number(v);
    return this;
  }

  /** Length-prefixed bytes. */
  bytes(value: Uint8Array): this {
    this.uvarint(value.length);
    return this.raw(value);
  }

  /** Bytes as they are, no length: for fixed-size or last fields. */
  raw(value: Uint8Array): this {
    this.reserve(value.length);
    this.buf.set(value, this.len);
    this.len += value.length;
    return this;
  }

  finish(): Uint8Array {
    return copyBytes(this.buf, 0, this.len);
  }
}

/**
 * Reads what BinaryWriter wrote. Every malformed input (truncated, overlong varint, out of range,
 * trailing bytes) throws a RosterError with the code given at construction, never a TypeError or
 * a RangeError, so a caller can tell bad input from a bug.
 */
export class BinaryReader {
  private pos = 0;

  constructor(
    private readonly buf: Uint8Array,
    private readonly errorCode: string,
    private readonly what: string,
  ) {}

  fail(message: string): never {
    throw new RosterError(this.errorCode, `${this.what}: ${message}`, { offset: this.pos });
  }

  get remaining(): number {
    return this.buf.length - this.pos;
  }

  u8(): number {
    if (this.pos >= this.buf.length) this.fail('truncated');
    return this.buf[this.pos++]!;
  }

  bool(): boolean {
    const b = this.u8();
    if (b > 1) this.fail(`bad boolean ${b}`);
    return b === 1;
  }

  uvarint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      const b = this.u8();
      result += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) {
        if (result > MAX_SAFE) this.fail('varint beyond 2^53');
        return result;
      }
      scale *= 0x80;
    }
    return this.fail('varint too long');
  }

  svarint(): number {
    const first = this.u8();
    const sign = first & 1;
    let magnitude = (first & 0x7f) >> 1;
    if ((first & 0x80) !== 0) {
      const rest = this.uvarint();
      if (rest === 0) this.fail('non-canonical signed varint');
      if (rest > Math.floor(MAX_SAFE / 64)) this.fail('signed varint beyond 2^53');
      magnitude += rest * 64;
      if (magnitude > MAX_SAFE) this.fail('signed varint beyond 2^53');
    }
    if (sign === 1 && magnitude === 0) this.fail('negative zero');
    return sign === 1 ? -magnitude : magnitude;
  }

  i64(): bigint {
    let v = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      const b = this.u8();
      v |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) {
        if (v > UINT64_MASK) this.fail('int64 overflow');
        return (v >> 1n) ^ -(v & 1n);
      }
      shift += 7n;
    }
    return this.fail('int64 varint too long');
  }

  /** Length-prefixed bytes, copied so the result does not pin the whole input buffer. */
  bytes(): Uint8Array {
    const n = this.uvarint();
    return this.raw(n);
  }

  raw(n: number): Uint8Array {
    if (n > this.remaining) this.fail(`truncated: ${n} bytes wanted, ${this.remaining} left`);
    const out = copyBytes(this.buf, this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** Asserts the input is fully consumed. */
  end(): void {
    if (this.pos !== this.buf.length) this.fail(`${this.remaining} trailing bytes`);
  }
}
