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
  /** Roster's own: see MAX_TXN_DEPTH (etcd has no depth limit, so no message to match). */
  TXN_TOO_DEEP: { message: 'etcdserver: txn nested too deeply (at most 32 levels)', grpcStatus: 'INVALID_ARGUMENT' },
  /** Roster's own: a compare whose target or result this version does not know. */
  BAD_COMPARE: { message: 'etcdserver: unknown compare target or result', grpcStatus: 'INVALID_ARGUMENT' },
  /** Roster's own: see MAX_RESPONSE_BYTES; the answer would have been larger. */
  RESPONSE_TOO_LARGE: { message: 'etcdserver: response is too large: narrow the range, or set a limit, keys_only or count_only', grpcStatus: 'RESOURCE_EXHAUSTED' },
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
