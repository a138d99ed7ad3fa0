// Original file: proto/roster/agent.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AgentServiceResponse as _roster_agent_v1_AgentServiceResponse, AgentServiceResponse__Output as _roster_agent_v1_AgentServiceResponse__Output } from '../../../roster/agent/v1/AgentServiceResponse.js';
import type { DeregisterServiceRequest as _roster_agent_v1_DeregisterServiceRequest, DeregisterServiceRequest__Output as _roster_agent_v1_DeregisterServiceRequest__Output } from '../../../roster/agent/v1/DeregisterServiceRequest.js';
import type { DeregisterServiceResponse as _roster_agent_v1_DeregisterServiceResponse, DeregisterServiceResponse__Output as _roster_agent_v1_DeregisterServiceResponse__Output } from '../../../roster/agent/v1/DeregisterServiceResponse.js';
import type { InstancesRequest as _roster_agent_v1_InstancesRequest, InstancesRequest__Output as _roster_agent_v1_InstancesRequest__Output } from '../../../roster/agent/v1/InstancesRequest.js';
import type { InstancesResponse as _roster_agent_v1_InstancesResponse, InstancesResponse__Output as _roster_agent_v1_InstancesResponse__Output } from '../../../roster/agent/v1/InstancesResponse.js';
import type { LeaveRequest as _roster_agent_v1_LeaveRequest, LeaveRequest__Output as _roster_agent_v1_LeaveRequest__Output } from '../../../roster/agent/v1/LeaveRequest.js';
import type { LeaveResponse as _roster_agent_v1_LeaveResponse, LeaveResponse__Output as _roster_agent_v1_LeaveResponse__Output } from '../../../roster/agent/v1/LeaveResponse.js';
import type { MaintenanceRequest as _roster_agent_v1_MaintenanceRequest, MaintenanceRequest__Output as _roster_agent_v1_MaintenanceRequest__Output } from '../../../roster/agent/v1/MaintenanceRequest.js';
import type { MaintenanceResponse as _roster_agent_v1_MaintenanceResponse, MaintenanceResponse__Output as _roster_agent_v1_MaintenanceResponse__Output } from '../../../roster/agent/v1/MaintenanceResponse.js';
import type { RegisterServiceRequest as _roster_agent_v1_RegisterServiceRequest, RegisterServiceRequest__Output as _roster_agent_v1_RegisterServiceRequest__Output } from '../../../roster/agent/v1/RegisterServiceRequest.js';
import type { ServicesRequest as _roster_agent_v1_ServicesRequest, ServicesRequest__Output as _roster_agent_v1_ServicesRequest__Output } from '../../../roster/agent/v1/ServicesRequest.js';
import type { ServicesResponse as _roster_agent_v1_ServicesResponse, ServicesResponse__Output as _roster_agent_v1_ServicesResponse__Output } from '../../../roster/agent/v1/ServicesResponse.js';
import type { UpdateTtlRequest as _roster_agent_v1_UpdateTtlRequest, UpdateTtlRequest__Output as _roster_agent_v1_UpdateTtlRequest__Output } from '../../../roster/agent/v1/UpdateTtlRequest.js';

export interface AgentClient extends grpc.Client {
  DeregisterService(argument: _roster_agent_v1_DeregisterServiceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_agent_v1_DeregisterServiceResponse__Output>): grpc.ClientUnaryCall;
  DeregisterService(argument: _roster_agent_v1_DeregisterServiceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_agent_v1_DeregisterServiceResponse__Output>): grpc.ClientUnaryCall;
  DeregisterService(argument: _roster_agent_v1_DeregisterServiceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_agent_v1_DeregisterServiceResponse__Output>): grpc.ClientUnaryCall;
  DeregisterService(argument: _roster_agent_v1_DeregisterServiceRequest, callback: grpc.requestCallback<_roster_agent_v1_DeregisterServiceResponse__Output>): grpc.ClientUnaryCall;
  deregisterService(argument: _roster_agent_v1_DeregisterServiceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_agent_v1_DeregisterServiceResponse__Output>): grpc.ClientUnaryCall;
  deregisterService(argument: _roster_agent_v1_DeregisterServiceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_agent_v1_DeregisterServiceResponse__Output>): grpc.ClientUnaryCall;
  deregisterService(argument: _roster_agent_v1_DeregisterServiceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_agent_v1_DeregisterServiceResponse__Output>): grpc.ClientUnaryCall;
  deregisterService(argument: _roster_agent_v1_DeregisterServiceRequest, callback: grpc.requestCallback<_roster_agent_v1_DeregisterServiceResponse__Output>): grpc.ClientUnaryCall;
  
