import type { RosterError } from '../../util/errors.js';
import { unreachable } from '../../util/assert.js';
import type { WriteScope } from '../kv/write-scope.js';
import { isAclError } from './acl-errors.js';
import { applyBootstrap, applyPolicyDelete, applyPolicyUpsert, applyTokenDelete, applyTokenReap, applyTokenUpsert } from './acl-apply.js';
import type { AclCommand, AclResponse } from './commands.js';
import { validateAclCommand } from './validate.js';

/**
 * The ACL tables' commands, applied inside the MVCC store's batches like the registry's (see
 * state-extension.ts, which puts both in one store). Every decision depends on the command and
 * the replicated state only: times come in the command, ids from the proposer.
 */
export async function executeAclCommand(scope: WriteScope, cmd: AclCommand): Promise<AclResponse> {
  validateAclCommand(cmd);
  let extra: Partial<AclResponse> = {};
  switch (cmd.type) {
    case 'aclBootstrap':
      extra = { token: await applyBootstrap(scope, cmd) };
      break;
    case 'aclTokenUpsert':
      extra = { token: await applyTokenUpsert(scope, cmd) };
      break;
    case 'aclTokenDelete':
      await applyTokenDelete(scope, cmd);
      break;
    case 'aclTokenReap':
      extra = { reaped: await applyTokenReap(scope, cmd) };
      break;
    case 'aclPolicyUpsert':
      extra = { policy: await applyPolicyUpsert(scope, cmd) };
      break;
    case 'aclPolicyDelete':
      await applyPolicyDelete(scope, cmd);
      break;
    default:
      return unreachable(cmd, 'acl command');
  }
  return { type: cmd.type, revision: scope.revision, changed: scope.changes > 0, ...extra };
}

export function isAclCommandError(err: unknown): err is RosterError {
  return isAclError(err);
}
