import { NAMESPACE, namespaceEnd, namespaceStart } from '../kv/namespace.js';
import type { OrderedKvReader } from '../kv/ordered-kv.js';
import { readRecord, scanRecords } from '../registry/record-io.js';
import { BOOTSTRAP_KEY, policyKey, policyNameKey, secretKey, tokenKey } from './keys.js';
import type { BootstrapRecord, PolicyRecord, TokenRecord } from './records.js';

/**
 * Reads of the ACL tables, on a command's scope (scope.kv) or on the applied state
 * (MvccStore.read's view.kv).
 */
export async function readToken(kv: OrderedKvReader, accessorId: string): Promise<TokenRecord | undefined> {
  return (await readRecord<TokenRecord>(kv, tokenKey(accessorId), 'acl token'))?.record;
}

export async function tokenBySecret(kv: OrderedKvReader, secretId: string): Promise<TokenRecord | undefined> {
  const index = await readRecord<{ accessorId: string }>(kv, secretKey(secretId), 'acl secret');
  return index === undefined ? undefined : readToken(kv, index.record.accessorId);
}

export async function readPolicy(kv: OrderedKvReader, id: string): Promise<PolicyRecord | undefined> {
  return (await readRecord<PolicyRecord>(kv, policyKey(id), 'acl policy'))?.record;
}

export async function policyByName(kv: OrderedKvReader, name: string): Promise<PolicyRecord | undefined> {
  const index = await readRecord<{ id: string }>(kv, policyNameKey(name), 'acl policy name');
  return index === undefined ? undefined : readPolicy(kv, index.record.id);
}

export async function readBootstrap(kv: OrderedKvReader): Promise<BootstrapRecord | undefined> {
  return (await readRecord<BootstrapRecord>(kv, BOOTSTRAP_KEY, 'acl bootstrap'))?.record;
}

/** Every token, by accessor id. */
export async function listTokens(kv: OrderedKvReader): Promise<TokenRecord[]> {
  const out: TokenRecord[] = [];
  const range = { start: namespaceStart(NAMESPACE.aclTokens), end: namespaceEnd(NAMESPACE.aclTokens) };
  for await (const t of scanRecords<TokenRecord>(kv, range, 'acl token')) out.push(t.record);
  return out;
}

/** Every policy, by id. */
export async function listPolicies(kv: OrderedKvReader): Promise<PolicyRecord[]> {
  const out: PolicyRecord[] = [];
  const range = { start: namespaceStart(NAMESPACE.aclPolicies), end: namespaceEnd(NAMESPACE.aclPolicies) };
  for await (const p of scanRecords<PolicyRecord>(kv, range, 'acl policy')) out.push(p.record);
  return out;
}

/** A token's policies that still exist, in link order (a deleted one is skipped, as Consul does). */
export async function policiesOf(kv: OrderedKvReader, token: TokenRecord): Promise<PolicyRecord[]> {
  const out: PolicyRecord[] = [];
  for (const id of token.policies) {
    const p = await readPolicy(kv, id);
    if (p !== undefined) out.push(p);
  }
  return out;
}
