import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { fileURLToPath } from 'node:url';
import type { ProtoGrpcType } from '../gen/registry/registry.js';

const PROTO_DIR = fileURLToPath(new URL('../../proto/', import.meta.url));
/** As src/gen/registry was generated: 64-bit integers as strings (lease ids use the whole range). */
const OPTIONS: protoLoader.Options = { keepCase: false, longs: String, enums: String, defaults: true, oneofs: true, includeDirs: [PROTO_DIR] };

let loaded: ProtoGrpcType | undefined;

/** Roster's registry services (roster.registry.v1), loaded once. */
export function registryProto(): ProtoGrpcType {
  loaded ??= grpc.loadPackageDefinition(protoLoader.loadSync('roster/registry.proto', OPTIONS)) as unknown as ProtoGrpcType;
  return loaded;
}

/** The method definitions of every registry service, by full path. */
export function registryMethods(): Map<string, grpc.MethodDefinition<unknown, unknown>> {
  const p = registryProto().roster.registry.v1;
  const out = new Map<string, grpc.MethodDefinition<unknown, unknown>>();
  for (const svc of [p.Catalog, p.Health, p.Sessions, p.Locks, p.Watch]) {
    for (const def of Object.values(svc.service as grpc.ServiceDefinition)) out.set(def.path, def as grpc.MethodDefinition<unknown, unknown>);
  }
  return out;
}
