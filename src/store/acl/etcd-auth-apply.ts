import type { WriteScope } from '../kv/write-scope.js';
import { deleteRecord, writeRecord } from '../registry/record-io.js';
import { applyPolicyDelete, applyPolicyUpsert, putToken, removeToken } from './acl-apply.js';
import { aclError, etcdAuthError } from './acl-errors.js';
import { policyByName, readToken, tokenBySecret } from './acl-reads.js';
import type { EtcdAuthCommand, EtcdRoleGrantCommand, EtcdRoleRevokeCommand, EtcdTokenIssueCommand, EtcdUserRoleCommand } from './etcd-auth-commands.js';
import { listUsers, readEtcdAuth, readUser, ROOT, USER_TOKENS_KEPT, type UserRecord } from './etcd-users.js';
import { ETCD_AUTH_KEY, userKey } from './keys.js';
import { parseRules } from './parse-rules.js';
import type { PolicyRecord, TokenRecord } from './records.js';
import { rulesToJson, withKeyRule, withoutKeyRule } from './rules-json.js';
import { unreachable } from '../../util/assert.js';

/** What an etcd Auth command returns beside the revision. */
export interface EtcdAuthResult {
  readonly token?: TokenRecord;
  readonly policy?: PolicyRecord;
}

/**
 * etcd's Auth semantics (etcd's auth store) over the ACL tables: users here, roles as policies.
 * With auth enabled the root user, its root role and the root role itself cannot be removed
 * (etcd's "invalid auth management"), so the cluster is never left without a superuser.
 */
export async function applyEtcdAuth(scope: WriteScope, cmd: EtcdAuthCommand): Promise<EtcdAuthResult> {
  switch (cmd.type) {
    case 'etcdAuthEnable':
      await authEnable(scope);
      return {};
    case 'etcdAuthDisable':
      await writeRecord(scope, ETCD_AUTH_KEY, { enabled: false, revision: scope.writeRevision });
      return {};
    case 'etcdUserAdd': {
      if ((await readUser(scope.kv, cmd.name)) !== undefined) throw etcdAuthError('ETCD_USER_EXISTS');
      const user: UserRecord = { name: cmd.name, ...(cmd.passwordHash !== undefined ? { passwordHash: cmd.passwordHash } : {}), roles: [], tokens: [], createIndex: scope.writeRevision };
      await writeRecord(scope, userKey(cmd.name), user);
      return {};
    }
    case 'etcdUserDelete': {
      const user = await mustUser(scope, cmd.name);
      if (cmd.name === ROOT && (await authEnabled(scope))) throw etcdAuthError('ETCD_INVALID_AUTH_MGMT');
      await dropTokens(scope, user.tokens);
      await deleteRecord(scope, userKey(cmd.name));
      return {};
    }
    case 'etcdUserPassword': {
      const user = await mustUser(scope, cmd.name);
      // A new password ends every session of the old one, as etcd's token invalidation does.
      await dropTokens(scope, user.tokens);
      await writeRecord(scope, userKey(cmd.name), { ...user, passwordHash: cmd.passwordHash, tokens: [] });
      return {};
    }
    case 'etcdUserGrantRole':
      await grantRole(scope, cmd);
      return {};
    case 'etcdUserRevokeRole':
      await revokeRole(scope, cmd);
      return {};
    case 'etcdRoleAdd': {
      if ((await policyByName(scope.kv, cmd.name)) !== undefined) throw etcdAuthError('ETCD_ROLE_EXISTS');
      const policy = await applyPolicyUpsert(scope, { type: 'aclPolicyUpsert', id: cmd.id, name: cmd.name, description: `etcd role ${cmd.name}`, rules: '' });
      return { policy };
    }
    case 'etcdRoleDelete': {
      const role = await mustRole(scope, cmd.name);
      if (cmd.name === ROOT && (await authEnabled(scope))) throw etcdAuthError('ETCD_INVALID_AUTH_MGMT');
      await applyPolicyDelete(scope, { type: 'aclPolicyDelete', id: role.id });
      // As etcd: the role is revoked from every user that had it.
      for (const user of await listUsers(scope.kv)) {
        if (user.roles.includes(cmd.name)) await writeRecord(scope, userKey(user.name), { ...user, roles: user.roles.filter((r) => r !== cmd.name) });
      }
      return {};
    }
    case 'etcdRoleGrant':
      return { policy: await roleGrant(scope, cmd) };
    case 'etcdRoleRevoke':
      return { policy: await roleRevoke(scope, cmd) };
    case 'etcdTokenIssue':
      return { token: await issueToken(scope, cmd) };
    default:
      return unreachable(cmd, 'etcd auth command');
  }
}

