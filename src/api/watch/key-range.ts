import { compareBytes } from '../../store/kv/bytes.js';

/**
 * A set of stored (namespaced) keys a watch follows: exactly `start` when `end` is undefined,
 * else every key in [start, end).
 */
export interface KeyRange {
  readonly start: Uint8Array;
  readonly end: Uint8Array | undefined;
}

export function rangeHolds(r: KeyRange, key: Uint8Array): boolean {
  if (r.end === undefined) return compareBytes(key, r.start) === 0;
  return compareBytes(key, r.start) >= 0 && compareBytes(key, r.end) < 0;
}

export function anyRangeHolds(ranges: readonly KeyRange[], key: Uint8Array): boolean {
  for (const r of ranges) if (rangeHolds(r, key)) return true;
  return false;
}
