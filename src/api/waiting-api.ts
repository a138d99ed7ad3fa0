import * as grpc from '@grpc/grpc-js';
import { aclProto } from '../proto/acl-proto.js';
import { etcdProto } from '../proto/etcd-proto.js';
import { operatorProto } from '../proto/operator-proto.js';
import { registryProto } from '../proto/registry-proto.js';
import { listenGrpc, type ListenerTls } from '../tls/tls-listener.js';

/**
 * Trailing metadata of every answer of a waiting server: another server deciding its own
 * founding (bootstrap-expect.ts) reads it as "not decided yet", the same as a closed port.
 */
export const WAITING_MARK = 'roster-waiting';

export interface WaitingApi {
  stop(): Promise<void>;
}

/**
 * The client port of a server that has not started its Raft node yet (it waits for
 * --bootstrap-expect servers): every method of the public API answers UNAVAILABLE with `reason()`
 * (what it waits for, and what it has seen), so a client or an operator is told why instead of
 * meeting a closed port. Stopped before the real API binds the same address.
 */
export async function startWaitingApi(listen: string, tls: ListenerTls | undefined, reason: () => string): Promise<WaitingApi> {
  const server = new grpc.Server();
  const refusal = (): Partial<grpc.StatusObject> => {
    const metadata = new grpc.Metadata();
    metadata.set(WAITING_MARK, 'bootstrap');
    // Not executed, and not worth waiting for: clients try another server (retry-policy.ts).
    metadata.set('roster-error-code', 'BOOTSTRAPPING');
    return { code: grpc.status.UNAVAILABLE, details: reason(), metadata };
  };
  const etcd = etcdProto().etcdserverpb;
  const registry = registryProto().roster.registry.v1;
  const services: grpc.ServiceDefinition[] = [
    ...[etcd.KV, etcd.Watch, etcd.Lease, etcd.Cluster, etcd.Maintenance, etcd.Auth].map((s) => s.service),
    ...[registry.Catalog, registry.Health, registry.Sessions, registry.Locks, registry.Txn, registry.Watch].map((s) => s.service),
    operatorProto().roster.operator.v1.Operator.service,
    aclProto().roster.acl.v1.Acl.service,
  ];
  for (const def of services) {
    const impl: grpc.UntypedServiceImplementation = {};
    for (const [name, m] of Object.entries(def)) {
      impl[name] = m.requestStream || m.responseStream
        ? (call: grpc.ServerWritableStream<unknown, unknown>) => call.emit('error', refusal())
        : (_call: grpc.ServerUnaryCall<unknown, unknown>, cb: grpc.sendUnaryData<unknown>) => cb(refusal(), null);
    }
    server.addService(def, impl);
  }
  const listener = await listenGrpc(server, listen, tls);
  return {
    stop: async () => {
      listener.stopAccepting();
      // Calls are answered at once; a client that keeps its connection open is not waited for long.
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 500);
        server.tryShutdown(() => {
          clearTimeout(t);
          resolve();
        });
      });
      server.forceShutdown();
      listener.close();
    },
  };
}
