import type { ProtoGrpcType } from '../gen/registry/registry.js';
import { grpcPackage } from './grpc-package.js';

/** Roster's registry services (roster.registry.v1), loaded once; as src/gen/registry was generated, 64-bit integers as strings (lease ids use the whole range). */
export const registryProto = grpcPackage<ProtoGrpcType>('roster/registry.proto', String);
