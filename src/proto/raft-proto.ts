import type { ProtoGrpcType } from '../gen/roster/raft.js';
import { grpcPackage } from './grpc-package.js';

/** Roster's Raft peer protocol (roster.raft.v1: streams, snapshots, forwarding), loaded once. */
export const raftProto = grpcPackage<ProtoGrpcType>('roster/raft.proto', Number);
