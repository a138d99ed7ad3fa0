import type * as grpc from '@grpc/grpc-js';
import type { MethodDefinition } from '@grpc/proto-loader';

/**
 * A service's client constructor as src/gen describes it (ProtoGrpcType's
 * `SubtypeConstructor<typeof grpc.Client, XClient> & { service: XDefinition }`): what the SDK,
 * the CLI, the agent and the transport dial, typed by its client and its method definitions.
 */
export interface ServiceClientCtor<C extends grpc.Client = grpc.Client, D extends grpc.ServiceDefinition = grpc.ServiceDefinition> {
  new (address: string, credentials: grpc.ChannelCredentials, options?: grpc.ClientOptions): C;
  readonly service: D;
}

/** The names of a service's methods. */
export type MethodName<D> = keyof D & string;

/** The request a caller sends to method `M` (src/gen's input type: fields optional). */
export type RequestOf<M> = M extends MethodDefinition<infer Req, infer _Res, infer _ReqOut, infer _ResOut> ? Req : never;

/** The reply a caller receives from method `M`, as decoded (src/gen's __Output type). */
export type ReplyOf<M> = M extends MethodDefinition<infer _Req, infer _Res, infer _ReqOut, infer ResOut> ? ResOut : never;

/** The request a server's handler of method `M` receives, as decoded (src/gen's __Output type). */
export type DecodedRequestOf<M> = M extends MethodDefinition<infer _Req, infer _Res, infer ReqOut, infer _ResOut> ? ReqOut : never;
