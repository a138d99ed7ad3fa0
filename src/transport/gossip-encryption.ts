import { isSealed, open, seal } from './gossip-crypto.js';
import type { GossipKeyring } from './gossip-keyring.js';

/**
 * What a member does with encryption, as Consul's encrypt / encrypt_verify_incoming /
 * encrypt_verify_outgoing: with a keyring it can read sealed messages; verifyOutgoing seals what
 * it sends; verifyIncoming refuses plaintext. Both off with a keyring is the first step of
 * turning encryption on in a running pool (every member can read sealed messages before any
 * sends them), verifyOutgoing alone the second, both the last.
 */
export interface GossipEncryption {
  readonly keyring: GossipKeyring | undefined;
  readonly verifyIncoming: boolean;
  readonly verifyOutgoing: boolean;
}

export const NO_ENCRYPTION: GossipEncryption = { keyring: undefined, verifyIncoming: false, verifyOutgoing: false };

/** An incoming message opened, or why it is dropped. */
export type Unwrapped =
  | { readonly ok: true; readonly plain: Uint8Array; readonly key: Uint8Array | undefined }
  | { readonly ok: false; readonly reason: 'undecryptable' | 'plaintext' };

/** Seals with the primary key when this member sends encrypted (or `always`, and it has a key). */
export function wrapOutgoing(e: GossipEncryption, plain: Uint8Array, always = false): Uint8Array {
  if (e.keyring === undefined || !(e.verifyOutgoing || always)) return plain;
  return seal(e.keyring.primary, plain);
}

/** Seals with the given key (an answer goes back under the key its request came with). */
export function wrapWith(key: Uint8Array, plain: Uint8Array): Uint8Array {
  return seal(key, plain);
}

/**
 * Opens a sealed message with any installed key (the primary first), or passes plaintext
 * through where it is accepted. `key` says which key opened it (undefined: it was plaintext).
 */
export function unwrapIncoming(e: GossipEncryption, bytes: Uint8Array): Unwrapped {
  if (isSealed(bytes)) {
    const opened = e.keyring === undefined ? undefined : open(e.keyring.keys, bytes);
    return opened === undefined ? { ok: false, reason: 'undecryptable' } : { ok: true, plain: opened.plain, key: opened.key };
  }
  if (e.keyring !== undefined && e.verifyIncoming) return { ok: false, reason: 'plaintext' };
  return { ok: true, plain: bytes, key: undefined };
}
