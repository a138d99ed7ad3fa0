// Original file: proto/roster/registry.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { DeregisterRequest as _roster_registry_v1_DeregisterRequest, DeregisterRequest__Output as _roster_registry_v1_DeregisterRequest__Output } from '../../../roster/registry/v1/DeregisterRequest.js';
import type { ListNodesRequest as _roster_registry_v1_ListNodesRequest, ListNodesRequest__Output as _roster_registry_v1_ListNodesRequest__Output } from '../../../roster/registry/v1/ListNodesRequest.js';
import type { ListNodesResponse as _roster_registry_v1_ListNodesResponse, ListNodesResponse__Output as _roster_registry_v1_ListNodesResponse__Output } from '../../../roster/registry/v1/ListNodesResponse.js';
import type { ListServicesRequest as _roster_registry_v1_ListServicesRequest, ListServicesRequest__Output as _roster_registry_v1_ListServicesRequest__Output } from '../../../roster/registry/v1/ListServicesRequest.js';
import type { ListServicesResponse as _roster_registry_v1_ListServicesResponse, ListServicesResponse__Output as _roster_registry_v1_ListServicesResponse__Output } from '../../../roster/registry/v1/ListServicesResponse.js';
import type { NodeServicesRequest as _roster_registry_v1_NodeServicesRequest, NodeServicesRequest__Output as _roster_registry_v1_NodeServicesRequest__Output } from '../../../roster/registry/v1/NodeServicesRequest.js';
import type { NodeServicesResponse as _roster_registry_v1_NodeServicesResponse, NodeServicesResponse__Output as _roster_registry_v1_NodeServicesResponse__Output } from '../../../roster/registry/v1/NodeServicesResponse.js';
import type { RegisterRequest as _roster_registry_v1_RegisterRequest, RegisterRequest__Output as _roster_registry_v1_RegisterRequest__Output } from '../../../roster/registry/v1/RegisterRequest.js';
import type { WriteResponse as _roster_registry_v1_WriteResponse, WriteResponse__Output as _roster_registry_v1_WriteResponse__Output } from '../../../roster/registry/v1/WriteResponse.js';

export interface CatalogClient extends grpc.Client {
  Deregister(argument: _roster_registry_v1_DeregisterRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_registry_v1_WriteResponse__Output>): grpc.ClientUnaryCall;
  Deregister(argument: _roster_registry_v1_DeregisterRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_registry_v1_WriteResponse__Output>): grpc.ClientUnaryCall;
  Deregister(argument: _roster_registry_v1_DeregisterRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_registry_v1_WriteResponse__Output>): grpc.ClientUnaryCall;
  Deregister(argument: _roster_registry_v1_DeregisterRequest, callback: grpc.requestCallback<_roster_registry_v1_WriteResponse__Output>): grpc.ClientUnaryCall;
  deregister(argument: _roster_registry_v1_DeregisterRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_registry_v1_WriteResponse__Output>): grpc.ClientUnaryCall;
  deregister(argument: _roster_registry_v1_DeregisterRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_registry_v1_WriteResponse__Output>): grpc.ClientUnaryCall;
  deregister(argument: _roster_registry_v1_DeregisterRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_registry_v1_WriteResponse__Output>): grpc.ClientUnaryCall;
  deregister(argument: _roster_registry_v1_DeregisterRequest, callback: grpc.requestCallback<_roster_registry_v1_WriteResponse__Output>): grpc.ClientUnaryCall;
  
