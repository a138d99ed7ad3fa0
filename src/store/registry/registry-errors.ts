import { RosterError } from '../../util/errors.js';

/**
 * The registry's command errors. A command that fails with one of these changed nothing and
 * fails identically on every server (it is decided by the replicated state alone). `grpcStatus`
 * is what the API answers with.
 */
export const REGISTRY_ERRORS = {
  INVALID_REGISTRATION: { grpcStatus: 'INVALID_ARGUMENT' },
  NODE_NOT_FOUND: { grpcStatus: 'NOT_FOUND' },
  SERVICE_NOT_FOUND: { grpcStatus: 'NOT_FOUND' },
  CHECK_NOT_FOUND: { grpcStatus: 'NOT_FOUND' },
  SESSION_NOT_FOUND: { grpcStatus: 'NOT_FOUND' },
  /** A session cannot be bound to a check that is critical (Consul's rule). */
  CHECK_CRITICAL: { grpcStatus: 'FAILED_PRECONDITION' },
  SESSION_EXISTS: { grpcStatus: 'ALREADY_EXISTS' },
  /** A Consul transaction's operation failed (details.opIndex): the whole transaction was undone. */
  TXN_ABORTED: { grpcStatus: 'ABORTED' },
} as const;

export type RegistryErrorCode = keyof typeof REGISTRY_ERRORS;

export function registryError(code: RegistryErrorCode, message: string, details: Record<string, unknown> = {}): RosterError {
  return new RosterError(code, message, details);
}

export function isRegistryError(err: unknown): err is RosterError {
  return err instanceof RosterError && Object.hasOwn(REGISTRY_ERRORS, err.code);
}
