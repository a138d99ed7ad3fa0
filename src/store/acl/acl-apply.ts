import type { WriteScope } from '../kv/write-scope.js';
import { deleteRecord, writeRecord } from '../registry/record-io.js';
import { aclError } from './acl-errors.js';
import { listTokens, policyByName, readBootstrap, readPolicy, readToken, tokenBySecret } from './acl-reads.js';
import type { AclBootstrapCommand, AclPolicyDeleteCommand, AclPolicyUpsertCommand, AclTokenDeleteCommand, AclTokenReapCommand, AclTokenUpsertCommand, PolicyLink } from './commands.js';
import { BOOTSTRAP_KEY, policyKey, policyNameKey, secretKey, tokenKey } from './keys.js';
import {
  ANONYMOUS_TOKEN_ACCESSOR_ID,
  ANONYMOUS_TOKEN_SECRET_ID,
  GLOBAL_MANAGEMENT_POLICY_ID,
  GLOBAL_MANAGEMENT_POLICY_NAME,
  GLOBAL_MANAGEMENT_RULES,
  tokenExpired,
  type PolicyRecord,
  type TokenRecord,
} from './records.js';

/** Writes a token and its secret index. */
export async function putToken(scope: WriteScope, token: TokenRecord): Promise<void> {
  await writeRecord(scope, tokenKey(token.accessorId), token);
  await writeRecord(scope, secretKey(token.secretId), { accessorId: token.accessorId });
}

async function putPolicy(scope: WriteScope, policy: PolicyRecord): Promise<void> {
  await writeRecord(scope, policyKey(policy.id), policy);
  await writeRecord(scope, policyNameKey(policy.name), { id: policy.id });
}

/**
 * Consul's bootstrap: once, or again with the reset index the last one stored. It makes sure the
 * builtin policy and the anonymous token exist, then creates the management token.
 */
export async function applyBootstrap(scope: WriteScope, cmd: AclBootstrapCommand): Promise<TokenRecord> {
  const done = await readBootstrap(scope.kv);
  if (done !== undefined && cmd.resetIndex !== done.resetIndex) {
    throw aclError('ACL_BOOTSTRAP_DONE', `ACL bootstrap no longer allowed (reset index: ${done.resetIndex})`, { resetIndex: done.resetIndex });
  }
  if ((await readToken(scope.kv, cmd.accessorId)) !== undefined || cmd.accessorId === ANONYMOUS_TOKEN_ACCESSOR_ID) throw aclError('ACL_TOKEN_EXISTS', `a token with accessor id ${cmd.accessorId} exists`);
  if ((await tokenBySecret(scope.kv, cmd.secretId)) !== undefined) throw aclError('ACL_TOKEN_EXISTS', 'a token with that secret id exists');
  const rev = scope.writeRevision;
  if ((await readPolicy(scope.kv, GLOBAL_MANAGEMENT_POLICY_ID)) === undefined) {
    await putPolicy(scope, { id: GLOBAL_MANAGEMENT_POLICY_ID, name: GLOBAL_MANAGEMENT_POLICY_NAME, description: 'Builtin Policy that grants unlimited access', rules: GLOBAL_MANAGEMENT_RULES, createIndex: rev });
  }
  if ((await readToken(scope.kv, ANONYMOUS_TOKEN_ACCESSOR_ID)) === undefined) {
    await putToken(scope, { accessorId: ANONYMOUS_TOKEN_ACCESSOR_ID, secretId: ANONYMOUS_TOKEN_SECRET_ID, description: 'Anonymous Token', policies: [], local: false, createIndex: rev, createTime: cmd.now });
  }
  const token: TokenRecord = { accessorId: cmd.accessorId, secretId: cmd.secretId, description: 'Bootstrap Token (Global Management)', policies: [GLOBAL_MANAGEMENT_POLICY_ID], local: false, createIndex: rev, createTime: cmd.now };
  await putToken(scope, token);
  await writeRecord(scope, BOOTSTRAP_KEY, { resetIndex: rev });
  return token;
}

/** Links by id or name, as ids; a name or id that names no policy fails the command. */
async function resolveLinks(scope: WriteScope, links: readonly PolicyLink[]): Promise<string[]> {
  const ids: string[] = [];
  for (const link of links) {
    const p = link.id !== undefined ? await readPolicy(scope.kv, link.id) : await policyByName(scope.kv, link.name!);
    if (p === undefined) throw aclError('ACL_POLICY_NOT_FOUND', `no policy ${link.id !== undefined ? `with id ${link.id}` : `named ${link.name}`}`, { ...link });
    if (link.id !== undefined && link.name !== undefined && p.name !== link.name) throw aclError('ACL_INVALID', `policy ${link.id} is named ${p.name}, not ${link.name}`, { field: 'policies' });
    if (!ids.includes(p.id)) ids.push(p.id);
  }
  return ids;
}

/**
 * A new token, or an update of an existing one's description and policies. As in Consul, a
 * token's secret id, local flag and expiration are fixed for its life; the anonymous token
 * keeps its well-known secret and never expires.
 */
