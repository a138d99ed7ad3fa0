import { crc32 as zlibCrc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32 } from '../../src/util/crc32.js';

const bytes = (n: number, seed: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (Math.imul(i + seed, 2654435761) >>> 24) & 0xff);
/** What LevelDB returns for an empty value: a zero-length view over an empty ArrayBuffer. */
const emptyOverEmptyBuffer = (): Uint8Array => new Uint8Array(new ArrayBuffer(0));

describe('crc32', () => {
  it('is the IEEE CRC-32 zlib computes, so files and log records written before still verify', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926); // the standard check value
    for (const n of [1, 7, 8, 9, 63, 64, 1000, 4099]) {
      const b = bytes(n, n);
      expect(crc32(b)).toBe(zlibCrc32(b));
      expect(crc32(b, 0xdeadbeef)).toBe(zlibCrc32(b, 0xdeadbeef));
      expect(crc32(b.subarray(3), 123)).toBe(zlibCrc32(b.subarray(3), 123));
    }
  });

  it('continues a running value across pieces, whatever the split', () => {
    const whole = bytes(300, 5);
    for (const cut of [0, 1, 8, 150, 299, 300]) expect(crc32(whole.subarray(cut), crc32(whole.subarray(0, cut)))).toBe(crc32(whole));
  });

  it('leaves a running value unchanged for a zero-length piece, over any buffer', () => {
    const running = crc32(bytes(40, 1));
    expect(running).not.toBe(0);
    for (const empty of [emptyOverEmptyBuffer(), new Uint8Array(0), Buffer.alloc(0), bytes(10, 2).subarray(4, 4)]) expect(crc32(empty, running)).toBe(running);
  });
});
