import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Passwords of etcd users, hashed with scrypt (node:crypto: memory-hard, maintained with Node,
 * no native dependency), written as scrypt$N$r$p$salt$hash. The cost is scrypt's interactive
 * setting (N=2^14, r=8, p=1: about 16 MiB and tens of milliseconds), run on libuv's thread pool,
 * never the event loop. Parameters travel in the hash, so they can be raised later.
 */
const N = 16384;
const R = 8;
const P = 1;
const KEY_BYTES = 32;
const SALT_BYTES = 16;
/** The most an encoded hash may ask of this process (a hash comes from the replicated store, not from a caller, but is bounded anyway). */
const MAX_N = 1 << 20;

function derive(password: string, salt: Buffer, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, KEY_BYTES, { ...opts, maxmem: 256 * opts.N! * opts.r! + 1024 * 1024 }, (err, key) => (err === null ? resolve(key) : reject(err)));
  });
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, { N, r: R, p: P });
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** Whether `password` matches `encoded` (false for anything not hashed this way). Constant-time in the comparison. */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const parts = encoded.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [n, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (!Number.isSafeInteger(n) || n < 2 || n > MAX_N || (n & (n - 1)) !== 0 || !(r >= 1 && r <= 32) || !(p >= 1 && p <= 16)) return false;
  const salt = Buffer.from(parts[4]!, 'base64');
  const want = Buffer.from(parts[5]!, 'base64');
  if (want.length !== KEY_BYTES) return false;
  const got = await derive(password, salt, { N: n, r, p });
  return timingSafeEqual(got, want);
}
