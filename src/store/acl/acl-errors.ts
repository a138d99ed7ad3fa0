import { RosterError } from '../../util/errors.js';

/**
 * The ACL commands' and rule parser's errors. A command that fails with one of these changed
 * nothing and fails identically on every server (it is decided by the command and the replicated
 * state alone). `grpcStatus` is what the API answers with.
 */
export const ACL_ERRORS = {
  /** A field of a token, a policy or a command is malformed or out of bounds. */
  ACL_INVALID: { grpcStatus: 'INVALID_ARGUMENT' },
  /** A policy's rules do not parse or name something Consul's rule language does not have; details carry line and column. */
  ACL_RULES_INVALID: { grpcStatus: 'INVALID_ARGUMENT' },
  /** Bootstrap already happened and the command does not carry the current reset index. */
  ACL_BOOTSTRAP_DONE: { grpcStatus: 'FAILED_PRECONDITION' },
  ACL_TOKEN_NOT_FOUND: { grpcStatus: 'NOT_FOUND' },
  ACL_POLICY_NOT_FOUND: { grpcStatus: 'NOT_FOUND' },
  /** Another token already has this secret id. */
  ACL_TOKEN_EXISTS: { grpcStatus: 'ALREADY_EXISTS' },
  /** Another policy already has this name. */
  ACL_POLICY_NAME_EXISTS: { grpcStatus: 'ALREADY_EXISTS' },
  /** An update tried to change what Consul keeps fixed for a token's life (secret id, local, expiration). */
  ACL_TOKEN_IMMUTABLE: { grpcStatus: 'FAILED_PRECONDITION' },
  /** The builtin global-management policy or the anonymous token cannot be changed that way. */
  ACL_BUILTIN: { grpcStatus: 'FAILED_PRECONDITION' },
  // etcd's Auth API (etcd-auth-apply.ts): status and message exactly etcd's, which its clients
  // match on (etcdctl's auth enable adds the root role when it reads ETCD_ROOT_ROLE_NOT_GRANTED).
  ETCD_ROOT_USER_MISSING: { grpcStatus: 'FAILED_PRECONDITION' },
  ETCD_ROOT_ROLE_NOT_GRANTED: { grpcStatus: 'FAILED_PRECONDITION' },
  ETCD_USER_EXISTS: { grpcStatus: 'FAILED_PRECONDITION' },
  ETCD_USER_EMPTY: { grpcStatus: 'INVALID_ARGUMENT' },
  ETCD_USER_NOT_FOUND: { grpcStatus: 'FAILED_PRECONDITION' },
  ETCD_ROLE_EXISTS: { grpcStatus: 'FAILED_PRECONDITION' },
  ETCD_ROLE_NOT_FOUND: { grpcStatus: 'FAILED_PRECONDITION' },
  ETCD_ROLE_EMPTY: { grpcStatus: 'INVALID_ARGUMENT' },
  ETCD_AUTH_FAILED: { grpcStatus: 'INVALID_ARGUMENT' },
  ETCD_PERMISSION_NOT_GIVEN: { grpcStatus: 'INVALID_ARGUMENT' },
  ETCD_ROLE_NOT_GRANTED: { grpcStatus: 'FAILED_PRECONDITION' },
  ETCD_PERMISSION_NOT_GRANTED: { grpcStatus: 'FAILED_PRECONDITION' },
  ETCD_AUTH_NOT_ENABLED: { grpcStatus: 'FAILED_PRECONDITION' },
  ETCD_INVALID_AUTH_MGMT: { grpcStatus: 'INVALID_ARGUMENT' },
} as const;

/** etcd's own words for its Auth errors (rpctypes), which etcd clients match exactly. */
export const ETCD_AUTH_MESSAGES = {
  ETCD_ROOT_USER_MISSING: 'etcdserver: root user does not exist',
  ETCD_ROOT_ROLE_NOT_GRANTED: 'etcdserver: root user does not have root role',
  ETCD_USER_EXISTS: 'etcdserver: user name already exists',
  ETCD_USER_EMPTY: 'etcdserver: user name is empty',
  ETCD_USER_NOT_FOUND: 'etcdserver: user name not found',
  ETCD_ROLE_EXISTS: 'etcdserver: role name already exists',
  ETCD_ROLE_NOT_FOUND: 'etcdserver: role name not found',
  ETCD_ROLE_EMPTY: 'etcdserver: role name is empty',
  ETCD_AUTH_FAILED: 'etcdserver: authentication failed, invalid user ID or password',
  ETCD_PERMISSION_NOT_GIVEN: 'etcdserver: permission not given',
  ETCD_ROLE_NOT_GRANTED: 'etcdserver: role is not granted to the user',
  ETCD_PERMISSION_NOT_GRANTED: 'etcdserver: permission is not granted to the role',
  ETCD_AUTH_NOT_ENABLED: 'etcdserver: authentication is not enabled',
  ETCD_INVALID_AUTH_MGMT: 'etcdserver: invalid auth management',
} as const;

export type EtcdAuthErrorCode = keyof typeof ETCD_AUTH_MESSAGES;

/** One of etcd's Auth errors, in etcd's words. */
export function etcdAuthError(code: EtcdAuthErrorCode): RosterError {
  return new RosterError(code, ETCD_AUTH_MESSAGES[code]);
}

export type AclErrorCode = keyof typeof ACL_ERRORS;

export function aclError(code: AclErrorCode, message: string, details: Record<string, unknown> = {}): RosterError {
  return new RosterError(code, message, details);
}

export function isAclError(err: unknown): err is RosterError {
  return err instanceof RosterError && Object.hasOwn(ACL_ERRORS, err.code);
}