  Instances(argument: _roster_agent_v1_InstancesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_agent_v1_InstancesResponse__Output>): grpc.ClientUnaryCall;
  Instances(argument: _roster_agent_v1_InstancesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_agent_v1_InstancesResponse__Output>): grpc.ClientUnaryCall;
  Instances(argument: _roster_agent_v1_InstancesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_agent_v1_InstancesResponse__Output>): grpc.ClientUnaryCall;
  Instances(argument: _roster_agent_v1_InstancesRequest, callback: grpc.requestCallback<_roster_agent_v1_InstancesResponse__Output>): grpc.ClientUnaryCall;
  instances(argument: _roster_agent_v1_InstancesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_agent_v1_InstancesResponse__Output>): grpc.ClientUnaryCall;
  instances(argument: _roster_agent_v1_InstancesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_agent_v1_InstancesResponse__Output>): grpc.ClientUnaryCall;
  instances(argument: _roster_agent_v1_InstancesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_agent_v1_InstancesResponse__Output>): grpc.ClientUnaryCall;
  instances(argument: _roster_agent_v1_InstancesRequest, callback: grpc.requestCallback<_roster_agent_v1_InstancesResponse__Output>): grpc.ClientUnaryCall;
  
  Leave(argument: _roster_agent_v1_LeaveRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_agent_v1_LeaveResponse__Output>): grpc.ClientUnaryCall;
  Leave(argument: _roster_agent_v1_LeaveRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_agent_v1_LeaveResponse__Output>): grpc.ClientUnaryCall;
  Leave(argument: _roster_agent_v1_LeaveRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_agent_v1_LeaveResponse__Output>): grpc.ClientUnaryCall;
  Leave(argument: _roster_agent_v1_LeaveRequest, callback: grpc.requestCallback<_roster_agent_v1_LeaveResponse__Output>): grpc.ClientUnaryCall;
  leave(argument: _roster_agent_v1_LeaveRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_agent_v1_LeaveResponse__Output>): grpc.ClientUnaryCall;
  leave(argument: _roster_agent_v1_LeaveRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_agent_v1_LeaveResponse__Output>): grpc.ClientUnaryCall;
  leave(argument: _roster_agent_v1_LeaveRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_agent_v1_LeaveResponse__Output>): grpc.ClientUnaryCall;
  leave(argument: _roster_agent_v1_LeaveRequest, callback: grpc.requestCallback<_roster_agent_v1_LeaveResponse__Output>): grpc.ClientUnaryCall;
  
  Maintenance(argument: _roster_agent_v1_MaintenanceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_agent_v1_MaintenanceResponse__Output>): grpc.ClientUnaryCall;
  Maintenance(argument: _roster_agent_v1_MaintenanceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_agent_v1_MaintenanceResponse__Output>): grpc.ClientUnaryCall;
  Maintenance(argument: _roster_agent_v1_MaintenanceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_agent_v1_MaintenanceResponse__Output>): grpc.ClientUnaryCall;
  Maintenance(argument: _roster_agent_v1_MaintenanceRequest, callback: grpc.requestCallback<_roster_agent_v1_MaintenanceResponse__Output>): grpc.ClientUnaryCall;
  maintenance(argument: _roster_agent_v1_MaintenanceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_agent_v1_MaintenanceResponse__Output>): grpc.ClientUnaryCall;
  maintenance(argument: _roster_agent_v1_MaintenanceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_agent_v1_MaintenanceResponse__Output>): grpc.ClientUnaryCall;
  maintenance(argument: _roster_agent_v1_MaintenanceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_agent_v1_MaintenanceResponse__Output>): grpc.ClientUnaryCall;
  maintenance(argument: _roster_agent_v1_MaintenanceRequest, callback: grpc.requestCallback<_roster_agent_v1_MaintenanceResponse__Output>): grpc.ClientUnaryCall;
  
