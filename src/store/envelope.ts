import { RosterError } from '../util/errors.js';
import { REQUEST_ID_BYTES } from './request-id.js';

/** Whether an entry carries a client command (the kinds a follower may hand to the leader). */
export function isCommandTag(tag: EntryTag): tag is CommandTag {
  return tag === ENTRY_TAG.kv || tag === ENTRY_TAG.registry || tag === ENTRY_TAG.acl;
}

/**
 * The payload of a normal Raft entry: one tag byte, then the command. An empty payload is the
 * leader's no-op. Membership changes are Raft conf entries and never use this envelope.
 */
export const ENTRY_TAG = {
  /** A request id (request-id.ts), then an encoded KvCommand (src/store/kv/command-codec.ts). */
  kv: 0x01,
  /** A member publishing its own attributes: JSON { name, clientAddr }. */
  memberAttributes: 0x02,
  /** A request id, then a RegistryCommand (src/store/registry/commands.ts). */
  registry: 0x03,
  /** A request id, then an AclCommand (src/store/acl/commands.ts). */
  acl: 0x04,
} as const;

export type EntryTag = (typeof ENTRY_TAG)[keyof typeof ENTRY_TAG];

/** The tags of entries that carry a client command after a request id. */
export type CommandTag = typeof ENTRY_TAG.kv | typeof ENTRY_TAG.registry | typeof ENTRY_TAG.acl;

export function wrapEntry(tag: EntryTag, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(1 + body.length);
  out[0] = tag;
  out.set(body, 1);
  return out;
}

/** A client command's entry (KV, registry or ACL): the tag, the request id, the command. */
export function wrapCommandEntry(tag: CommandTag, requestId: Uint8Array, command: Uint8Array): Uint8Array {
  const out = new Uint8Array(1 + REQUEST_ID_BYTES + command.length);
  out[0] = tag;
  out.set(requestId, 1);
  out.set(command, 1 + REQUEST_ID_BYTES);
  return out;
}

/** Splits a command entry's body into its request id and command. */
export function splitCommandBody(body: Uint8Array): { requestId: Uint8Array; command: Uint8Array } {
  if (body.length < REQUEST_ID_BYTES) throw new RosterError('BAD_COMMAND', 'command entry without a request id');
  return { requestId: body.subarray(0, REQUEST_ID_BYTES), command: body.subarray(REQUEST_ID_BYTES) };
}

export function unwrapEntry(data: Uint8Array): { tag: EntryTag; body: Uint8Array } | undefined {
  if (data.length === 0) return undefined;
  const tag = data[0]!;
  if (tag !== ENTRY_TAG.kv && tag !== ENTRY_TAG.memberAttributes && tag !== ENTRY_TAG.registry && tag !== ENTRY_TAG.acl) throw new RosterError('BAD_COMMAND', `unknown entry tag ${tag}`);
  return { tag: tag, body: data.subarray(1) };
}
