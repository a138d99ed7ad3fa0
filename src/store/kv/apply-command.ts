import { unreachable } from '../../util/assert.js';
import type { KvCommand, KvCommandResponse } from './command.js';
import { executeCompact } from './compaction.js';
import type { OverlayKv } from './overlay-kv.js';
import type { StoreMeta } from './records.js';
import { executeTxn } from './txn.js';
import { validateKvCommand } from './validate.js';
import { executeDeleteRange, executePut } from './writes.js';
import { WriteScope, type LeaseLookup } from './write-scope.js';

export interface CommandOutcome {
  readonly response: KvCommandResponse;
  /** The store's revision and compact revision after the command (appliedIndex untouched). */
  readonly meta: StoreMeta;
}

/**
 * Executes one command on the batch's overlay, starting from `meta`. Throws a RosterError with
 * a KV code (kv-errors.ts) when the command fails; the caller then rolls its writes back.
 * Validation runs again here: a command must mean the same thing on every server, whether or
 * not the proposer checked it.
 */
export async function applyCommand(kv: OverlayKv, meta: StoreMeta, cmd: KvCommand, leases: LeaseLookup): Promise<CommandOutcome> {
  validateKvCommand(cmd);
  const scope = new WriteScope(kv, meta.revision, meta.compactRevision, leases);
  let response: KvCommandResponse;
  let compactRevision = meta.compactRevision;
  switch (cmd.type) {
    case 'put':
      response = { type: 'put', response: await executePut(scope, cmd.request, 'lease-first') };
      break;
    case 'deleteRange':
      response = { type: 'deleteRange', response: await executeDeleteRange(scope, cmd.request) };
      break;
    case 'txn':
      response = { type: 'txn', response: await executeTxn(scope, cmd.request) };
      break;
    case 'compact':
      response = { type: 'compact', response: await executeCompact(scope, cmd.request) };
      compactRevision = cmd.request.revision;
      break;
    default:
      return unreachable(cmd, 'kv command');
  }
  return { response, meta: { ...meta, revision: scope.revision, compactRevision } };
}
