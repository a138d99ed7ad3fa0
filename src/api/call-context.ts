import type * as grpc from '@grpc/grpc-js';
import type { Authorizer } from '../store/acl/authorizer.js';
import type { Deadline } from '../time/deadline.js';

/** One client call, as the handlers see it. */
export interface CallContext {
  /** The call's deadline, on the monotonic clock (converted once from gRPC's wall-clock one on arrival). */
  readonly deadline: Deadline;
  /** The call was forwarded by another server: never forward it again. */
  readonly forwarded: boolean;
  readonly metadata: grpc.Metadata;
  /** What the caller's token allows (already checked against the method's rule; handlers that filter use it). */
  readonly authz: Authorizer;
  /** Response metadata to send with the answer. */
  readonly responseMetadata: grpc.Metadata;
}
