import type * as grpc from '@grpc/grpc-js';
import type { AnyMethodDefinition, DecodedRequestOf, MethodName, ReplyOf, ReplyToSendOf, RequestOf } from '../proto/grpc-service.js';
import type { AccessRule } from './access/access-rules.js';
import type { Authorizer } from '../store/acl/authorizer.js';
import type { CallContext } from './call-context.js';

/** A unary handler as the server runs it: grpc-js hands every request over untyped. */
export type UnaryHandler = (req: unknown, ctx: CallContext) => Promise<unknown>;
export type ServerStreamHandler = (req: unknown, ctx: CallContext) => AsyncIterable<unknown>;
/** A bidirectional handler, given the authorizer of the stream's token (checked against the method's rule at open). */
export type DuplexHandler = (call: grpc.ServerDuplexStream<unknown, unknown>, authz: Authorizer) => void;
/** A forward to the leader of a call to method `def`, for handlers that must run there. */
export type ForwardCall = <M extends AnyMethodDefinition>(def: M, req: RequestOf<M>, ctx: CallContext) => Promise<ReplyOf<M>>;

/** A service as src/gen types it: its method definitions. */
export interface ServiceOf<D extends grpc.ServiceDefinition> {
  readonly service: D;
}

/** Handlers of a service's unary methods, each taking its method's request and giving its reply, as src/gen types them. */
export type UnaryHandlers<D extends grpc.ServiceDefinition> = {
  readonly [M in MethodName<D>]?: (req: DecodedRequestOf<D[M]>, ctx: CallContext) => Promise<ReplyToSendOf<D[M]>>;
};

/**
 * The public API's routing table, by full method path ("/etcdserverpb.KV/Put"). Each family of
 * services (etcd's, the registry's, the operator's) adds its handlers and its service
 * definitions; the server serves them all on one port.
 */
export class Routes {
  readonly unary = new Map<string, UnaryHandler>();
  readonly serverStream = new Map<string, ServerStreamHandler>();
  readonly duplex = new Map<string, DuplexHandler>();
  readonly services: grpc.ServiceDefinition[] = [];
  /** Every method's definition: serializers for forwarding a call to the leader. */
  readonly methods = new Map<string, grpc.MethodDefinition<unknown, unknown>>();
  /** What each method needs of its caller's token, by path: every served method must have one. */
  readonly access = new Map<string, AccessRule>();
  /** Run when the server stops. */
  readonly onStop: (() => void)[] = [];
  /** Load gauges by name ("watch.etcd_streams"), read by the operator's Stats. */
  readonly gauges = new Map<string, () => number>();
  /** Requests refused by a configured limit, by the limit's flag name ("max-response-bytes"). */
  readonly limitRefusals = new Map<string, number>();

  /** Counts a refusal by `limit` (a flag name): its metric shows which limit is being hit. */
  refusedBy(limit: string): void {
    this.limitRefusals.set(limit, (this.limitRefusals.get(limit) ?? 0) + 1);
  }

  addService(def: grpc.ServiceDefinition): void {
    this.services.push(def);
    for (const m of Object.values(def)) this.methods.set(m.path, m as grpc.MethodDefinition<unknown, unknown>);
  }

  /** Sets the access rules of `svc`'s methods (by name). */
  guard<D extends grpc.ServiceDefinition>(svc: ServiceOf<D>, rules: { readonly [M in MethodName<D>]?: AccessRule }): void {
    for (const [name, rule] of Object.entries(rules) as [MethodName<D>, AccessRule][]) this.access.set(svc.service[name]!.path, rule);
  }

  /** Gives every method of `svc` that has no rule yet `rule` (what is not mapped yet: 'operator'). */
  guardRest(svc: { readonly service: grpc.ServiceDefinition }, rule: AccessRule): void {
    for (const m of Object.values(svc.service)) if (!this.access.has(m.path)) this.access.set(m.path, rule);
  }

  /** The paths of served methods with no access rule (the server refuses to start with any). */
  unguarded(): string[] {
    return this.services.flatMap((svc) => Object.values(svc).map((m) => m.path)).filter((p) => !this.access.has(p));
  }

  /** Adds unary handlers for some of `svc`'s methods, each at its method's path. */
  addUnary<D extends grpc.ServiceDefinition>(svc: ServiceOf<D>, handlers: UnaryHandlers<D>): void {
    for (const name of Object.keys(handlers) as MethodName<D>[]) {
      const handle = handlers[name]!;
      // The request was decoded by this method's definition (by grpc-js, or by handleForwarded).
      this.unary.set(svc.service[name]!.path, (req, ctx) => handle(req as DecodedRequestOf<D[typeof name]>, ctx));
    }
  }

  /** Adds the handler of `svc`'s bidirectional method `method`; `Res` is what it writes (a message, or bytes encoded once). */
  addDuplex<D extends grpc.ServiceDefinition, M extends MethodName<D>, Res>(svc: ServiceOf<D>, method: M, handle: (call: grpc.ServerDuplexStream<DecodedRequestOf<D[M]>, Res>, authz: Authorizer) => void): void {
    // grpc-js hands the call over untyped; its messages are decoded by this method's definition.
    this.duplex.set(svc.service[method]!.path, (call, authz) => handle(call, authz));
  }
}
