import type * as grpc from '@grpc/grpc-js';
import { secretOf, TOKEN_METADATA_KEY } from '../../util/acl-token.js';

export { MAX_TOKEN_LENGTH, TOKEN_METADATA_KEY } from '../../util/acl-token.js';

/** Where etcd clients (etcdctl, the etcd3 package) send the token etcd's Authenticate gave them. */
export const ETCD_TOKEN_METADATA_KEY = 'token';

/**
 * The secret a call presents ('' when it presents none: the anonymous token); see secretOf.
 * Roster's own x-roster-token, else etcd's `token`: an etcd simple token is an ACL token's secret.
 */
export function callerSecret(metadata: grpc.Metadata): string {
  const roster = metadata.get(TOKEN_METADATA_KEY);
  return secretOf(roster.length > 0 ? roster : metadata.get(ETCD_TOKEN_METADATA_KEY));
}

/** Whether the call's token came the etcd way (its refusal then speaks etcd: "invalid auth token"). */
export function presentsEtcdToken(metadata: grpc.Metadata): boolean {
  return metadata.get(TOKEN_METADATA_KEY).length === 0 && metadata.get(ETCD_TOKEN_METADATA_KEY).length > 0;
}
