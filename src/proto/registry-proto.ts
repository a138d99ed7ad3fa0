import type * as grpc from '@grpc/grpc-js';
import type { ProtoGrpcType } from '../gen/registry/registry.js';
import { grpcPackage, methodsOf } from './grpc-package.js';

/** Roster's registry services (roster.registry.v1), loaded once; as src/gen/registry was generated, 64-bit integers as strings (lease ids use the whole range). */
export const registryProto = grpcPackage<ProtoGrpcType>('roster/registry.proto', String);

/** The method definitions of every registry service, by full path. */
export function registryMethods(): Map<string, grpc.MethodDefinition<unknown, unknown>> {
  const p = registryProto().roster.registry.v1;
  return methodsOf([p.Catalog, p.Health, p.Sessions, p.Locks, p.Watch]);
}
