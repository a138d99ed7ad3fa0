import type * as grpc from '@grpc/grpc-js';
import type { Dialer } from '../../client/dialer.js';
import { Endpoints } from '../../client/endpoints.js';
import type { MethodName, ReplyOf, RequestOf, ServiceClientCtor } from '../../proto/grpc-service.js';
import { HttpError } from './consul-errors.js';
import { etcdProto } from '../../proto/etcd-proto.js';
import type { WatchResponse__Output } from '../../gen/etcd/etcdserverpb/WatchResponse.js';

/** Deadline of one call to a server from the HTTP API. */
export const SERVER_CALL_MS = 10_000;

/**
 * Unary calls from the HTTP API to the servers (as gossip knows them now), each with the
 * caller's metadata: its ACL token reaches the server, which decides.
 */
export class ServerCalls {
  private endpoints: Endpoints | undefined;

  constructor(
    private readonly servers: () => readonly string[],
    private readonly dial: Dialer,
  ) {}

  /**
   * Calls `wake` when a key in [key, rangeEnd) changes at a revision after `afterRevision`, or
   * when the watch cannot say (compacted past it, refused, broken): an etcd watch on the
   * servers, the blocking KV query's trigger. Returns how to stop it.
   */
  watchKeys(key: Buffer, rangeEnd: Buffer, afterRevision: number, md: grpc.Metadata, wake: () => void): () => void {
    const endpoints = this.currentEndpoints();
    const client = endpoints.client(etcdProto().etcdserverpb.Watch);
    const call = client.Watch(md);
    let done = false;
    const fire = (): void => {
      if (done) return;
      done = true;
      wake();
    };
    call.on('data', (res: WatchResponse__Output) => {
      if (res.canceled || res.events.length > 0) fire();
    });
    call.on('error', fire);
    call.on('end', fire);
    call.write({ createRequest: { key, rangeEnd, startRevision: String(afterRevision + 1) } });
    return () => {
      done = true;
      call.cancel();
    };
  }

  unary<D extends grpc.ServiceDefinition, M extends MethodName<D>>(ctor: ServiceClientCtor<grpc.Client, D>, method: M, req: RequestOf<D[M]>, md: grpc.Metadata): Promise<ReplyOf<D[M]>> {
    return this.currentEndpoints().unary(ctor, method, req, SERVER_CALL_MS, md);
  }

  private currentEndpoints(): Endpoints {
    const addrs = this.servers();
    if (addrs.length === 0) throw new HttpError(500, 'No cluster leader');
    if (this.endpoints === undefined) this.endpoints = new Endpoints(addrs, this.dial);
    else this.endpoints.setAddresses(addrs);
    return this.endpoints;
  }

  close(): void {
    this.endpoints?.close();
  }
}
