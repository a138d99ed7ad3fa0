import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { fileURLToPath } from 'node:url';
import type { ProtoGrpcType } from '../gen/etcd/rpc.js';

const PROTO_DIR = fileURLToPath(new URL('../../proto/', import.meta.url));

/** Loader options matching how src/gen/etcd was generated: 64-bit integers as strings. */
const OPTIONS: protoLoader.Options = { keepCase: false, longs: String, enums: String, defaults: true, oneofs: true, includeDirs: [PROTO_DIR] };

let loaded: ProtoGrpcType | undefined;

/** etcd's v3 services (etcdserverpb), loaded once. */
export function etcdProto(): ProtoGrpcType {
  loaded ??= grpc.loadPackageDefinition(protoLoader.loadSync(['etcd/etcdserverpb/rpc.proto'], OPTIONS)) as unknown as ProtoGrpcType;
  return loaded;
}

/** The method definitions of every served etcd service, by full path ("/etcdserverpb.KV/Put"). */
export function etcdMethods(): Map<string, grpc.MethodDefinition<unknown, unknown>> {
  const p = etcdProto().etcdserverpb;
  const out = new Map<string, grpc.MethodDefinition<unknown, unknown>>();
  for (const svc of [p.KV, p.Cluster, p.Maintenance, p.Lease]) {
    for (const def of Object.values(svc.service as grpc.ServiceDefinition)) out.set(def.path, def as grpc.MethodDefinition<unknown, unknown>);
  }
  return out;
}
