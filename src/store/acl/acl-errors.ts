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
} as const;

export type AclErrorCode = keyof typeof ACL_ERRORS;

export function aclError(code: AclErrorCode, message: string, details: Record<string, unknown> = {}): RosterError {
  return new RosterError(code, message, details);
}

export function isAclError(err: unknown): err is RosterError {
  return err instanceof RosterError && Object.hasOwn(ACL_ERRORS, err.code);
}
