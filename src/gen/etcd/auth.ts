// @ts-nocheck generated loader typings
import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { Permission as _authpb_Permission, Permission__Output as _authpb_Permission__Output } from './authpb/Permission.js';
import type { UserAddOptions as _authpb_UserAddOptions, UserAddOptions__Output as _authpb_UserAddOptions__Output } from './authpb/UserAddOptions.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  authpb: {
    Permission: MessageTypeDefinition<_authpb_Permission, _authpb_Permission__Output>
    UserAddOptions: MessageTypeDefinition<_authpb_UserAddOptions, _authpb_UserAddOptions__Output>
  }
}

