import { RosterError } from '../util/errors.js';

/**
 * The payload of a normal Raft entry: one tag byte, then the command. An empty payload is the
 * leader's no-op. Membership changes are Raft conf entries and never use this envelope.
 */
export const ENTRY_TAG = {
  /** An encoded KvCommand (src/store/kv/command-codec.ts). */
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

export function unwrapEntry(data: Uint8Array): { tag: EntryTag; body: Uint8Array } | undefined {
  if (data.length === 0) return undefined;
  const tag = data[0]!;
  if (tag !== ENTRY_TAG.kv && tag !== ENTRY_TAG.memberAttributes) throw new RosterError('BAD_COMMAND', `unknown entry tag ${tag}`);
  return { tag: tag as EntryTag, body: data.subarray(1) };
}
