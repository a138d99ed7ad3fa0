import type * as grpc from '@grpc/grpc-js';
import type { ProtoGrpcType } from '../gen/etcd/rpc.js';
import { grpcPackage, methodsOf } from './grpc-package.js';

/** etcd's v3 services (etcdserverpb), loaded once; as src/gen/etcd was generated, 64-bit integers as strings. */
export const etcdProto = grpcPackage<ProtoGrpcType>('etcd/etcdserverpb/rpc.proto', String);

/** The method definitions of every served etcd service, by full path ("/etcdserverpb.KV/Put"). */
export function etcdMethods(): Map<string, grpc.MethodDefinition<unknown, unknown>> {
  const p = etcdProto().etcdserverpb;
  return methodsOf([p.KV, p.Cluster, p.Maintenance, p.Lease]);
}
