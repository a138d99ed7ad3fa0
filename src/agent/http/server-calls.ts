import type * as grpc from '@grpc/grpc-js';
import type { Dialer } from '../../client/dialer.js';
import { Endpoints } from '../../client/endpoints.js';
import type { MethodName, ReplyOf, RequestOf, ServiceClientCtor } from '../../proto/grpc-service.js';
import { HttpError } from './consul-errors.js';

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

  unary<D extends grpc.ServiceDefinition, M extends MethodName<D>>(ctor: ServiceClientCtor<grpc.Client, D>, method: M, req: RequestOf<D[M]>, md: grpc.Metadata): Promise<ReplyOf<D[M]>> {
    const addrs = this.servers();
    if (addrs.length === 0) throw new HttpError(500, 'No cluster leader');
    if (this.endpoints === undefined) this.endpoints = new Endpoints(addrs, this.dial);
    else this.endpoints.setAddresses(addrs);
    return this.endpoints.unary(ctor, method, req, SERVER_CALL_MS, md);
  }

  close(): void {
    this.endpoints?.close();
  }
}
