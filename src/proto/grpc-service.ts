import type * as grpc from '@grpc/grpc-js';

/**
 * A service's client constructor as src/gen describes it (ProtoGrpcType's
 * `SubtypeConstructor<typeof grpc.Client, XClient> & { service: XDefinition }`): what the SDK,
 * the CLI, the agent and the transport dial, typed by its client and its method definitions.
 */
export interface ServiceClientCtor<C extends grpc.Client = grpc.Client, D extends grpc.ServiceDefinition = grpc.ServiceDefinition> {
  new (address: string, credentials: grpc.ChannelCredentials, options?: grpc.ClientOptions): C;
  readonly service: D;
}

/**
 * Any method definition, whatever its message types: the constraint of code generic over methods.
 * `unknown` would not do: a definition's deserializers return its types, and unknown is not them.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyMethodDefinition = grpc.MethodDefinition<any, any>;

/** The methods a service declares (its definition type without grpc.ServiceDefinition's index signature). */
type DeclaredMethod<D> = keyof { [K in keyof D as string extends K ? never : K]: unknown } & string;

/** The names of a service's methods: those it declares, or any name for an untyped definition. */
export type MethodName<D> = [DeclaredMethod<D>] extends [never] ? string : DeclaredMethod<D>;

// Read from the serializers, which grpc-js's and proto-loader's method definitions both carry
// (an untyped grpc.ServiceClientConstructor gives `any`).

/** The request a caller sends to method `M` (src/gen's input type: fields optional). */
export type RequestOf<M> = M extends { requestSerialize: (value: infer Req) => Buffer } ? Req : never;

/** The reply a caller receives from method `M`, as decoded (src/gen's __Output type). */
export type ReplyOf<M> = M extends { responseDeserialize: (bytes: Buffer) => infer Res } ? Res : never;

/** The request a server's handler of method `M` receives, as decoded (src/gen's __Output type). */
export type DecodedRequestOf<M> = M extends { requestDeserialize: (bytes: Buffer) => infer Req } ? Req : never;

/** The reply a server's handler of method `M` gives (src/gen's input type: fields optional). */
export type ReplyToSendOf<M> = M extends { responseSerialize: (value: infer Res) => Buffer } ? Res : never;
