// Original file: proto/roster/registry.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CreateSessionRequest as _roster_registry_v1_CreateSessionRequest, CreateSessionRequest__Output as _roster_registry_v1_CreateSessionRequest__Output } from '../../../roster/registry/v1/CreateSessionRequest.js';
import type { CreateSessionResponse as _roster_registry_v1_CreateSessionResponse, CreateSessionResponse__Output as _roster_registry_v1_CreateSessionResponse__Output } from '../../../roster/registry/v1/CreateSessionResponse.js';
import type { ListSessionsRequest as _roster_registry_v1_ListSessionsRequest, ListSessionsRequest__Output as _roster_registry_v1_ListSessionsRequest__Output } from '../../../roster/registry/v1/ListSessionsRequest.js';
import type { ListSessionsResponse as _roster_registry_v1_ListSessionsResponse, ListSessionsResponse__Output as _roster_registry_v1_ListSessionsResponse__Output } from '../../../roster/registry/v1/ListSessionsResponse.js';
import type { SessionInfoRequest as _roster_registry_v1_SessionInfoRequest, SessionInfoRequest__Output as _roster_registry_v1_SessionInfoRequest__Output } from '../../../roster/registry/v1/SessionInfoRequest.js';
import type { SessionRequest as _roster_registry_v1_SessionRequest, SessionRequest__Output as _roster_registry_v1_SessionRequest__Output } from '../../../roster/registry/v1/SessionRequest.js';
import type { SessionResponse as _roster_registry_v1_SessionResponse, SessionResponse__Output as _roster_registry_v1_SessionResponse__Output } from '../../../roster/registry/v1/SessionResponse.js';
import type { WriteResponse as _roster_registry_v1_WriteResponse, WriteResponse__Output as _roster_registry_v1_WriteResponse__Output } from '../../../roster/registry/v1/WriteResponse.js';

export interface SessionsClient extends grpc.Client {
  Create(argument: _roster_registry_v1_CreateSessionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_registry_v1_CreateSessionResponse__Output>): grpc.ClientUnaryCall;
  Create(argument: _roster_registry_v1_CreateSessionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_registry_v1_CreateSessionResponse__Output>): grpc.ClientUnaryCall;
  Create(argument: _roster_registry_v1_CreateSessionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_registry_v1_CreateSessionResponse__Output>): grpc.ClientUnaryCall;
  Create(argument: _roster_registry_v1_CreateSessionRequest, callback: grpc.requestCallback<_roster_registry_v1_CreateSessionResponse__Output>): grpc.ClientUnaryCall;
  create(argument: _roster_registry_v1_CreateSessionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_registry_v1_CreateSessionResponse__Output>): grpc.ClientUnaryCall;
  create(argument: _roster_registry_v1_CreateSessionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_registry_v1_CreateSessionResponse__Output>): grpc.ClientUnaryCall;
  create(argument: _roster_registry_v1_CreateSessionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_registry_v1_CreateSessionResponse__Output>): grpc.ClientUnaryCall;
  create(argument: _roster_registry_v1_CreateSessionRequest, callback: grpc.requestCallback<_roster_registry_v1_CreateSessionResponse__Output>): grpc.ClientUnaryCall;
  
  Destroy(argument: _roster_registry_v1_SessionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_registry_v1_WriteResponse__Output>): grpc.ClientUnaryCall;
  Destroy(argument: _roster_registry_v1_SessionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_registry_v1_WriteResponse__Output>): grpc.ClientUnaryCall;
  Destroy(argument: _roster_registry_v1_SessionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_registry_v1_WriteResponse__Output>): grpc.ClientUnaryCall;
  Destroy(argument: _roster_registry_v1_SessionRequest, callback: grpc.requestCallback<_roster_registry_v1_WriteResponse__Output>): grpc.ClientUnaryCall;
  destroy(argument: _roster_registry_v1_SessionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_registry_v1_WriteResponse__Output>): grpc.ClientUnaryCall;
  destroy(argument: _roster_registry_v1_SessionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_registry_v1_WriteResponse__Output>): grpc.ClientUnaryCall;
  destroy(argument: _roster_registry_v1_SessionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_registry_v1_WriteResponse__Output>): grpc.ClientUnaryCall;
  destroy(argument: _roster_registry_v1_SessionRequest, callback: grpc.requestCallback<_roster_registry_v1_WriteResponse__Output>): grpc.ClientUnaryCall;
  
