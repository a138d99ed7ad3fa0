import type { Envelope, Envelope__Output } from '../gen/gossip/roster/gossip/v1/Envelope.js';
import { GOSSIP_KEY_SIZES } from './gossip-crypto.js';
import { envelope, GOSSIP_WIRE_VERSION, name, WireDrop } from './gossip-wire.js';

export const KEYRING_OPERATIONS = ['install', 'use', 'remove', 'list'] as const;
export type KeyringOperation = (typeof KEYRING_OPERATIONS)[number];

/** A keyring operation asked of a member (roster keyring); `key` is empty for 'list'. */
export interface KeyringAsk {
  readonly operation: KeyringOperation;
  readonly key: Uint8Array;
}

/** A member's answer: applied or why not, and the fingerprints of the keys it holds now. */
export interface KeyringAnswer {
  readonly ok: boolean;
  readonly error: string;
  readonly fingerprints: readonly string[];
  readonly primary: string;
}

/** Bounds on an answer from the wire: more keys than this or longer texts are malformed. */
const MAX_KEYS = 64;
const MAX_FINGERPRINT = 64;
const MAX_ERROR = 1024;

function encode(cluster: string, from: string, body: Pick<Envelope, 'keyringRequest' | 'keyringReply'>): Uint8Array {
  const t = envelope();
  return t.encode(t.fromObject({ version: GOSSIP_WIRE_VERSION, cluster, from, news: [], ...body })).finish();
}

export function encodeKeyringAsk(cluster: string, from: string, ask: KeyringAsk): Uint8Array {
  return encode(cluster, from, { keyringRequest: { operation: ask.operation, key: ask.key } });
}

export function encodeKeyringAnswer(cluster: string, from: string, a: KeyringAnswer): Uint8Array {
  return encode(cluster, from, { keyringReply: { ok: a.ok, error: a.error, fingerprints: [...a.fingerprints], primary: a.primary } });
}

/** The request an Envelope carries, checked (an unknown operation or a key of no AES size is malformed). */
export function keyringAskOf(raw: Envelope__Output): { from: string; ask: KeyringAsk } {
  const r = raw.keyringRequest;
  if (raw.body !== 'keyringRequest' || r === null || r === undefined) throw new WireDrop('malformed', 'not a keyring request');
  const operation = KEYRING_OPERATIONS.find((o) => o === r.operation);
  if (operation === undefined) throw new WireDrop('malformed', `unknown keyring operation ${JSON.stringify(r.operation)}`);
  const key = r.key;
  const want = operation === 'list' ? key.length === 0 : GOSSIP_KEY_SIZES.includes(key.length);
  if (!want) throw new WireDrop('malformed', `keyring ${operation} with a key of ${key.length} bytes`);
  return { from: name(raw.from, 'from'), ask: { operation, key } };
}

export function keyringAnswerOf(raw: Envelope__Output): KeyringAnswer {
  const r = raw.keyringReply;
  if (raw.body !== 'keyringReply' || r === null || r === undefined) throw new WireDrop('malformed', 'not a keyring answer');
  if (r.fingerprints.length > MAX_KEYS || r.fingerprints.some((f) => f.length > MAX_FINGERPRINT) || r.primary.length > MAX_FINGERPRINT) throw new WireDrop('malformed', 'keyring answer over its bounds');
  return { ok: r.ok, error: r.error.slice(0, MAX_ERROR), fingerprints: r.fingerprints, primary: r.primary };
}
