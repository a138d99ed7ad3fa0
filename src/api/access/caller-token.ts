import type * as grpc from '@grpc/grpc-js';
import { secretOf, TOKEN_METADATA_KEY } from '../../util/acl-token.js';

export { MAX_TOKEN_LENGTH, TOKEN_METADATA_KEY } from '../../util/acl-token.js';

/** The secret a call presents ('' when it presents none: the anonymous token); see secretOf. */
export function callerSecret(metadata: grpc.Metadata): string {
  return secretOf(metadata.get(TOKEN_METADATA_KEY));
}