  Info(argument: _roster_registry_v1_SessionInfoRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_registry_v1_SessionResponse__Output>): grpc.ClientUnaryCall;
  Info(argument: _roster_registry_v1_SessionInfoRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_registry_v1_SessionResponse__Output>): grpc.ClientUnaryCall;
  Info(argument: _roster_registry_v1_SessionInfoRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_registry_v1_SessionResponse__Output>): grpc.ClientUnaryCall;
  Info(argument: _roster_registry_v1_SessionInfoRequest, callback: grpc.requestCallback<_roster_registry_v1_SessionResponse__Output>): grpc.ClientUnaryCall;
  info(argument: _roster_registry_v1_SessionInfoRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_registry_v1_SessionResponse__Output>): grpc.ClientUnaryCall;
  info(argument: _roster_registry_v1_SessionInfoRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_registry_v1_SessionResponse__Output>): grpc.ClientUnaryCall;
  info(argument: _roster_registry_v1_SessionInfoRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_registry_v1_SessionResponse__Output>): grpc.ClientUnaryCall;
  info(argument: _roster_registry_v1_SessionInfoRequest, callback: grpc.requestCallback<_roster_registry_v1_SessionResponse__Output>): grpc.ClientUnaryCall;
  
  List(argument: _roster_registry_v1_ListSessionsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_registry_v1_ListSessionsResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _roster_registry_v1_ListSessionsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_registry_v1_ListSessionsResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _roster_registry_v1_ListSessionsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_registry_v1_ListSessionsResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _roster_registry_v1_ListSessionsRequest, callback: grpc.requestCallback<_roster_registry_v1_ListSessionsResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _roster_registry_v1_ListSessionsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_registry_v1_ListSessionsResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _roster_registry_v1_ListSessionsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_registry_v1_ListSessionsResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _roster_registry_v1_ListSessionsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_registry_v1_ListSessionsResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _roster_registry_v1_ListSessionsRequest, callback: grpc.requestCallback<_roster_registry_v1_ListSessionsResponse__Output>): grpc.ClientUnaryCall;
  
  Renew(argument: _roster_registry_v1_SessionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_registry_v1_SessionResponse__Output>): grpc.ClientUnaryCall;
  Renew(argument: _roster_registry_v1_SessionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_registry_v1_SessionResponse__Output>): grpc.ClientUnaryCall;
  Renew(argument: _roster_registry_v1_SessionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_registry_v1_SessionResponse__Output>): grpc.ClientUnaryCall;
  Renew(argument: _roster_registry_v1_SessionRequest, callback: grpc.requestCallback<_roster_registry_v1_SessionResponse__Output>): grpc.ClientUnaryCall;
  renew(argument: _roster_registry_v1_SessionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_registry_v1_SessionResponse__Output>): grpc.ClientUnaryCall;
  renew(argument: _roster_registry_v1_SessionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_registry_v1_SessionResponse__Output>): grpc.ClientUnaryCall;
  renew(argument: _roster_registry_v1_SessionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_registry_v1_SessionResponse__Output>): grpc.ClientUnaryCall;
  renew(argument: _roster_registry_v1_SessionRequest, callback: grpc.requestCallback<_roster_registry_v1_SessionResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface SessionsHandlers extends grpc.UntypedServiceImplementation {
  Create: grpc.handleUnaryCall<_roster_registry_v1_CreateSessionRequest__Output, _roster_registry_v1_CreateSessionResponse>;
  
  Destroy: grpc.handleUnaryCall<_roster_registry_v1_SessionRequest__Output, _roster_registry_v1_WriteResponse>;
  
  Info: grpc.handleUnaryCall<_roster_registry_v1_SessionInfoRequest__Output, _roster_registry_v1_SessionResponse>;
  
  List: grpc.handleUnaryCall<_roster_registry_v1_ListSessionsRequest__Output, _roster_registry_v1_ListSessionsResponse>;
  
  Renew: grpc.handleUnaryCall<_roster_registry_v1_SessionRequest__Output, _roster_registry_v1_SessionResponse>;
  
}

export interface SessionsDefinition extends grpc.ServiceDefinition {
  Create: MethodDefinition<_roster_registry_v1_CreateSessionRequest, _roster_registry_v1_CreateSessionResponse, _roster_registry_v1_CreateSessionRequest__Output, _roster_registry_v1_CreateSessionResponse__Output>
  Destroy: MethodDefinition<_roster_registry_v1_SessionRequest, _roster_registry_v1_WriteResponse, _roster_registry_v1_SessionRequest__Output, _roster_registry_v1_WriteResponse__Output>
  Info: MethodDefinition<_roster_registry_v1_SessionInfoRequest, _roster_registry_v1_SessionResponse, _roster_registry_v1_SessionInfoRequest__Output, _roster_registry_v1_SessionResponse__Output>
  List: MethodDefinition<_roster_registry_v1_ListSessionsRequest, _roster_registry_v1_ListSessionsResponse, _roster_registry_v1_ListSessionsRequest__Output, _roster_registry_v1_ListSessionsResponse__Output>
  Renew: MethodDefinition<_roster_registry_v1_SessionRequest, _roster_registry_v1_SessionResponse, _roster_registry_v1_SessionRequest__Output, _roster_registry_v1_SessionResponse__Output>
}
