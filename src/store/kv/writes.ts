import { kvError } from './kv-errors.js';
import { getLease } from './lease-layout.js';
import { getCurrent, scanCurrent } from './mvcc-read.js';
import type { DeleteRangeRequest, KeyValue, PutRequest, PutResponse, DeleteRangeResponse } from './types.js';
import type { WriteScope } from './write-scope.js';

async function checkLease(scope: WriteScope, lease: bigint): Promise<void> {
  if (lease !== 0n && (await getLease(scope.kv, lease)) === undefined) throw kvError('LEASE_NOT_FOUND', { lease: lease.toString() });
}

/**
 * etcd's put. The order of the two checks follows etcd: a top-level Put looks the lease up
 * first ('lease-first'); inside a txn etcd's checkPut looks for the key first ('key-first').
 * They differ only when both would fail.
 */
export async function executePut(scope: WriteScope, req: PutRequest, order: 'lease-first' | 'key-first'): Promise<PutResponse> {
  if (order === 'lease-first') await checkLease(scope, req.lease);
  const prev = await getCurrent(scope.kv, req.key);
  if ((req.ignoreValue || req.ignoreLease) && prev === undefined) throw kvError('KEY_NOT_FOUND');
  if (order === 'key-first') await checkLease(scope, req.lease);
  const rev = scope.writeRevision;
  const kv: KeyValue = {
    key: req.key,
    value: req.ignoreValue ? prev!.value : req.value,
    lease: req.ignoreLease ? prev!.lease : req.lease,
    // A key that does not exist (never did, or was deleted) starts a new life here.
    createRevision: prev?.createRevision ?? rev,
    modRevision: rev,
    version: (prev?.version ?? 0) + 1,
  };
  scope.recordPut(kv, prev);
  return { prevKv: req.prevKv ? prev : undefined, revision: rev };
}

/**
 * etcd's delete range. Deleting nothing writes nothing, so it does not move the revision; the
 * response revision is then the unchanged one (or the command's, if it wrote before).
 */
export async function executeDeleteRange(scope: WriteScope, req: DeleteRangeRequest): Promise<DeleteRangeResponse> {
  const prevKvs: KeyValue[] = [];
  let deleted = 0;
  // Deleting while scanning is safe: the overlay's scan is a snapshot (overlay-kv.ts).
  for await (const kv of scanCurrent(scope.kv, req.key, req.rangeEnd)) {
    scope.recordDelete(kv);
    deleted++;
    if (req.prevKv) prevKvs.push(kv);
  }
  return { deleted, prevKvs, revision: scope.revision };
}
