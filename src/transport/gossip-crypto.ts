import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { RosterError } from '../util/errors.js';

/**
 * Gossip's encryption framing: AES-GCM (AES-128, -192 or -256 by the key's size) of a whole
 * packet or TCP message.
 *
 *   [version 1 byte = 1][nonce 12 bytes][ciphertext][tag 16 bytes]
 *
 * The version byte is authenticated too (it is the additional data), so a packet cannot be
 * passed off as another framing. A plaintext packet is a protobuf Envelope, whose encoding
 * always starts with the tag of field 1 (0x08): it never starts with 0x01, which is also no
 * valid protobuf tag (field 0), so the first byte tells the two apart.
 */
export const SEALED_VERSION = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** The bytes sealing adds to a message. */
export const SEALED_OVERHEAD_BYTES = 1 + NONCE_BYTES + TAG_BYTES;
export const GOSSIP_KEY_SIZES: readonly number[] = [16, 24, 32];

/** A base64 key as an operator writes it (encrypt, roster keyring): 16, 24 or 32 bytes. */
export function parseGossipKey(text: string, setting = 'key'): Buffer {
  const trimmed = text.trim();
  // Buffer.from ignores what is not base64: check the text itself, so a typo is not a shorter key.
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed) || trimmed.length % 4 !== 0) throw new RosterError('INVALID_GOSSIP_KEY', `${setting}: not base64 (make one with roster keygen)`, { field: setting });
  const key = Buffer.from(trimmed, 'base64');
  checkKeySize(key, setting);
  return key;
}

export function checkKeySize(key: Uint8Array, setting = 'key'): void {
  if (!GOSSIP_KEY_SIZES.includes(key.length)) throw new RosterError('INVALID_GOSSIP_KEY', `${setting}: a key is 16, 24 or 32 bytes, this one is ${key.length} (make one with roster keygen)`, { field: setting });
}

/** A new random 32-byte key, base64 (roster keygen). */
export function newGossipKey(): string {
  return randomBytes(32).toString('base64');
}

/**
 * What operators and answers show instead of a key: a short hash. 64 bits of SHA-256 tell keys
 * apart and say nothing usable about the key itself.
 */
export function keyFingerprint(key: Uint8Array): string {
  return `sha256:${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;
}

function algorithm(key: Uint8Array): 'aes-128-gcm' | 'aes-192-gcm' | 'aes-256-gcm' {
  checkKeySize(key);
  return key.length === 16 ? 'aes-128-gcm' : key.length === 24 ? 'aes-192-gcm' : 'aes-256-gcm';
}

const HEADER = Buffer.from([SEALED_VERSION]);

export function seal(key: Uint8Array, plain: Uint8Array): Buffer {
  const nonce = randomBytes(NONCE_BYTES);
  const c = createCipheriv(algorithm(key), key, nonce);
  c.setAAD(HEADER);
  const body = Buffer.concat([c.update(plain), c.final()]);
  return Buffer.concat([HEADER, nonce, body, c.getAuthTag()]);
}

/** Whether the bytes are in the sealed framing (they may still not open with any key). */
export function isSealed(bytes: Uint8Array): boolean {
  return bytes.length > 0 && bytes[0] === SEALED_VERSION;
}

/** The plaintext and the key that opened it, trying the keys in order; undefined if none does. */
export function open(keys: readonly Uint8Array[], sealed: Uint8Array): { plain: Buffer; key: Uint8Array } | undefined {
  if (!isSealed(sealed) || sealed.length < SEALED_OVERHEAD_BYTES) return undefined;
  const buf = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.length);
  const nonce = buf.subarray(1, 1 + NONCE_BYTES);
  const body = buf.subarray(1 + NONCE_BYTES, buf.length - TAG_BYTES);
  const tag = buf.subarray(buf.length - TAG_BYTES);
  for (const key of keys) {
    try {
      const d = createDecipheriv(algorithm(key), key, nonce);
      d.setAAD(HEADER);
      d.setAuthTag(tag);
      const plain = Buffer.concat([d.update(body), d.final()]);
      return { plain, key };
    } catch {
      // Not this key (the tag does not verify): try the next.
    }
  }
  return undefined;
}
