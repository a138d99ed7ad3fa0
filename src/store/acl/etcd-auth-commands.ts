import { etcdAuthError } from './acl-errors.js';
import { bad, checkPolicyName, checkUuid } from './field-checks.js';

/**
 * etcd's Auth API as ACL commands (applied by etcd-auth-apply.ts). Passwords never enter the
 * log: the server that takes the request hashes them (src/util/password-hash.ts) and proposes
 * the hash. A role is the ACL policy of the same name; a permission is a key rule on it, named
 * as text (the API turns etcd's [key, range_end) into a key or a key prefix first).
 */
export interface EtcdAuthEnableCommand {
  readonly type: 'etcdAuthEnable';
}

export interface EtcdAuthDisableCommand {
  readonly type: 'etcdAuthDisable';
}

export interface EtcdUserAddCommand {
  readonly type: 'etcdUserAdd';
  readonly name: string;
  /** Absent: etcd's no_password user (cannot Authenticate). */
  readonly passwordHash?: string;
}

export interface EtcdUserDeleteCommand {
  readonly type: 'etcdUserDelete';
  readonly name: string;
}

export interface EtcdUserPasswordCommand {
  readonly type: 'etcdUserPassword';
  readonly name: string;
  readonly passwordHash: string;
}

export interface EtcdUserRoleCommand {
  readonly type: 'etcdUserGrantRole' | 'etcdUserRevokeRole';
  readonly name: string;
  readonly role: string;
}

export interface EtcdRoleAddCommand {
  readonly type: 'etcdRoleAdd';
  readonly name: string;
  /** The new policy's id, drawn by the proposer. */
  readonly id: string;
}

export interface EtcdRoleDeleteCommand {
  readonly type: 'etcdRoleDelete';
  readonly name: string;
}

export interface EtcdRoleGrantCommand {
  readonly type: 'etcdRoleGrant';
  readonly name: string;
  readonly segment: string;
  readonly prefix: boolean;
  readonly level: 'read' | 'write';
}

export interface EtcdRoleRevokeCommand {
  readonly type: 'etcdRoleRevoke';
  readonly name: string;
  readonly segment: string;
  readonly prefix: boolean;
}

/**
 * Authenticate's token: issued only if the user still has the password hash the proposer
 * checked the password against (a password changed meanwhile fails it everywhere alike).
 */
export interface EtcdTokenIssueCommand {
  readonly type: 'etcdTokenIssue';
  readonly name: string;
  readonly passwordHash: string;
  readonly accessorId: string;
  readonly secretId: string;
  readonly now: number;
}

export type EtcdAuthCommand =
  | EtcdAuthEnableCommand
  | EtcdAuthDisableCommand
  | EtcdUserAddCommand
  | EtcdUserDeleteCommand
  | EtcdUserPasswordCommand
  | EtcdUserRoleCommand
  | EtcdRoleAddCommand
  | EtcdRoleDeleteCommand
  | EtcdRoleGrantCommand
  | EtcdRoleRevokeCommand
  | EtcdTokenIssueCommand;

export const ETCD_AUTH_COMMAND_TYPES: readonly EtcdAuthCommand['type'][] = [
  'etcdAuthEnable',
  'etcdAuthDisable',
  'etcdUserAdd',
  'etcdUserDelete',
  'etcdUserPassword',
  'etcdUserGrantRole',
  'etcdUserRevokeRole',
  'etcdRoleAdd',
  'etcdRoleDelete',
  'etcdRoleGrant',
  'etcdRoleRevoke',
  'etcdTokenIssue',
];

export const ETCD_AUTH_LIMITS = {
  userNameChars: 128,
  /** A permission's key or prefix as rule text; longer ones are refused (a policy's rules are bounded as a whole too). */
  segmentBytes: 1024,
  passwordHashChars: 256,
} as const;

/** What password-hash.ts writes: scrypt$N$r$p$salt$hash, numbers decimal, salt and hash base64. */
const PASSWORD_HASH = /^scrypt\$\d{1,7}\$\d{1,3}\$\d{1,3}\$[A-Za-z0-9+/=]{1,64}\$[A-Za-z0-9+/=]{1,128}$/;
/** Control characters (code points below 0x20, and DEL). */
function hasControl(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

export function checkUserName(v: unknown): void {
  if (v === '') throw etcdAuthError('ETCD_USER_EMPTY');
  if (typeof v !== 'string') bad('name', 'must be a string');
  if (v.length > ETCD_AUTH_LIMITS.userNameChars || hasControl(v)) bad('name', `a user name is 1-${ETCD_AUTH_LIMITS.userNameChars} characters, no control characters`);
}

/** Role names are policy names (1-128 letters, digits, '-', '_'): a role is a policy. */
export function checkRoleName(v: unknown, field = 'role'): void {
  if (v === '') throw etcdAuthError('ETCD_ROLE_EMPTY');
  checkPolicyName(v, field);
}

function checkHash(v: unknown): void {
  if (typeof v !== 'string' || v.length > ETCD_AUTH_LIMITS.passwordHashChars || !PASSWORD_HASH.test(v)) bad('passwordHash', 'must be a scrypt hash as Roster encodes it');
}

function checkSegment(cmd: { segment: unknown; prefix: unknown }): void {
  if (typeof cmd.segment !== 'string' || new TextEncoder().encode(cmd.segment).length > ETCD_AUTH_LIMITS.segmentBytes) bad('segment', `must be text of at most ${ETCD_AUTH_LIMITS.segmentBytes} bytes`);
  if (typeof cmd.prefix !== 'boolean') bad('prefix', 'must be a boolean');
}

/** Throws (ACL_INVALID, or etcd's empty-name errors) unless every field is well formed and bounded. */
export function validateEtcdAuthCommand(cmd: EtcdAuthCommand): void {
  switch (cmd.type) {
    case 'etcdAuthEnable':
    case 'etcdAuthDisable':
      return;
    case 'etcdUserAdd':
      checkUserName(cmd.name);
      if (cmd.passwordHash !== undefined) checkHash(cmd.passwordHash);
      return;
    case 'etcdUserDelete':
      checkUserName(cmd.name);
      return;
    case 'etcdUserPassword':
      checkUserName(cmd.name);
      checkHash(cmd.passwordHash);
      return;
    case 'etcdUserGrantRole':
    case 'etcdUserRevokeRole':
      checkUserName(cmd.name);
      checkRoleName(cmd.role);
      return;
    case 'etcdRoleAdd':
      checkRoleName(cmd.name, 'name');
      checkUuid(cmd.id, 'id');
      return;
    case 'etcdRoleDelete':
      checkRoleName(cmd.name, 'name');
      return;
    case 'etcdRoleGrant':
      checkRoleName(cmd.name, 'name');
      checkSegment(cmd);
      if (cmd.level !== 'read' && cmd.level !== 'write') bad('level', 'must be read or write');
      return;
    case 'etcdRoleRevoke':
      checkRoleName(cmd.name, 'name');
      checkSegment(cmd);
      return;
    case 'etcdTokenIssue':
      checkUserName(cmd.name);
      checkHash(cmd.passwordHash);
      checkUuid(cmd.accessorId, 'accessorId');
      checkUuid(cmd.secretId, 'secretId');
      if (typeof cmd.now !== 'number' || !Number.isSafeInteger(cmd.now) || cmd.now < 0) bad('now', 'must be a time in Unix milliseconds');
      return;
    default:
      bad('type', 'unknown etcd auth command');
  }
}
