import { NAMESPACE, namespaceEnd, namespaceStart } from '../kv/namespace.js';
import type { OrderedKvReader } from '../kv/ordered-kv.js';
import { readRecord, scanRecords } from '../registry/record-io.js';
import { ETCD_AUTH_KEY, userKey } from './keys.js';

/**
 * etcd's Auth users, beside Consul's tokens in the same ACL store. A user's roles are ACL
 * policies named like the roles (so an etcd role and a Consul policy over keys are one thing);
 * the role `root` is management, as in etcd. Authenticate issues an ordinary ACL token that
 * names the user (TokenRecord.user), resolved through the user's roles on every call, so a
 * role granted or revoked takes effect on the next call.
 */
export interface UserRecord {
  readonly name: string;
  /** scrypt, as password-hash.ts encodes it; absent: a user created with --no-password, who cannot Authenticate. */
  readonly passwordHash?: string;
  readonly roles: readonly string[];
  /** Accessor ids of the tokens Authenticate issued to this user, oldest first (at most USER_TOKENS_KEPT). */
  readonly tokens: readonly string[];
  readonly createIndex: number;
}

/** etcd's auth switch. */
export interface EtcdAuthRecord {
  readonly enabled: boolean;
  /** The store revision of the last change to it (etcd's authRevision, as near as Roster has one). */
  readonly revision: number;
}

/** etcd's superuser and superrole. */
export const ROOT = 'root';

/** Tokens kept per user: the oldest is deleted when Authenticate issues one more, so a client that authenticates in a loop cannot grow the store. */
export const USER_TOKENS_KEPT = 64;

export async function readUser(kv: OrderedKvReader, name: string): Promise<UserRecord | undefined> {
  return (await readRecord<UserRecord>(kv, userKey(name), 'etcd user'))?.record;
}

export async function listUsers(kv: OrderedKvReader): Promise<UserRecord[]> {
  const out: UserRecord[] = [];
  const range = { start: namespaceStart(NAMESPACE.aclUsers), end: namespaceEnd(NAMESPACE.aclUsers) };
  for await (const u of scanRecords<UserRecord>(kv, range, 'etcd user')) out.push(u.record);
  return out;
}

export async function readEtcdAuth(kv: OrderedKvReader): Promise<EtcdAuthRecord> {
  return (await readRecord<EtcdAuthRecord>(kv, ETCD_AUTH_KEY, 'etcd auth'))?.record ?? { enabled: false, revision: 0 };
}
