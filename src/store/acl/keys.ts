import { NAMESPACE, nsKey } from '../kv/namespace.js';

/**
 * Where ACL records live in the MVCC keyspace, each table its own namespace (never etcd's, so
 * Range and Watch on the KV never see them; snapshots carry them with everything else):
 *
 *   aclTokens        accessorId -> TokenRecord
 *   aclTokenSecrets  secretId   -> { accessorId } (the lookup a request makes)
 *   aclPolicies      policyId   -> PolicyRecord
 *   aclPolicyNames   name       -> { id } (names are unique)
 *   aclState         "bootstrap"-> BootstrapRecord, "etcd-auth" -> EtcdAuthRecord
 *   aclUsers         name       -> UserRecord (etcd Auth users)
 */
const encoder = new TextEncoder();

export const tokenKey = (accessorId: string): Uint8Array => nsKey(NAMESPACE.aclTokens, encoder.encode(accessorId));
export const secretKey = (secretId: string): Uint8Array => nsKey(NAMESPACE.aclTokenSecrets, encoder.encode(secretId));
export const policyKey = (id: string): Uint8Array => nsKey(NAMESPACE.aclPolicies, encoder.encode(id));
export const policyNameKey = (name: string): Uint8Array => nsKey(NAMESPACE.aclPolicyNames, encoder.encode(name));
export const BOOTSTRAP_KEY: Uint8Array = nsKey(NAMESPACE.aclState, encoder.encode('bootstrap'));
/** etcd's Auth users (etcd-users.ts), by name. */
export const userKey = (name: string): Uint8Array => nsKey(NAMESPACE.aclUsers, encoder.encode(name));
/** Whether etcd's Auth was enabled (AuthEnable): it turns ACLs on with default deny. */
export const ETCD_AUTH_KEY: Uint8Array = nsKey(NAMESPACE.aclState, encoder.encode('etcd-auth'));