async function authEnabled(scope: WriteScope): Promise<boolean> {
  return (await readEtcdAuth(scope.kv)).enabled;
}

async function authEnable(scope: WriteScope): Promise<void> {
  if (await authEnabled(scope)) return;
  const root = await readUser(scope.kv, ROOT);
  if (root === undefined) throw etcdAuthError('ETCD_ROOT_USER_MISSING');
  if (!root.roles.includes(ROOT)) throw etcdAuthError('ETCD_ROOT_ROLE_NOT_GRANTED');
  await writeRecord(scope, ETCD_AUTH_KEY, { enabled: true, revision: scope.writeRevision });
}

async function mustUser(scope: WriteScope, name: string): Promise<UserRecord> {
  const user = await readUser(scope.kv, name);
  if (user === undefined) throw etcdAuthError('ETCD_USER_NOT_FOUND');
  return user;
}

async function mustRole(scope: WriteScope, name: string): Promise<PolicyRecord> {
  const role = await policyByName(scope.kv, name);
  if (role === undefined) throw etcdAuthError('ETCD_ROLE_NOT_FOUND');
  return role;
}

async function dropTokens(scope: WriteScope, accessorIds: readonly string[]): Promise<void> {
  for (const id of accessorIds) {
    const token = await readToken(scope.kv, id);
    if (token !== undefined) await removeToken(scope, token);
  }
}

async function grantRole(scope: WriteScope, cmd: EtcdUserRoleCommand): Promise<void> {
  const user = await mustUser(scope, cmd.name);
  // etcd grants root without a root role record: root is the superuser by name.
  if (cmd.role !== ROOT) await mustRole(scope, cmd.role);
  if (user.roles.includes(cmd.role)) return;
  await writeRecord(scope, userKey(user.name), { ...user, roles: [...user.roles, cmd.role].sort() });
}

async function revokeRole(scope: WriteScope, cmd: EtcdUserRoleCommand): Promise<void> {
  const user = await mustUser(scope, cmd.name);
  if (cmd.name === ROOT && cmd.role === ROOT && (await authEnabled(scope))) throw etcdAuthError('ETCD_INVALID_AUTH_MGMT');
  if (!user.roles.includes(cmd.role)) throw etcdAuthError('ETCD_ROLE_NOT_GRANTED');
  await writeRecord(scope, userKey(user.name), { ...user, roles: user.roles.filter((r) => r !== cmd.role) });
}

async function roleGrant(scope: WriteScope, cmd: EtcdRoleGrantCommand): Promise<PolicyRecord> {
  const role = await mustRole(scope, cmd.name);
  const rules = rulesToJson(withKeyRule(parseRules(role.rules), cmd.segment, cmd.prefix, cmd.level));
  return applyPolicyUpsert(scope, { type: 'aclPolicyUpsert', id: role.id, name: role.name, description: role.description, rules });
}

async function roleRevoke(scope: WriteScope, cmd: EtcdRoleRevokeCommand): Promise<PolicyRecord> {
  const role = await mustRole(scope, cmd.name);
  const without = withoutKeyRule(parseRules(role.rules), cmd.segment, cmd.prefix);
  if (without === undefined) throw etcdAuthError('ETCD_PERMISSION_NOT_GRANTED');
  return applyPolicyUpsert(scope, { type: 'aclPolicyUpsert', id: role.id, name: role.name, description: role.description, rules: rulesToJson(without) });
}

async function issueToken(scope: WriteScope, cmd: EtcdTokenIssueCommand): Promise<TokenRecord> {
  const user = await readUser(scope.kv, cmd.name);
  if (user === undefined || user.passwordHash !== cmd.passwordHash) throw etcdAuthError('ETCD_AUTH_FAILED');
  if ((await readToken(scope.kv, cmd.accessorId)) !== undefined || (await tokenBySecret(scope.kv, cmd.secretId)) !== undefined) throw aclError('ACL_TOKEN_EXISTS', 'a token with that id exists');
  const token: TokenRecord = { accessorId: cmd.accessorId, secretId: cmd.secretId, description: `etcd user ${cmd.name}`, policies: [], local: true, createIndex: scope.writeRevision, createTime: cmd.now, user: cmd.name };
  await putToken(scope, token);
  const tokens = [...user.tokens, cmd.accessorId];
  const dropped = tokens.splice(0, Math.max(0, tokens.length - USER_TOKENS_KEPT));
  await dropTokens(scope, dropped);
  await writeRecord(scope, userKey(user.name), { ...user, tokens });
  return token;
}
