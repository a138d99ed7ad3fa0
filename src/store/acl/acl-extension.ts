import type { RosterError } from '../../util/errors.js';
import { unreachable } from '../../util/assert.js';
import type { WriteScope } from '../kv/write-scope.js';
import { isAclError } from './acl-errors.js';
import { applyBootstrap, applyPolicyDelete, applyPolicyUpsert, applyTokenDelete, applyTokenReap, applyTokenUpsert } from './acl-apply.js';
import type { AclCommand, AclResponse } from './commands.js';
import { validateAclCommand } from './validate.js';
import { applyEtcdAuth } from './etcd-auth-apply.js';
import { ETCD_AUTH_COMMAND_TYPES, validateEtcdAuthCommand, type EtcdAuthCommand } from './etcd-auth-commands.js';

const ETCD_TYPES: ReadonlySet<string> = new Set(ETCD_AUTH_COMMAND_TYPES);

/**
 * The ACL tables' commands, applied inside the MVCC store's batches like the registry's (see
 * state-extension.ts, which puts both in one store). Every decision depends on the command and
 * the replicated state only: times come in the command, ids from the proposer.
 */
export async function executeAclCommand(scope: WriteScope, cmd: AclCommand): Promise<AclResponse> {
  if (ETCD_TYPES.has(cmd.type)) {
    const etcd = cmd as EtcdAuthCommand;
    validateEtcdAuthCommand(etcd);
    const extra = await applyEtcdAuth(scope, etcd);
    return { type: cmd.type, revision: scope.revision, changed: scope.changes > 0, ...extra };
  }
  const consul = cmd as Exclude<AclCommand, EtcdAuthCommand>;
  validateAclCommand(consul);
  let extra: Partial<AclResponse> = {};
  switch (consul.type) {
    case 'aclBootstrap':
      extra = { token: await applyBootstrap(scope, consul) };
      break;
    case 'aclTokenUpsert':
      extra = { token: await applyTokenUpsert(scope, consul) };
      break;
    case 'aclTokenDelete':
      await applyTokenDelete(scope, consul);
      break;
    case 'aclTokenReap':
      extra = { reaped: await applyTokenReap(scope, consul) };
      break;
    case 'aclPolicyUpsert':
      extra = { policy: await applyPolicyUpsert(scope, consul) };
      break;
    case 'aclPolicyDelete':
      await applyPolicyDelete(scope, consul);
      break;
    default:
      return unreachable(consul, 'acl command');
  }
  return { type: cmd.type, revision: scope.revision, changed: scope.changes > 0, ...extra };
}

export function isAclCommandError(err: unknown): err is RosterError {
  return isAclError(err);
}
