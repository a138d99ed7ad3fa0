import type { ProtoGrpcType } from '../gen/agent/agent.js';
import { grpcPackage } from './grpc-package.js';

/** Roster's client agent API (roster.agent.v1), loaded once. */
export const agentProto = grpcPackage<ProtoGrpcType>('roster/agent.proto', Number);
