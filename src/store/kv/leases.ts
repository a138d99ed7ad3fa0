import { kvError } from './kv-errors.js';
import { encodeLeaseRecord, getLease, leaseItemKey, leaseItems, leaseKey, MAX_LEASE_TTL } from './lease-layout.js';
import { getCurrent } from './mvcc-read.js';
import { NAMESPACE, namespaceOf } from './namespace.js';
import type { WriteScope } from './write-scope.js';

/** etcd's lease commands: grant and revoke (the record layout is in lease-layout.ts). */

export interface LeaseGrantRequest {
  /** Chosen by the proposer (never 0), so every server grants the same id. */
  readonly id: bigint;
  /** Seconds, already raised to the server's minimum by the API layer. */
  readonly ttl: number;
}

export interface LeaseGrantResponse {
  readonly id: bigint;
  readonly ttl: number;
  readonly revision: number;
}

export interface LeaseRevokeRequest {
  readonly id: bigint;
}

export interface LeaseRevokeResponse {
  readonly revision: number;
  /** How many attached items were deleted. */
  readonly deleted: number;
}

export function validateLeaseGrant(req: LeaseGrantRequest): void {
  if (req.id === 0n || !Number.isSafeInteger(req.ttl) || req.ttl <= 0) throw kvError('BAD_LEASE_GRANT', { id: req.id.toString(), ttl: req.ttl });
  if (req.ttl > MAX_LEASE_TTL) throw kvError('LEASE_TTL_TOO_LARGE', { ttl: req.ttl });
}

export async function executeLeaseGrant(scope: WriteScope, req: LeaseGrantRequest): Promise<LeaseGrantResponse> {
  validateLeaseGrant(req);
  if ((await getLease(scope.kv, req.id)) !== undefined) throw kvError('LEASE_EXISTS', { lease: req.id.toString() });
  scope.kv.put(leaseKey(req.id), encodeLeaseRecord(req.ttl));
  return { id: req.id, ttl: req.ttl, revision: scope.revision };
}

/**
 * Deletes the lease and everything attached to it, as one write: KV keys are deleted as etcd
 * deletes them (events, tombstones); an item of another namespace is handed to the scope's
 * owner of that namespace (a registry instance is deregistered with its checks).
 */
export async function executeLeaseRevoke(scope: WriteScope, req: LeaseRevokeRequest): Promise<LeaseRevokeResponse> {
  if ((await getLease(scope.kv, req.id)) === undefined) throw kvError('LEASE_NOT_FOUND', { lease: req.id.toString() });
  let deleted = 0;
  // Deleting while scanning is safe: the overlay's scan is a snapshot (overlay-kv.ts).
  for await (const key of leaseItems(scope.kv, req.id)) {
    if (namespaceOf(key) === NAMESPACE.kv) {
      const prev = await getCurrent(scope.kv, key);
      if (prev !== undefined && prev.lease === req.id) {
        scope.recordDelete(prev);
        deleted++;
      }
    } else if (await scope.revokeForeignItem(key, req.id)) {
      deleted++;
    }
    scope.kv.del(leaseItemKey(req.id, key));
  }
  scope.kv.del(leaseKey(req.id));
  return { revision: scope.revision, deleted };
}
