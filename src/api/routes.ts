import type * as grpc from '@grpc/grpc-js';
import type { CallContext } from './call-context.js';

export type UnaryHandler = (req: never, ctx: CallContext) => Promise<unknown>;
export type ServerStreamHandler = (req: never, ctx: CallContext) => AsyncIterable<unknown>;
export type DuplexHandler = (call: grpc.ServerDuplexStream<never, unknown>) => void;
/** A forward to the leader, for handlers that must run there. */
export type ForwardCall = (path: string, req: unknown, ctx: CallContext) => Promise<unknown>;

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

  /** Adds unary handlers for one service: `prefix` is "/package.Service/". */
  addUnary(prefix: string, handlers: Readonly<Record<string, UnaryHandler>>): void {
    for (const [name, h] of Object.entries(handlers)) this.unary.set(`${prefix}${name}`, h);
  }
}
