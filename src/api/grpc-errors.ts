import * as grpc from '@grpc/grpc-js';
import { ACL_ERRORS } from '../store/acl/acl-errors.js';
import { KV_ERRORS } from '../store/kv/kv-errors.js';
import { REGISTRY_ERRORS } from '../store/registry/registry-errors.js';
import { isRosterError } from '../util/errors.js';

/** A gRPC error a handler can pass to its callback. */
export function grpcError(code: grpc.status, message: string, meta: Record<string, string> = {}): grpc.ServiceError {
  const metadata = new grpc.Metadata();
  for (const [k, v] of Object.entries(meta)) metadata.set(k, v);
  return Object.assign(new Error(message), { code, details: message, metadata });
}

const STATUS_BY_CODE: Record<string, grpc.status> = {
  NOT_LEADER: grpc.status.UNAVAILABLE,
  NO_LEADER: grpc.status.UNAVAILABLE,
  LEADER_CHANGED: grpc.status.UNAVAILABLE,
  TIMEOUT: grpc.status.UNAVAILABLE,
  UNAVAILABLE: grpc.status.UNAVAILABLE,
  DISK_FAULT: grpc.status.UNAVAILABLE,
  SHUTTING_DOWN: grpc.status.UNAVAILABLE,
  STALE: grpc.status.UNAVAILABLE,
  TRANSFER_IN_PROGRESS: grpc.status.UNAVAILABLE,
  REQUEST_TOO_LARGE: grpc.status.RESOURCE_EXHAUSTED,
  INVALID_ARGUMENT: grpc.status.INVALID_ARGUMENT,
  INVALID_CONFIG: grpc.status.INVALID_ARGUMENT,
  INVALID_GOSSIP_KEY: grpc.status.INVALID_ARGUMENT,
  KEYRING_NOT_ENABLED: grpc.status.FAILED_PRECONDITION,
  INVALID_CONF_CHANGE: grpc.status.FAILED_PRECONDITION,
  CONF_CHANGE_PENDING: grpc.status.FAILED_PRECONDITION,
  CONF_CHANGE_NOT_READY: grpc.status.UNAVAILABLE,
  WOULD_LOSE_QUORUM: grpc.status.FAILED_PRECONDITION,
  LEARNER_NOT_CAUGHT_UP: grpc.status.FAILED_PRECONDITION,
  NOT_A_VOTER: grpc.status.FAILED_PRECONDITION,
  MEMBER_NOT_FOUND: grpc.status.NOT_FOUND,
  UNIMPLEMENTED: grpc.status.UNIMPLEMENTED,
  BAD_COMMAND: grpc.status.INVALID_ARGUMENT,
  FAILED_PRECONDITION: grpc.status.FAILED_PRECONDITION,
  NOT_FOUND: grpc.status.NOT_FOUND,
  RESOURCE_EXHAUSTED: grpc.status.RESOURCE_EXHAUSTED,
  COMPACTED: grpc.status.OUT_OF_RANGE,
  PERMISSION_DENIED: grpc.status.PERMISSION_DENIED,
  ACL_NOT_FOUND: grpc.status.UNAUTHENTICATED,
  ACL_DISABLED: grpc.status.FAILED_PRECONDITION,
};

/**
 * Maps any error to a gRPC status. KV errors keep etcd's exact message and status (clients
 * match on the text); "no leader" carries the known leader in metadata so a client can retry
 * there; anything unexpected is INTERNAL, never a crash.
 */
export function toGrpcError(err: unknown): grpc.ServiceError {
  if (typeof err === 'object' && err !== null && 'code' in err && typeof (err).code === 'number' && 'details' in err) {
    return err as grpc.ServiceError; // already a gRPC error (from a forwarded call)
  }
  if (isRosterError(err)) {
    const kv = KV_ERRORS[err.code as keyof typeof KV_ERRORS];
    if (kv !== undefined) return grpcError(grpc.status[kv.grpcStatus], kv.message);
    const registry = REGISTRY_ERRORS[err.code as keyof typeof REGISTRY_ERRORS];
    if (registry !== undefined) return grpcError(grpc.status[registry.grpcStatus], err.message, { 'roster-error-code': err.code });
    const acl = ACL_ERRORS[err.code as keyof typeof ACL_ERRORS];
    if (acl !== undefined) return grpcError(grpc.status[acl.grpcStatus], err.message, { 'roster-error-code': err.code });
    // The stable code, for clients (the retry rule tells refusals from ambiguous failures by it).
    const meta: Record<string, string> = { 'roster-error-code': err.code };
    const leader = err.details.leader;
    if (typeof leader === 'string') meta['roster-leader'] = leader;
    if (typeof err.details.leaderAddr === 'string') meta['roster-leader-addr'] = err.details.leaderAddr;
    if (err.code === 'NOT_LEADER' || err.code === 'NO_LEADER') {
      // The code tells clients the request was refused before it was executed: even a write
      // may be sent again (src/client/retry-policy.ts).
      return grpcError(grpc.status.UNAVAILABLE, 'etcdserver: no leader', meta);
    }
    // Refused before it was proposed: the client may send it to another server.
    if (err.code === 'DISK_FAULT') meta['roster-error-code'] = err.code;
    return grpcError(STATUS_BY_CODE[err.code] ?? grpc.status.INTERNAL, err.message, meta);
  }
  return grpcError(grpc.status.INTERNAL, `internal error: ${err instanceof Error ? err.message : String(err)}`);
}
