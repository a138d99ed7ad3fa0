// Original file: proto/roster/registry.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { TxnRequest as _roster_registry_v1_TxnRequest, TxnRequest__Output as _roster_registry_v1_TxnRequest__Output } from '../../../roster/registry/v1/TxnRequest.js';
import type { TxnResponse as _roster_registry_v1_TxnResponse, TxnResponse__Output as _roster_registry_v1_TxnResponse__Output } from '../../../roster/registry/v1/TxnResponse.js';

export interface TxnClient extends grpc.Client {
  Apply(argument: _roster_registry_v1_TxnRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_registry_v1_TxnResponse__Output>): grpc.ClientUnaryCall;
  Apply(argument: _roster_registry_v1_TxnRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_registry_v1_TxnResponse__Output>): grpc.ClientUnaryCall;
  Apply(argument: _roster_registry_v1_TxnRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_registry_v1_TxnResponse__Output>): grpc.ClientUnaryCall;
  Apply(argument: _roster_registry_v1_TxnRequest, callback: grpc.requestCallback<_roster_registry_v1_TxnResponse__Output>): grpc.ClientUnaryCall;
  apply(argument: _roster_registry_v1_TxnRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_registry_v1_TxnResponse__Output>): grpc.ClientUnaryCall;
  apply(argument: _roster_registry_v1_TxnRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_registry_v1_TxnResponse__Output>): grpc.ClientUnaryCall;
  apply(argument: _roster_registry_v1_TxnRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_registry_v1_TxnResponse__Output>): grpc.ClientUnaryCall;
  apply(argument: _roster_registry_v1_TxnRequest, callback: grpc.requestCallback<_roster_registry_v1_TxnResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface TxnHandlers extends grpc.UntypedServiceImplementation {
  Apply: grpc.handleUnaryCall<_roster_registry_v1_TxnRequest__Output, _roster_registry_v1_TxnResponse>;
  
}

export interface TxnDefinition extends grpc.ServiceDefinition {
  Apply: MethodDefinition<_roster_registry_v1_TxnRequest, _roster_registry_v1_TxnResponse, _roster_registry_v1_TxnRequest__Output, _roster_registry_v1_TxnResponse__Output>
}