export async function applyTokenUpsert(scope: WriteScope, cmd: AclTokenUpsertCommand): Promise<TokenRecord> {
  const anonymous = cmd.accessorId === ANONYMOUS_TOKEN_ACCESSOR_ID;
  if (anonymous !== (cmd.secretId === ANONYMOUS_TOKEN_SECRET_ID)) throw aclError('ACL_BUILTIN', `the secret id "${ANONYMOUS_TOKEN_SECRET_ID}" belongs to the anonymous token alone`);
  if (anonymous && cmd.expirationTime !== undefined) throw aclError('ACL_BUILTIN', 'the anonymous token cannot expire');
  const policies = await resolveLinks(scope, cmd.policies);
  const existing = await readToken(scope.kv, cmd.accessorId);
  const holder = await tokenBySecret(scope.kv, cmd.secretId);
  if (holder !== undefined && holder.accessorId !== cmd.accessorId) throw aclError('ACL_TOKEN_EXISTS', 'another token has that secret id');
  if (existing === undefined) {
    const token: TokenRecord = {
      accessorId: cmd.accessorId,
      secretId: cmd.secretId,
      description: cmd.description,
      policies,
      local: cmd.local,
      ...(cmd.expirationTime !== undefined ? { expirationTime: cmd.expirationTime } : {}),
      createIndex: scope.writeRevision,
      createTime: cmd.now,
    };
    await putToken(scope, token);
    return token;
  }
  if (existing.secretId !== cmd.secretId) throw aclError('ACL_TOKEN_IMMUTABLE', 'a token\'s secret id cannot change');
  if (existing.local !== cmd.local) throw aclError('ACL_TOKEN_IMMUTABLE', 'a token cannot toggle local mode');
  if (cmd.expirationTime !== undefined && cmd.expirationTime !== existing.expirationTime) throw aclError('ACL_TOKEN_IMMUTABLE', 'a token\'s expiration time cannot change');
  if (tokenExpired(existing, cmd.now)) throw aclError('ACL_TOKEN_NOT_FOUND', `token ${cmd.accessorId} has expired`);
  const token: TokenRecord = { ...existing, description: cmd.description, policies };
  await putToken(scope, token);
  return token;
}

export async function removeToken(scope: WriteScope, token: TokenRecord): Promise<void> {
  await deleteRecord(scope, tokenKey(token.accessorId));
  await deleteRecord(scope, secretKey(token.secretId));
}

export async function applyTokenDelete(scope: WriteScope, cmd: AclTokenDeleteCommand): Promise<void> {
  if (cmd.accessorId === ANONYMOUS_TOKEN_ACCESSOR_ID) throw aclError('ACL_BUILTIN', 'the anonymous token cannot be deleted');
  const token = await readToken(scope.kv, cmd.accessorId);
  if (token === undefined) throw aclError('ACL_TOKEN_NOT_FOUND', `no token with accessor id ${cmd.accessorId}`);
  await removeToken(scope, token);
}

/** Deletes the tokens expired at cmd.now; how many. */
export async function applyTokenReap(scope: WriteScope, cmd: AclTokenReapCommand): Promise<number> {
  let reaped = 0;
  for (const token of await listTokens(scope.kv)) {
    if (!tokenExpired(token, cmd.now)) continue;
    await removeToken(scope, token);
    reaped++;
  }
  return reaped;
}

/**
 * A new policy, or an update of one (a rename moves its name). Names are unique. The builtin
 * global-management policy may be renamed or redescribed but its rules are fixed, and nothing
 * else may take its id or its name (bootstrap creates it).
 */
export async function applyPolicyUpsert(scope: WriteScope, cmd: AclPolicyUpsertCommand): Promise<PolicyRecord> {
  const existing = await readPolicy(scope.kv, cmd.id);
  if (cmd.id === GLOBAL_MANAGEMENT_POLICY_ID) {
    if (existing === undefined) throw aclError('ACL_BUILTIN', 'the global-management policy is created by bootstrap');
    if (cmd.rules !== existing.rules) throw aclError('ACL_BUILTIN', 'the rules of the builtin global-management policy cannot change');
  }
  if (cmd.name === GLOBAL_MANAGEMENT_POLICY_NAME && cmd.id !== GLOBAL_MANAGEMENT_POLICY_ID) throw aclError('ACL_BUILTIN', `the name ${GLOBAL_MANAGEMENT_POLICY_NAME} is the builtin policy's`);
  const named = await policyByName(scope.kv, cmd.name);
  if (named !== undefined && named.id !== cmd.id) throw aclError('ACL_POLICY_NAME_EXISTS', `a policy named ${cmd.name} exists`, { id: named.id });
  if (existing !== undefined && existing.name !== cmd.name) await deleteRecord(scope, policyNameKey(existing.name));
  const policy: PolicyRecord = { id: cmd.id, name: cmd.name, description: cmd.description, rules: cmd.rules, createIndex: existing?.createIndex ?? scope.writeRevision };
  await putPolicy(scope, policy);
  return policy;
}

export async function applyPolicyDelete(scope: WriteScope, cmd: AclPolicyDeleteCommand): Promise<void> {
  if (cmd.id === GLOBAL_MANAGEMENT_POLICY_ID) throw aclError('ACL_BUILTIN', 'the builtin global-management policy cannot be deleted');
  const policy = await readPolicy(scope.kv, cmd.id);
  if (policy === undefined) throw aclError('ACL_POLICY_NOT_FOUND', `no policy with id ${cmd.id}`);
  await deleteRecord(scope, policyKey(policy.id));
  await deleteRecord(scope, policyNameKey(policy.name));
}
