import type * as grpc from '@grpc/grpc-js';
import type { AnyMethodDefinition, ReplyOf, RequestOf } from '../proto/grpc-service.js';

/**
 * One unary call of the method `def` describes, on any client of its service: what a generated
 * client's method does (grpc-js builds each from the definition's path and serializers), typed
 * by the definition, so a method chosen by name still has its request and reply types.
 */
export function unaryCall<M extends AnyMethodDefinition>(client: grpc.Client, def: M, req: RequestOf<M>, metadata: grpc.Metadata, options: grpc.CallOptions): Promise<ReplyOf<M>> {
  return new Promise<ReplyOf<M>>((resolve, reject) => {
    client.makeUnaryRequest<RequestOf<M>, ReplyOf<M>>(def.path, def.requestSerialize, def.responseDeserialize, req, metadata, options, (err, res) => (err ? reject(err) : resolve(res!)));
  });
}
