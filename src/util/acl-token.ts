import { RosterError } from './errors.js';

/** The gRPC metadata key a caller's ACL token (its secret id) travels in, as Consul's X-Consul-Token. */
export const TOKEN_METADATA_KEY = 'x-roster-token';

/** Longer than any secret Roster or Consul issues (36-char UUIDs), short enough to bound a cache key. */
export const MAX_TOKEN_LENGTH = 256;

const utf8 = new TextDecoder();

/**
 * The secret among a call's values of TOKEN_METADATA_KEY ('' when there is none: the anonymous
 * token). Bounded before anything looks it up, so a flood of huge tokens cannot fill a cache;
 * two tokens on one call are refused rather than one picked.
 */
export function secretOf(values: readonly (string | Uint8Array)[]): string {
  if (values.length === 0) return '';
  if (values.length > 1) throw new RosterError('ACL_NOT_FOUND', `ACL not found: send one ${TOKEN_METADATA_KEY}, got ${values.length}`);
  const v = values[0]!;
  const secret = typeof v === 'string' ? v : utf8.decode(v);
  if (secret.length > MAX_TOKEN_LENGTH) throw new RosterError('ACL_NOT_FOUND', `ACL not found: ${TOKEN_METADATA_KEY} longer than ${MAX_TOKEN_LENGTH} characters`);
  return secret.trim();
}
