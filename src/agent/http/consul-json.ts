import { HttpError } from './consul-errors.js';

/**
 * Reading Consul's JSON bodies as Consul's decoder does: object keys without regard to case,
 * absent and null alike, and a 400 naming the field for a value of the wrong type.
 */
export type Obj = Record<string, unknown>;

/** An object whose keys are lowered (Node, node and NODE are one field). */
export function objectOf(v: unknown, what: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new HttpError(400, `Request decode failed: ${what} must be a JSON object`);
  return Object.fromEntries(Object.entries(v as Obj).map(([k, x]) => [k.toLowerCase(), x]));
}

export const str = (o: Obj, k: string, what: string): string => {
  const v = o[k];
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw new HttpError(400, `Request decode failed: ${what}.${k} must be a string`);
  return v;
};

export function strings(v: unknown, what: string): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new HttpError(400, `Request decode failed: ${what} must be a list of strings`);
  return v as string[];
}

/** A map of strings, its keys as given (meta keys are case-sensitive). */
export function meta(v: unknown, what: string): Record<string, string> {
  if (v === undefined || v === null) return {};
  const o = objectOf(v, what);
  for (const [k, x] of Object.entries(o)) if (typeof x !== 'string') throw new HttpError(400, `Request decode failed: ${what}.${k} must be a string`);
  return v as Record<string, string>;
}

/** A whole number from 0 up to `max` (0 when absent). */
export function whole(o: Obj, k: string, what: string, max = Number.MAX_SAFE_INTEGER): number {
  const v = o[k];
  if (v === undefined || v === null) return 0;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0 || v > max) throw new HttpError(400, `Request decode failed: ${what}.${k} must be a whole number from 0 to ${max}`);
  return v;
}

/** A uint64 given as a JSON number (exact up to 2^53) or a string of digits (0 when absent). */
export function uint64(o: Obj, k: string, what: string): bigint {
  const v = o[k];
  if (v === undefined || v === null) return 0n;
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  if (typeof v === 'string' && /^\d{1,20}$/.test(v) && BigInt(v) < 1n << 64n) return BigInt(v);
  throw new HttpError(400, `Request decode failed: ${what}.${k} must be a uint64`);
}

const UINT64_MARK = '$roster-uint64';

/** A uint64 to serialize exactly with jsonText (JSON.stringify cannot write a bigint). */
export const exactUint64 = (v: bigint | string): unknown => ({ [UINT64_MARK]: String(v) });

/**
 * JSON.stringify, with values made by exactUint64 written as bare numbers of every digit: Go
 * clients read Consul's Flags as uint64, and a double would round them (consul lock's flags
 * value is above 2^53). Inside JSON strings quotes are escaped, so the mark cannot be forged by data.
 */
export function jsonText(body: unknown): string {
  return JSON.stringify(body).replace(/\{"\$roster-uint64":"(\d+)"\}/g, '$1');
}
