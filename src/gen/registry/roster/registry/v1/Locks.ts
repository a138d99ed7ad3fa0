// Original file: proto/roster/registry.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AcquireRequest as _roster_registry_v1_AcquireRequest, AcquireRequest__Output as _roster_registry_v1_AcquireRequest__Output } from '../../../roster/registry/v1/AcquireRequest.js';
import type { AcquireResponse as _roster_registry_v1_AcquireResponse, AcquireResponse__Output as _roster_registry_v1_AcquireResponse__Output } from '../../../roster/registry/v1/AcquireResponse.js';
import type { GetLockRequest as _roster_registry_v1_GetLockRequest, GetLockRequest__Output as _roster_registry_v1_GetLockRequest__Output } from '../../../roster/registry/v1/GetLockRequest.js';
import type { GetLockResponse as _roster_registry_v1_GetLockResponse, GetLockResponse__Output as _roster_registry_v1_GetLockResponse__Output } from '../../../roster/registry/v1/GetLockResponse.js';
import type { ReleaseRequest as _roster_registry_v1_ReleaseRequest, ReleaseRequest__Output as _roster_registry_v1_ReleaseRequest__Output } from '../../../roster/registry/v1/ReleaseRequest.js';
import type { ReleaseResponse as _roster_registry_v1_ReleaseResponse, ReleaseResponse__Output as _roster_registry_v1_ReleaseResponse__Output } from '../../../roster/registry/v1/ReleaseResponse.js';

export interface LocksClient extends grpc.Client {
  Acquire(argument: _roster_registry_v1_AcquireRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_registry_v1_AcquireResponse__Output>): grpc.ClientUnaryCall;
  Acquire(argument: _roster_registry_v1_AcquireRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_registry_v1_AcquireResponse__Output>): grpc.ClientUnaryCall;
  Acquire(argument: _roster_registry_v1_AcquireRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_registry_v1_AcquireResponse__Output>): grpc.ClientUnaryCall;
  Acquire(argument: _roster_registry_v1_AcquireRequest, callback: grpc.requestCallback<_roster_registry_v1_AcquireResponse__Output>): grpc.ClientUnaryCall;
  acquire(argument: _roster_registry_v1_AcquireRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_registry_v1_AcquireResponse__Output>): grpc.ClientUnaryCall;
  acquire(argument: _roster_registry_v1_AcquireRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_registry_v1_AcquireResponse__Output>): grpc.ClientUnaryCall;
  acquire(argument: _roster_registry_v1_AcquireRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_registry_v1_AcquireResponse__Output>): grpc.ClientUnaryCall;
  acquire(argument: _roster_registry_v1_AcquireRequest, callback: grpc.requestCallback<_roster_registry_v1_AcquireResponse__Output>): grpc.ClientUnaryCall;
  
  Get(argument: _roster_registry_v1_GetLockRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_registry_v1_GetLockResponse__Output>): grpc.ClientUnaryCall;
  Get(argument: _roster_registry_v1_GetLockRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_registry_v1_GetLockResponse__Output>): grpc.ClientUnaryCall;
  Get(argument: _roster_registry_v1_GetLockRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_registry_v1_GetLockResponse__Output>): grpc.ClientUnaryCall;
  Get(argument: _roster_registry_v1_GetLockRequest, callback: grpc.requestCallback<_roster_registry_v1_GetLockResponse__Output>): grpc.ClientUnaryCall;
  get(argument: _roster_registry_v1_GetLockRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_registry_v1_GetLockResponse__Output>): grpc.ClientUnaryCall;
  get(argument: _roster_registry_v1_GetLockRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_registry_v1_GetLockResponse__Output>): grpc.ClientUnaryCall;
  get(argument: _roster_registry_v1_GetLockRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_registry_v1_GetLockResponse__Output>): grpc.ClientUnaryCall;
  get(argument: _roster_registry_v1_GetLockRequest, callback: grpc.requestCallback<_roster_registry_v1_GetLockResponse__Output>): grpc.ClientUnaryCall;
  
  Release(argument: _roster_registry_v1_ReleaseRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_registry_v1_ReleaseResponse__Output>): grpc.ClientUnaryCall;
  Release(argument: _roster_registry_v1_ReleaseRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_registry_v1_ReleaseResponse__Output>): grpc.ClientUnaryCall;
  Release(argument: _roster_registry_v1_ReleaseRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_registry_v1_ReleaseResponse__Output>): grpc.ClientUnaryCall;
  Release(argument: _roster_registry_v1_ReleaseRequest, callback: grpc.requestCallback<_roster_registry_v1_ReleaseResponse__Output>): grpc.ClientUnaryCall;
  release(argument: _roster_registry_v1_ReleaseRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_registry_v1_ReleaseResponse__Output>): grpc.ClientUnaryCall;
  release(argument: _roster_registry_v1_ReleaseRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_registry_v1_ReleaseResponse__Output>): grpc.ClientUnaryCall;
  release(argument: _roster_registry_v1_ReleaseRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_registry_v1_ReleaseResponse__Output>): grpc.ClientUnaryCall;
  release(argument: _roster_registry_v1_ReleaseRequest, callback: grpc.requestCallback<_roster_registry_v1_ReleaseResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface LocksHandlers extends grpc.UntypedServiceImplementation {
  Acquire: grpc.handleUnaryCall<_roster_registry_v1_AcquireRequest__Output, _roster_registry_v1_AcquireResponse>;
  
  Get: grpc.handleUnaryCall<_roster_registry_v1_GetLockRequest__Output, _roster_registry_v1_GetLockResponse>;
  
  Release: grpc.handleUnaryCall<_roster_registry_v1_ReleaseRequest__Output, _roster_registry_v1_ReleaseResponse>;
  
}

export interface LocksDefinition extends grpc.ServiceDefinition {
  Acquire: MethodDefinition<_roster_registry_v1_AcquireRequest, _roster_registry_v1_AcquireResponse, _roster_registry_v1_AcquireRequest__Output, _roster_registry_v1_AcquireResponse__Output>
  Get: MethodDefinition<_roster_registry_v1_GetLockRequest, _roster_registry_v1_GetLockResponse, _roster_registry_v1_GetLockRequest__Output, _roster_registry_v1_GetLockResponse__Output>
  Release: MethodDefinition<_roster_registry_v1_ReleaseRequest, _roster_registry_v1_ReleaseResponse, _roster_registry_v1_ReleaseRequest__Output, _roster_registry_v1_ReleaseResponse__Output>
}
