import { RosterError } from '../../util/errors.js';
import { ETCD_AUTH_COMMAND_TYPES, type EtcdAuthCommand } from './etcd-auth-commands.js';
import type { PolicyRecord, TokenRecord } from './records.js';

/** A token's link to a policy, by id or by name (resolved to the id when the command applies). */
export interface PolicyLink {
  readonly id?: string;
  readonly name?: string;
}

/**
 * Consul's `acl bootstrap`: creates the global-management policy (if missing), the anonymous
 * token (if missing) and a management token with these ids (the proposer draws them). Allowed
 * once; after that only with `resetIndex` equal to the stored one (Consul's reset procedure:
 * the operator reads the index from the refusal and writes it to a file on a server, which puts
 * it here; see README).
 */
export interface AclBootstrapCommand {
  readonly type: 'aclBootstrap';
  readonly accessorId: string;
  readonly secretId: string;
  /** The proposer's wall clock, Unix ms (the token's createTime). */
  readonly now: number;
  readonly resetIndex?: number;
}

/** Creates a token, or updates the one with this accessor id (description and policies). */
export interface AclTokenUpsertCommand {
  readonly type: 'aclTokenUpsert';
  readonly accessorId: string;
  readonly secretId: string;
  readonly description: string;
  readonly policies: readonly PolicyLink[];
  readonly local: boolean;
  readonly expirationTime?: number;
  /** The proposer's wall clock, Unix ms: createTime, and the expiration must be after it. */
  readonly now: number;
}

export interface AclTokenDeleteCommand {
  readonly type: 'aclTokenDelete';
  readonly accessorId: string;
}

/** Deletes every token expired at `now` (the leader's clock when it proposed): Consul's reaper. */
export interface AclTokenReapCommand {
  readonly type: 'aclTokenReap';
  readonly now: number;
}

/** Creates a policy, or updates the one with this id. */
export interface AclPolicyUpsertCommand {
  readonly type: 'aclPolicyUpsert';
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly rules: string;
}

/** Deletes a policy; tokens linked to it keep the dangling link and lose what it granted. */
export interface AclPolicyDeleteCommand {
  readonly type: 'aclPolicyDelete';
  readonly id: string;
}

/** Consul's ACL commands. */
export type ConsulAclCommand = AclBootstrapCommand | AclTokenUpsertCommand | AclTokenDeleteCommand | AclTokenReapCommand | AclPolicyUpsertCommand | AclPolicyDeleteCommand;

/** Everything the ACL tables apply: Consul's commands and etcd's Auth (etcd-auth-commands.ts). */
export type AclCommand = ConsulAclCommand | EtcdAuthCommand;

export const ACL_COMMAND_TYPES: ReadonlySet<string> = new Set(['aclBootstrap', 'aclTokenUpsert', 'aclTokenDelete', 'aclTokenReap', 'aclPolicyUpsert', 'aclPolicyDelete', ...ETCD_AUTH_COMMAND_TYPES]);

export function isAclCommand(cmd: { readonly type: string }): cmd is AclCommand {
  return ACL_COMMAND_TYPES.has(cmd.type);
}

export interface AclResponse {
  readonly type: AclCommand['type'];
  /** The store revision after the command. */
  readonly revision: number;
  readonly changed: boolean;
  /** aclBootstrap, aclTokenUpsert, etcdTokenIssue: the token as stored. */
  readonly token?: TokenRecord;
  /** aclPolicyUpsert: the policy as stored. */
  readonly policy?: PolicyRecord;
  /** aclTokenReap: how many tokens it deleted. */
  readonly reaped?: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Plain JSON: ACL commands carry strings, booleans, lists and safe integers only. */
export function encodeAclCommand(cmd: AclCommand): Uint8Array {
  return encoder.encode(JSON.stringify(cmd));
}

/**
 * Decodes an entry's command. Malformed bytes are BAD_COMMAND; the fields of what decodes are
 * checked when it applies (validate.ts), so a wrong field fails that command everywhere alike.
 */
export function decodeAclCommand(bytes: Uint8Array): AclCommand {
  let raw: unknown;
  try {
    raw = JSON.parse(decoder.decode(bytes));
  } catch (err) {
    throw new RosterError('BAD_COMMAND', `acl command: ${String(err)}`);
  }
  if (typeof raw !== 'object' || raw === null || !ACL_COMMAND_TYPES.has(String((raw as { type?: unknown }).type))) {
    throw new RosterError('BAD_COMMAND', 'acl command: unknown type');
  }
  return raw as AclCommand;
}
