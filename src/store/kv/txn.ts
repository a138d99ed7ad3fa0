import { evaluateTxnPath, type TxnPath } from './compare.js';
import { executeRange } from './range.js';
import type { ResponseOp, TxnRequest, TxnResponse } from './types.js';
import { executeDeleteRange, executePut } from './writes.js';
import type { WriteScope } from './write-scope.js';

async function runBranch(scope: WriteScope, req: TxnRequest, path: TxnPath): Promise<TxnResponse> {
  const responses: ResponseOp[] = [];
  let nested = 0;
  for (const o of path.succeeded ? req.success : req.failure) {
    switch (o.type) {
      case 'range':
        responses.push({ type: 'range', response: await executeRange(scope.readView(), o.request) });
        break;
      case 'put':
        responses.push({ type: 'put', response: await executePut(scope, o.request, 'key-first') });
        break;
      case 'deleteRange':
        responses.push({ type: 'deleteRange', response: await executeDeleteRange(scope, o.request) });
        break;
      case 'txn':
        responses.push({ type: 'txn', response: await runBranch(scope, o.request, path.nested[nested++]!) });
        break;
    }
  }
  return { succeeded: path.succeeded, responses, revision: scope.revision };
}

/**
 * etcd's Txn. All compares of the tree are decided first (compare.ts); then the chosen ops run
 * in order, each seeing the writes of the ones before it, all sharing one main revision.
 *
 * Sub-response revisions are what etcd's mvcc returns for each op: a range reports the revision
 * it saw (+1 once the txn wrote), a put the txn's write revision, a delete-range the write
 * revision if the txn wrote anything by then. A nested txn reports the revision as it left it
 * (etcd leaves nested txn headers empty). The top-level revision is the store's after the txn.
 *
 * An op that fails (missing lease, compacted range, ...) throws: the caller rolls back every
 * write of the txn, so a txn applies entirely or not at all.
 */
export async function executeTxn(scope: WriteScope, req: TxnRequest): Promise<TxnResponse> {
  const path = await evaluateTxnPath(scope.kv, req);
  return runBranch(scope, req, path);
}
