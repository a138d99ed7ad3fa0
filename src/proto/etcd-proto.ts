import type { ProtoGrpcType } from '../gen/etcd/rpc.js';
import { grpcPackage } from './grpc-package.js';

/** etcd's v3 services (etcdserverpb), loaded once; as src/gen/etcd was generated, 64-bit integers as strings. */
export const etcdProto = grpcPackage<ProtoGrpcType>('etcd/etcdserverpb/rpc.proto', String);
