import { RosterError } from '../../util/errors.js';

/**
 * The KV errors, with etcd's exact messages: etcd clients match on the message text (clientv3's
 * rpctypes maps it back to typed errors), so these strings are part of the wire protocol.
 * `grpcStatus` is the gRPC status etcd sends with each, for the API layer.
 */
export const KV_ERRORS = {
  EMPTY_KEY: { message: 'etcdserver: key is not provided', grpcStatus: 'INVALID_ARGUMENT' },
  KEY_NOT_FOUND: { message: 'etcdserver: key not found', grpcStatus: 'INVALID_ARGUMENT' },
  VALUE_PROVIDED: { message: 'etcdserver: value is provided', grpcStatus: 'INVALID_ARGUMENT' },
  LEASE_PROVIDED: { message: 'etcdserver: lease is provided', grpcStatus: 'INVALID_ARGUMENT' },
  TOO_MANY_OPS: { message: 'etcdserver: too many operations in txn request', grpcStatus: 'INVALID_ARGUMENT' },
  DUPLICATE_KEY: { message: 'etcdserver: duplicate key given in txn request', grpcStatus: 'INVALID_ARGUMENT' },
  COMPACTED: { message: 'etcdserver: mvcc: required revision has been compacted', grpcStatus: 'OUT_OF_RANGE' },
  FUTURE_REV: { message: 'etcdserver: mvcc: required revision is a future revision', grpcStatus: 'OUT_OF_RANGE' },
  LEASE_NOT_FOUND: { message: 'etcdserver: requested lease not found', grpcStatus: 'NOT_FOUND' },
  LEASE_EXISTS: { message: 'etcdserver: lease already exists', grpcStatus: 'FAILED_PRECONDITION' },
  LEASE_TTL_TOO_LARGE: { message: 'etcdserver: too large lease TTL', grpcStatus: 'OUT_OF_RANGE' },
  /** Roster's own: a grant entry without a chosen id or with a TTL below one second. */
  BAD_LEASE_GRANT: { message: 'roster: a lease grant needs an id and a positive TTL', grpcStatus: 'INVALID_ARGUMENT' },
} as const;

export type KvErrorCode = keyof typeof KV_ERRORS;

export function kvError(code: KvErrorCode, details: Record<string, unknown> = {}): RosterError {
  return new RosterError(code, KV_ERRORS[code].message, details);
}

export function compactedError(compactRevision: number, requested: number): RosterError {
  return kvError('COMPACTED', { compactRevision, requested });
}

export function futureRevisionError(currentRevision: number, requested: number): RosterError {
  return kvError('FUTURE_REV', { currentRevision, requested });
}