  RegisterService(argument: _roster_agent_v1_RegisterServiceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_agent_v1_AgentServiceResponse__Output>): grpc.ClientUnaryCall;
  RegisterService(argument: _roster_agent_v1_RegisterServiceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_agent_v1_AgentServiceResponse__Output>): grpc.ClientUnaryCall;
  RegisterService(argument: _roster_agent_v1_RegisterServiceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_agent_v1_AgentServiceResponse__Output>): grpc.ClientUnaryCall;
  RegisterService(argument: _roster_agent_v1_RegisterServiceRequest, callback: grpc.requestCallback<_roster_agent_v1_AgentServiceResponse__Output>): grpc.ClientUnaryCall;
  registerService(argument: _roster_agent_v1_RegisterServiceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_agent_v1_AgentServiceResponse__Output>): grpc.ClientUnaryCall;
  registerService(argument: _roster_agent_v1_RegisterServiceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_agent_v1_AgentServiceResponse__Output>): grpc.ClientUnaryCall;
  registerService(argument: _roster_agent_v1_RegisterServiceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_agent_v1_AgentServiceResponse__Output>): grpc.ClientUnaryCall;
  registerService(argument: _roster_agent_v1_RegisterServiceRequest, callback: grpc.requestCallback<_roster_agent_v1_AgentServiceResponse__Output>): grpc.ClientUnaryCall;
  
  Services(argument: _roster_agent_v1_ServicesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_agent_v1_ServicesResponse__Output>): grpc.ClientUnaryCall;
  Services(argument: _roster_agent_v1_ServicesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_agent_v1_ServicesResponse__Output>): grpc.ClientUnaryCall;
  Services(argument: _roster_agent_v1_ServicesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_agent_v1_ServicesResponse__Output>): grpc.ClientUnaryCall;
  Services(argument: _roster_agent_v1_ServicesRequest, callback: grpc.requestCallback<_roster_agent_v1_ServicesResponse__Output>): grpc.ClientUnaryCall;
  services(argument: _roster_agent_v1_ServicesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_agent_v1_ServicesResponse__Output>): grpc.ClientUnaryCall;
  services(argument: _roster_agent_v1_ServicesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_agent_v1_ServicesResponse__Output>): grpc.ClientUnaryCall;
  services(argument: _roster_agent_v1_ServicesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_agent_v1_ServicesResponse__Output>): grpc.ClientUnaryCall;
  services(argument: _roster_agent_v1_ServicesRequest, callback: grpc.requestCallback<_roster_agent_v1_ServicesResponse__Output>): grpc.ClientUnaryCall;
  
  UpdateTtl(argument: _roster_agent_v1_UpdateTtlRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_agent_v1_AgentServiceResponse__Output>): grpc.ClientUnaryCall;
  UpdateTtl(argument: _roster_agent_v1_UpdateTtlRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_agent_v1_AgentServiceResponse__Output>): grpc.ClientUnaryCall;
  UpdateTtl(argument: _roster_agent_v1_UpdateTtlRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_agent_v1_AgentServiceResponse__Output>): grpc.ClientUnaryCall;
  UpdateTtl(argument: _roster_agent_v1_UpdateTtlRequest, callback: grpc.requestCallback<_roster_agent_v1_AgentServiceResponse__Output>): grpc.ClientUnaryCall;
  updateTtl(argument: _roster_agent_v1_UpdateTtlRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_agent_v1_AgentServiceResponse__Output>): grpc.ClientUnaryCall;
  updateTtl(argument: _roster_agent_v1_UpdateTtlRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_agent_v1_AgentServiceResponse__Output>): grpc.ClientUnaryCall;
  updateTtl(argument: _roster_agent_v1_UpdateTtlRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_agent_v1_AgentServiceResponse__Output>): grpc.ClientUnaryCall;
  updateTtl(argument: _roster_agent_v1_UpdateTtlRequest, callback: grpc.requestCallback<_roster_agent_v1_AgentServiceResponse__Output>): grpc.ClientUnaryCall;
  
