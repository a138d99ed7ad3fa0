import type * as grpc from '@grpc/grpc-js';
import type { Dialer } from '../../client/dialer.js';
import { Endpoints } from '../../client/endpoints.js';
import type { MethodName, ReplyOf, RequestOf, ServiceClientCtor } from '../../proto/grpc-service.js';
import { HttpError } from './consul-errors.js';
import { etcdProto } from '../../proto/etcd-proto.js';
import type { WatchResponse__Output } from '../../gen/etcd/etcdserverpb/WatchResponse.js';
import type { WatchCreate } from '../../gen/registry/roster/registry/v1/WatchCreate.js';
import type { WatchResponse__Output as RegistryWatchResponse__Output } from '../../gen/registry/roster/registry/v1/WatchResponse.js';
import { registryProto } from '../../proto/registry-proto.js';
import type { QueryMeta__Output } from '../../gen/registry/roster/registry/v1/QueryMeta.js';

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
    const call = this.currentEndpoints().client(etcdProto().etcdserverpb.Watch).Watch(md);
    const stop = firstSignal(call, (res: WatchResponse__Output) => res.canceled || res.events.length > 0, wake);
    call.write({ createRequest: { key, rangeEnd, startRevision: String(afterRevision + 1) } });
    return stop;
  }

  /**
   * The same for the registry (catalog and health reads): a registry watch on `target` resuming
   * after `afterRevision` wakes on its first change, or when it ends or is refused.
   */
  watchRegistry(target: RegistryTarget, afterRevision: number, md: grpc.Metadata, wake: () => void): () => void {
    const call = this.currentEndpoints().client(registryProto().roster.registry.v1.Watch).Watch(md);
    const stop = firstSignal(call, (res: RegistryWatchResponse__Output) => res.kind === 'CANCELED' || res.changes.length > 0, wake);
    // allowStale: a server cut off from its leader still says when its own copy changes.
    call.write({ create: { watchId: '1', ...target, afterRevision: String(afterRevision), allowStale: true } });
    return stop;
  }

  /**
   * Query metadata at the store's current revision, for an answer about something not there
   * (Consul still gives an index to block on).
   */
  async metaNow(md: grpc.Metadata): Promise<QueryMeta__Output> {
    const status = await this.unary(etcdProto().etcdserverpb.Maintenance, 'Status', {}, md);
    const revision = status.header?.revision ?? '0';
    return { revision, index: revision, servedBy: '', knownLeader: 'yes', lastContactMs: '0', stale: false };
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

/** What a registry watch follows: one of WatchCreate's targets. */
export type RegistryTarget = Pick<WatchCreate, 'service' | 'services' | 'node' | 'nodes' | 'checks' | 'sessions' | 'lock'>;

/** Calls `wake` once: on the first message that `isSignal` says is one, or when the stream errs or ends. Returns how to stop. */
function firstSignal<Req, T>(call: grpc.ClientDuplexStream<Req, T>, isSignal: (res: T) => boolean, wake: () => void): () => void {
  let done = false;
  const fire = (): void => {
    if (done) return;
    done = true;
    wake();
  };
  call.on('data', (res: T) => {
    if (isSignal(res)) fire();
  });
  call.on('error', fire);
  call.on('end', fire);
  return () => {
    done = true;
    call.cancel();
  };
}
