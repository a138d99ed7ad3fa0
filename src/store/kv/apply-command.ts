import { unreachable } from '../../util/assert.js';
import type { KvCommand, KvCommandResponse } from './command.js';
import { executeCompact } from './compaction.js';
import { commandIn, responseOut } from './etcd-keys.js';
import { executeLeaseGrant, executeLeaseRevoke } from './leases.js';
import { executeTxn } from './txn.js';
import { validateKvCommand } from './validate.js';
import { executeDeleteRange, executePut } from './writes.js';
import type { WriteScope } from './write-scope.js';

/**
 * Executes one etcd command in `scope`. Throws a RosterError with a KV code (kv-errors.ts) when
 * it fails; the caller then rolls its writes back. Validation runs again here, on the user's
 * keys: a command must mean the same thing on every server, whether or not the proposer checked
 * it. Keys move into the KV namespace for execution (`inner`, when the caller mapped them
 * already) and back out for the answer (etcd-keys.ts).
 */
export async function executeKvCommand(scope: WriteScope, cmd: KvCommand, inner: KvCommand = commandIn(cmd)): Promise<KvCommandResponse> {
  validateKvCommand(cmd);
  switch (inner.type) {
    case 'put':
      return responseOut({ type: 'put', response: await executePut(scope, inner.request, 'lease-first') });
    case 'deleteRange':
      return responseOut({ type: 'deleteRange', response: await executeDeleteRange(scope, inner.request) });
    case 'txn':
      return responseOut({ type: 'txn', response: await executeTxn(scope, inner.request) });
    case 'compact':
      return { type: 'compact', response: await executeCompact(scope, inner.request) };
    case 'leaseGrant':
      return { type: 'leaseGrant', response: await executeLeaseGrant(scope, inner.request) };
    case 'leaseRevoke':
      return { type: 'leaseRevoke', response: await executeLeaseRevoke(scope, inner.request) };
    default:
      return unreachable(inner, 'kv command');
  }
}