  WatchInstances(argument: _roster_agent_v1_InstancesRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_roster_agent_v1_InstancesResponse__Output>;
  WatchInstances(argument: _roster_agent_v1_InstancesRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_roster_agent_v1_InstancesResponse__Output>;
  watchInstances(argument: _roster_agent_v1_InstancesRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_roster_agent_v1_InstancesResponse__Output>;
  watchInstances(argument: _roster_agent_v1_InstancesRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_roster_agent_v1_InstancesResponse__Output>;
  
}

export interface AgentHandlers extends grpc.UntypedServiceImplementation {
  DeregisterService: grpc.handleUnaryCall<_roster_agent_v1_DeregisterServiceRequest__Output, _roster_agent_v1_DeregisterServiceResponse>;
  
  Instances: grpc.handleUnaryCall<_roster_agent_v1_InstancesRequest__Output, _roster_agent_v1_InstancesResponse>;
  
  Leave: grpc.handleUnaryCall<_roster_agent_v1_LeaveRequest__Output, _roster_agent_v1_LeaveResponse>;
  
  Maintenance: grpc.handleUnaryCall<_roster_agent_v1_MaintenanceRequest__Output, _roster_agent_v1_MaintenanceResponse>;
  
  RegisterService: grpc.handleUnaryCall<_roster_agent_v1_RegisterServiceRequest__Output, _roster_agent_v1_AgentServiceResponse>;
  
  Services: grpc.handleUnaryCall<_roster_agent_v1_ServicesRequest__Output, _roster_agent_v1_ServicesResponse>;
  
  UpdateTtl: grpc.handleUnaryCall<_roster_agent_v1_UpdateTtlRequest__Output, _roster_agent_v1_AgentServiceResponse>;
  
  WatchInstances: grpc.handleServerStreamingCall<_roster_agent_v1_InstancesRequest__Output, _roster_agent_v1_InstancesResponse>;
  
}

export interface AgentDefinition extends grpc.ServiceDefinition {
  DeregisterService: MethodDefinition<_roster_agent_v1_DeregisterServiceRequest, _roster_agent_v1_DeregisterServiceResponse, _roster_agent_v1_DeregisterServiceRequest__Output, _roster_agent_v1_DeregisterServiceResponse__Output>
  Instances: MethodDefinition<_roster_agent_v1_InstancesRequest, _roster_agent_v1_InstancesResponse, _roster_agent_v1_InstancesRequest__Output, _roster_agent_v1_InstancesResponse__Output>
  Leave: MethodDefinition<_roster_agent_v1_LeaveRequest, _roster_agent_v1_LeaveResponse, _roster_agent_v1_LeaveRequest__Output, _roster_agent_v1_LeaveResponse__Output>
  Maintenance: MethodDefinition<_roster_agent_v1_MaintenanceRequest, _roster_agent_v1_MaintenanceResponse, _roster_agent_v1_MaintenanceRequest__Output, _roster_agent_v1_MaintenanceResponse__Output>
  RegisterService: MethodDefinition<_roster_agent_v1_RegisterServiceRequest, _roster_agent_v1_AgentServiceResponse, _roster_agent_v1_RegisterServiceRequest__Output, _roster_agent_v1_AgentServiceResponse__Output>
  Services: MethodDefinition<_roster_agent_v1_ServicesRequest, _roster_agent_v1_ServicesResponse, _roster_agent_v1_ServicesRequest__Output, _roster_agent_v1_ServicesResponse__Output>
  UpdateTtl: MethodDefinition<_roster_agent_v1_UpdateTtlRequest, _roster_agent_v1_AgentServiceResponse, _roster_agent_v1_UpdateTtlRequest__Output, _roster_agent_v1_AgentServiceResponse__Output>
  WatchInstances: MethodDefinition<_roster_agent_v1_InstancesRequest, _roster_agent_v1_InstancesResponse, _roster_agent_v1_InstancesRequest__Output, _roster_agent_v1_InstancesResponse__Output>
}
