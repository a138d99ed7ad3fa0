// Original file: proto/roster/registry.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { ChecksRequest as _roster_registry_v1_ChecksRequest, ChecksRequest__Output as _roster_registry_v1_ChecksRequest__Output } from '../../../roster/registry/v1/ChecksRequest.js';
import type { ChecksResponse as _roster_registry_v1_ChecksResponse, ChecksResponse__Output as _roster_registry_v1_ChecksResponse__Output } from '../../../roster/registry/v1/ChecksResponse.js';
import type { ServiceInstancesRequest as _roster_registry_v1_ServiceInstancesRequest, ServiceInstancesRequest__Output as _roster_registry_v1_ServiceInstancesRequest__Output } from '../../../roster/registry/v1/ServiceInstancesRequest.js';
import type { ServiceInstancesResponse as _roster_registry_v1_ServiceInstancesResponse, ServiceInstancesResponse__Output as _roster_registry_v1_ServiceInstancesResponse__Output } from '../../../roster/registry/v1/ServiceInstancesResponse.js';
import type { UpdateTtlRequest as _roster_registry_v1_UpdateTtlRequest, UpdateTtlRequest__Output as _roster_registry_v1_UpdateTtlRequest__Output } from '../../../roster/registry/v1/UpdateTtlRequest.js';
import type { UpdateTtlResponse as _roster_registry_v1_UpdateTtlResponse, UpdateTtlResponse__Output as _roster_registry_v1_UpdateTtlResponse__Output } from '../../../roster/registry/v1/UpdateTtlResponse.js';

export interface HealthClient extends grpc.Client {
  Checks(argument: _roster_registry_v1_ChecksRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_registry_v1_ChecksResponse__Output>): grpc.ClientUnaryCall;
  Checks(argument: _roster_registry_v1_ChecksRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_registry_v1_ChecksResponse__Output>): grpc.ClientUnaryCall;
  Checks(argument: _roster_registry_v1_ChecksRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_registry_v1_ChecksResponse__Output>): grpc.ClientUnaryCall;
  Checks(argument: _roster_registry_v1_ChecksRequest, callback: grpc.requestCallback<_roster_registry_v1_ChecksResponse__Output>): grpc.ClientUnaryCall;
  checks(argument: _roster_registry_v1_ChecksRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_registry_v1_ChecksResponse__Output>): grpc.ClientUnaryCall;
  checks(argument: _roster_registry_v1_ChecksRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_registry_v1_ChecksResponse__Output>): grpc.ClientUnaryCall;
  checks(argument: _roster_registry_v1_ChecksRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_registry_v1_ChecksResponse__Output>): grpc.ClientUnaryCall;
  checks(argument: _roster_registry_v1_ChecksRequest, callback: grpc.requestCallback<_roster_registry_v1_ChecksResponse__Output>): grpc.ClientUnaryCall;
  
  ServiceInstances(argument: _roster_registry_v1_ServiceInstancesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_registry_v1_ServiceInstancesResponse__Output>): grpc.ClientUnaryCall;
  ServiceInstances(argument: _roster_registry_v1_ServiceInstancesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_registry_v1_ServiceInstancesResponse__Output>): grpc.ClientUnaryCall;
  ServiceInstances(argument: _roster_registry_v1_ServiceInstancesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_registry_v1_ServiceInstancesResponse__Output>): grpc.ClientUnaryCall;
  ServiceInstances(argument: _roster_registry_v1_ServiceInstancesRequest, callback: grpc.requestCallback<_roster_registry_v1_ServiceInstancesResponse__Output>): grpc.ClientUnaryCall;
  serviceInstances(argument: _roster_registry_v1_ServiceInstancesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_registry_v1_ServiceInstancesResponse__Output>): grpc.ClientUnaryCall;
  serviceInstances(argument: _roster_registry_v1_ServiceInstancesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_registry_v1_ServiceInstancesResponse__Output>): grpc.ClientUnaryCall;
  serviceInstances(argument: _roster_registry_v1_ServiceInstancesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_registry_v1_ServiceInstancesResponse__Output>): grpc.ClientUnaryCall;
  serviceInstances(argument: _roster_registry_v1_ServiceInstancesRequest, callback: grpc.requestCallback<_roster_registry_v1_ServiceInstancesResponse__Output>): grpc.ClientUnaryCall;
  
  UpdateTtl(argument: _roster_registry_v1_UpdateTtlRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_registry_v1_UpdateTtlResponse__Output>): grpc.ClientUnaryCall;
  UpdateTtl(argument: _roster_registry_v1_UpdateTtlRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_registry_v1_UpdateTtlResponse__Output>): grpc.ClientUnaryCall;
  UpdateTtl(argument: _roster_registry_v1_UpdateTtlRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_registry_v1_UpdateTtlResponse__Output>): grpc.ClientUnaryCall;
  UpdateTtl(argument: _roster_registry_v1_UpdateTtlRequest, callback: grpc.requestCallback<_roster_registry_v1_UpdateTtlResponse__Output>): grpc.ClientUnaryCall;
  updateTtl(argument: _roster_registry_v1_UpdateTtlRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_registry_v1_UpdateTtlResponse__Output>): grpc.ClientUnaryCall;
  updateTtl(argument: _roster_registry_v1_UpdateTtlRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_registry_v1_UpdateTtlResponse__Output>): grpc.ClientUnaryCall;
  updateTtl(argument: _roster_registry_v1_UpdateTtlRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_registry_v1_UpdateTtlResponse__Output>): grpc.ClientUnaryCall;
  updateTtl(argument: _roster_registry_v1_UpdateTtlRequest, callback: grpc.requestCallback<_roster_registry_v1_UpdateTtlResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface HealthHandlers extends grpc.UntypedServiceImplementation {
  Checks: grpc.handleUnaryCall<_roster_registry_v1_ChecksRequest__Output, _roster_registry_v1_ChecksResponse>;
  
  ServiceInstances: grpc.handleUnaryCall<_roster_registry_v1_ServiceInstancesRequest__Output, _roster_registry_v1_ServiceInstancesResponse>;
  
  UpdateTtl: grpc.handleUnaryCall<_roster_registry_v1_UpdateTtlRequest__Output, _roster_registry_v1_UpdateTtlResponse>;
  
}

export interface HealthDefinition extends grpc.ServiceDefinition {
  Checks: MethodDefinition<_roster_registry_v1_ChecksRequest, _roster_registry_v1_ChecksResponse, _roster_registry_v1_ChecksRequest__Output, _roster_registry_v1_ChecksResponse__Output>
  ServiceInstances: MethodDefinition<_roster_registry_v1_ServiceInstancesRequest, _roster_registry_v1_ServiceInstancesResponse, _roster_registry_v1_ServiceInstancesRequest__Output, _roster_registry_v1_ServiceInstancesResponse__Output>
  UpdateTtl: MethodDefinition<_roster_registry_v1_UpdateTtlRequest, _roster_registry_v1_UpdateTtlResponse, _roster_registry_v1_UpdateTtlRequest__Output, _roster_registry_v1_UpdateTtlResponse__Output>
}