  ListNodes(argument: _roster_registry_v1_ListNodesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_registry_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  ListNodes(argument: _roster_registry_v1_ListNodesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_registry_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  ListNodes(argument: _roster_registry_v1_ListNodesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_registry_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  ListNodes(argument: _roster_registry_v1_ListNodesRequest, callback: grpc.requestCallback<_roster_registry_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  listNodes(argument: _roster_registry_v1_ListNodesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_registry_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  listNodes(argument: _roster_registry_v1_ListNodesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_registry_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  listNodes(argument: _roster_registry_v1_ListNodesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_registry_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  listNodes(argument: _roster_registry_v1_ListNodesRequest, callback: grpc.requestCallback<_roster_registry_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  
  ListServices(argument: _roster_registry_v1_ListServicesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_registry_v1_ListServicesResponse__Output>): grpc.ClientUnaryCall;
  ListServices(argument: _roster_registry_v1_ListServicesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_registry_v1_ListServicesResponse__Output>): grpc.ClientUnaryCall;
  ListServices(argument: _roster_registry_v1_ListServicesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_registry_v1_ListServicesResponse__Output>): grpc.ClientUnaryCall;
  ListServices(argument: _roster_registry_v1_ListServicesRequest, callback: grpc.requestCallback<_roster_registry_v1_ListServicesResponse__Output>): grpc.ClientUnaryCall;
  listServices(argument: _roster_registry_v1_ListServicesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_registry_v1_ListServicesResponse__Output>): grpc.ClientUnaryCall;
  listServices(argument: _roster_registry_v1_ListServicesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_registry_v1_ListServicesResponse__Output>): grpc.ClientUnaryCall;
  listServices(argument: _roster_registry_v1_ListServicesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_registry_v1_ListServicesResponse__Output>): grpc.ClientUnaryCall;
  listServices(argument: _roster_registry_v1_ListServicesRequest, callback: grpc.requestCallback<_roster_registry_v1_ListServicesResponse__Output>): grpc.ClientUnaryCall;
  
  NodeServices(argument: _roster_registry_v1_NodeServicesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_registry_v1_NodeServicesResponse__Output>): grpc.ClientUnaryCall;
  NodeServices(argument: _roster_registry_v1_NodeServicesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_registry_v1_NodeServicesResponse__Output>): grpc.ClientUnaryCall;
  NodeServices(argument: _roster_registry_v1_NodeServicesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_registry_v1_NodeServicesResponse__Output>): grpc.ClientUnaryCall;
  NodeServices(argument: _roster_registry_v1_NodeServicesRequest, callback: grpc.requestCallback<_roster_registry_v1_NodeServicesResponse__Output>): grpc.ClientUnaryCall;
  nodeServices(argument: _roster_registry_v1_NodeServicesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_registry_v1_NodeServicesResponse__Output>): grpc.ClientUnaryCall;
  nodeServices(argument: _roster_registry_v1_NodeServicesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_registry_v1_NodeServicesResponse__Output>): grpc.ClientUnaryCall;
  nodeServices(argument: _roster_registry_v1_NodeServicesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_registry_v1_NodeServicesResponse__Output>): grpc.ClientUnaryCall;
  nodeServices(argument: _roster_registry_v1_NodeServicesRequest, callback: grpc.requestCallback<_roster_registry_v1_NodeServicesResponse__Output>): grpc.ClientUnaryCall;
  
  Register(argument: _roster_registry_v1_RegisterRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_registry_v1_WriteResponse__Output>): grpc.ClientUnaryCall;
  Register(argument: _roster_registry_v1_RegisterRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_registry_v1_WriteResponse__Output>): grpc.ClientUnaryCall;
  Register(argument: _roster_registry_v1_RegisterRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_registry_v1_WriteResponse__Output>): grpc.ClientUnaryCall;
  Register(argument: _roster_registry_v1_RegisterRequest, callback: grpc.requestCallback<_roster_registry_v1_WriteResponse__Output>): grpc.ClientUnaryCall;
  register(argument: _roster_registry_v1_RegisterRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_registry_v1_WriteResponse__Output>): grpc.ClientUnaryCall;
  register(argument: _roster_registry_v1_RegisterRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_registry_v1_WriteResponse__Output>): grpc.ClientUnaryCall;
  register(argument: _roster_registry_v1_RegisterRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_registry_v1_WriteResponse__Output>): grpc.ClientUnaryCall;
  register(argument: _roster_registry_v1_RegisterRequest, callback: grpc.requestCallback<_roster_registry_v1_WriteResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface CatalogHandlers extends grpc.UntypedServiceImplementation {
  Deregister: grpc.handleUnaryCall<_roster_registry_v1_DeregisterRequest__Output, _roster_registry_v1_WriteResponse>;
  
  ListNodes: grpc.handleUnaryCall<_roster_registry_v1_ListNodesRequest__Output, _roster_registry_v1_ListNodesResponse>;
  
  ListServices: grpc.handleUnaryCall<_roster_registry_v1_ListServicesRequest__Output, _roster_registry_v1_ListServicesResponse>;
  
  NodeServices: grpc.handleUnaryCall<_roster_registry_v1_NodeServicesRequest__Output, _roster_registry_v1_NodeServicesResponse>;
  
  Register: grpc.handleUnaryCall<_roster_registry_v1_RegisterRequest__Output, _roster_registry_v1_WriteResponse>;
  
}

export interface CatalogDefinition extends grpc.ServiceDefinition {
  Deregister: MethodDefinition<_roster_registry_v1_DeregisterRequest, _roster_registry_v1_WriteResponse, _roster_registry_v1_DeregisterRequest__Output, _roster_registry_v1_WriteResponse__Output>
  ListNodes: MethodDefinition<_roster_registry_v1_ListNodesRequest, _roster_registry_v1_ListNodesResponse, _roster_registry_v1_ListNodesRequest__Output, _roster_registry_v1_ListNodesResponse__Output>
  ListServices: MethodDefinition<_roster_registry_v1_ListServicesRequest, _roster_registry_v1_ListServicesResponse, _roster_registry_v1_ListServicesRequest__Output, _roster_registry_v1_ListServicesResponse__Output>
  NodeServices: MethodDefinition<_roster_registry_v1_NodeServicesRequest, _roster_registry_v1_NodeServicesResponse, _roster_registry_v1_NodeServicesRequest__Output, _roster_registry_v1_NodeServicesResponse__Output>
  Register: MethodDefinition<_roster_registry_v1_RegisterRequest, _roster_registry_v1_WriteResponse, _roster_registry_v1_RegisterRequest__Output, _roster_registry_v1_WriteResponse__Output>
}
