/**
 * The ACL state as stored (JSON records in the MVCC store's ACL namespaces, keys.ts).
 */

/** Consul's well-known ids: the builtin management policy and the anonymous token. */
export const GLOBAL_MANAGEMENT_POLICY_ID = '00000000-0000-0000-0000-000000000001';
export const GLOBAL_MANAGEMENT_POLICY_NAME = 'global-management';
export const ANONYMOUS_TOKEN_ACCESSOR_ID = '00000000-0000-0000-0000-000000000002';
/** The anonymous token's secret, as Consul's: what a request without a token is resolved as. */
export const ANONYMOUS_TOKEN_SECRET_ID = 'anonymous';

/**
 * The rules stored for global-management, for whoever reads the policy. What makes it manage
 * everything is its id (compileAuthorizer's `management`), not these rules, as in Consul.
 */
export const GLOBAL_MANAGEMENT_RULES = [
  'acl = "write"',
  'agent_prefix "" {\n  policy = "write"\n}',
  'event_prefix "" {\n  policy = "write"\n}',
  'key_prefix "" {\n  policy = "write"\n}',
  'keyring = "write"',
  'node_prefix "" {\n  policy = "write"\n}',
  'operator = "write"',
  'query_prefix "" {\n  policy = "write"\n}',
  'service_prefix "" {\n  policy = "write"\n  intentions = "write"\n}',
  'session_prefix "" {\n  policy = "write"\n}',
].join('\n');

export interface TokenRecord {
  readonly accessorId: string;
  readonly secretId: string;
  readonly description: string;
  /** Ids of the linked policies. One deleted later is simply skipped (Consul's lazy unlinking). */
  readonly policies: readonly string[];
  /** Consul's local tokens (valid in their own datacenter only); Roster has one datacenter, so it is kept, not acted on. */
  readonly local: boolean;
  /** Unix milliseconds after which the token no longer resolves; absent: never expires. */
  readonly expirationTime?: number;
  /** The store revision that created the token (Consul's CreateIndex). */
  readonly createIndex: number;
  /** Unix milliseconds, as the proposer's clock said when it created the token. */
  readonly createTime: number;
  /**
   * Issued by etcd's Authenticate to this etcd user (etcd-users.ts): the token grants what the
   * user's roles grant at the time of each call, not `policies`.
   */
  readonly user?: string;
}

export interface PolicyRecord {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  /** The rules text, HCL or JSON, as given (parse-rules.ts). */
  readonly rules: string;
  readonly createIndex: number;
}

/** Bootstrap happened at this revision: a new bootstrap needs it as its reset index. */
export interface BootstrapRecord {
  readonly resetIndex: number;
}

/** Whether the token has expired at `now` (Unix ms): expiry is inclusive, as Consul's. */
export function tokenExpired(token: TokenRecord, now: number): boolean {
  return token.expirationTime !== undefined && token.expirationTime <= now;
}
