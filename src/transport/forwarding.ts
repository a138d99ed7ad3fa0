import type * as grpc from '@grpc/grpc-js';
import type { ForwardRequest__Output } from '../gen/roster/roster/raft/v1/ForwardRequest.js';
import type { ForwardResponse } from '../gen/roster/roster/raft/v1/ForwardResponse.js';
import type { PeerClient } from './raft-peer-service.js';
import { deadlineFromGrpc, toGrpcDeadline, type Deadline } from '../time/deadline.js';
import type { TransportHandlers } from './transport-handlers.js';

/**
 * One-hop forwarding of a client request to the leader on the peer port: the request and its
 * answer pass as the bytes the API serialized, with the caller's remaining deadline.
 */
export function forwardTo(client: PeerClient, metadata: grpc.Metadata, method: string, payload: Uint8Array, deadline: Deadline | undefined): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const options: grpc.CallOptions = deadline === undefined ? {} : { deadline: toGrpcDeadline(deadline) };
    client.Forward({ method, payload }, metadata, options, (err, res) => {
      if (err) reject(err);
      else resolve(res!.payload);
    });
  });
}

/** Serves a request forwarded by a peer (already admitted); a failure is the handler's gRPC error. */
export function serveForward(call: grpc.ServerUnaryCall<ForwardRequest__Output, ForwardResponse>, cb: grpc.sendUnaryData<ForwardResponse>, handlers: Pick<TransportHandlers, 'onForward'>): void {
  handlers.onForward(call.request.method, call.request.payload, deadlineFromGrpc(call.getDeadline())).then(
    (payload) => cb(null, { payload }),
    (err: unknown) => cb(err as grpc.ServiceError),
  );
}
