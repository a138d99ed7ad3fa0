import type { ProtoGrpcType } from '../gen/roster/operator.js';
import { grpcPackage } from './grpc-package.js';

/** Roster's Operator service (roster.operator.v1), loaded once. */
export const operatorProto = grpcPackage<ProtoGrpcType>('roster/operator.proto', Number);
