import { RosterError } from '../util/errors.js';
import { REQUEST_ID_BYTES } from './request-id.js';

/**
 * The payload of a normal Raft entry: one tag byte, then the command. An empty payload is the
 * leader's no-op. Membership changes are Raft conf entries and never use this envelope.
 */
export const ENTRY_TAG = {
  /** A request id (request-id.ts), then an encoded KvCommand (src/store/kv/command-codec.ts). */
  kv: 0x01,
  /** A member publishing its own attributes: JSON { name, clientAddr }. */
  memberAttributes: 0x02,
} as const;

export type EntryTag = (typeof ENTRY_TAG)[keyof typeof ENTRY_TAG];

export function wrapEntry(tag: EntryTag, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(1 + body.length);
  out[0] = tag;
  out.set(body, 1);
  return out;
}

/** A KV entry: the tag, the request id, the command. */
export function wrapKvEntry(requestId: Uint8Array, command: Uint8Array): Uint8Array {
  const out = new Uint8Array(1 + REQUEST_ID_BYTES + command.length);
  out[0] = ENTRY_TAG.kv;
  out.set(requestId, 1);
  out.set(command, 1 + REQUEST_ID_BYTES);
  return out;
}

/** Splits a KV entry's body into its request id and command. */
export function splitKvBody(body: Uint8Array): { requestId: Uint8Array; command: Uint8Array } {
  if (body.length < REQUEST_ID_BYTES) throw new RosterError('BAD_COMMAND', 'kv entry without a request id');
  return { requestId: body.subarray(0, REQUEST_ID_BYTES), command: body.subarray(REQUEST_ID_BYTES) };
}

export function unwrapEntry(data: Uint8Array): { tag: EntryTag; body: Uint8Array } | undefined {
  if (data.length === 0) return undefined;
  const tag = data[0]!;
  if (tag !== ENTRY_TAG.kv && tag !== ENTRY_TAG.memberAttributes) throw new RosterError('BAD_COMMAND', `unknown entry tag ${tag}`);
  return { tag: tag as EntryTag, body: data.subarray(1) };
}
