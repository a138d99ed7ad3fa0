import type { ProtoGrpcType } from '../gen/roster/acl.js';
import { grpcPackage } from './grpc-package.js';

/** Roster's ACL service (roster.acl.v1), loaded once. */
export const aclProto = grpcPackage<ProtoGrpcType>('roster/acl.proto', Number);
