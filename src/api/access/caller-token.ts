import type * as grpc from '@grpc/grpc-js';
import { RosterError } from '../../util/errors.js';

/** The metadata key a caller's ACL token (its secret id) travels in, as Consul's X-Consul-Token. */
export const TOKEN_METADATA_KEY = 'x-roster-token';

/** Longer than any secret Roster or Consul issues (36-char UUIDs), short enough to bound a cache key. */
export const MAX_TOKEN_LENGTH = 256;

/**
 * The secret a call presents ('' when it presents none: the anonymous token). Bounded before
 * anything looks it up, so a flood of huge tokens cannot fill the resolver's cache.
 */
export function callerSecret(metadata: grpc.Metadata): string {
  const values = metadata.get(TOKEN_METADATA_KEY);
  if (values.length === 0) return '';
  if (values.length > 1) throw new RosterError('ACL_NOT_FOUND', `ACL not found: send one ${TOKEN_METADATA_KEY}, got ${values.length}`);
  const secret = typeof values[0] === 'string' ? values[0] : values[0]!.toString('utf8');
  if (secret.length > MAX_TOKEN_LENGTH) throw new RosterError('ACL_NOT_FOUND', `ACL not found: ${TOKEN_METADATA_KEY} longer than ${MAX_TOKEN_LENGTH} characters`);
  return secret.trim();
}
