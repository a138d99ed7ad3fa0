// Original file: proto/roster/agent.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AgentServiceResponse as _roster_agent_v1_AgentServiceResponse, AgentServiceResponse__Output as _roster_agent_v1_AgentServiceResponse__Output } from '../../../roster/agent/v1/AgentServiceResponse.js';
import type { DeregisterCheckRequest as _roster_agent_v1_DeregisterCheckRequest, DeregisterCheckRequest__Output as _roster_agent_v1_DeregisterCheckRequest__Output } from '../../../roster/agent/v1/DeregisterCheckRequest.js';
import type { DeregisterCheckResponse as _roster_agent_v1_DeregisterCheckResponse, DeregisterCheckResponse__Output as _roster_agent_v1_DeregisterCheckResponse__Output } from '../../../roster/agent/v1/DeregisterCheckResponse.js';
import type { DeregisterServiceRequest as _roster_agent_v1_DeregisterServiceRequest, DeregisterServiceRequest__Output as _roster_agent_v1_DeregisterServiceRequest__Output } from '../../../roster/agent/v1/DeregisterServiceRequest.js';
import type { DeregisterServiceResponse as _roster_agent_v1_DeregisterServiceResponse, DeregisterServiceResponse__Output as _roster_agent_v1_DeregisterServiceResponse__Output } from '../../../roster/agent/v1/DeregisterServiceResponse.js';
import type { ForceLeaveRequest as _roster_agent_v1_ForceLeaveRequest, ForceLeaveRequest__Output as _roster_agent_v1_ForceLeaveRequest__Output } from '../../../roster/agent/v1/ForceLeaveRequest.js';
import type { ForceLeaveResponse as _roster_agent_v1_ForceLeaveResponse, ForceLeaveResponse__Output as _roster_agent_v1_ForceLeaveResponse__Output } from '../../../roster/agent/v1/ForceLeaveResponse.js';
import type { InstancesRequest as _roster_agent_v1_InstancesRequest, InstancesRequest__Output as _roster_agent_v1_InstancesRequest__Output } from '../../../roster/agent/v1/InstancesRequest.js';
import type { InstancesResponse as _roster_agent_v1_InstancesResponse, InstancesResponse__Output as _roster_agent_v1_InstancesResponse__Output } from '../../../roster/agent/v1/InstancesResponse.js';
import type { JoinRequest as _roster_agent_v1_JoinRequest, JoinRequest__Output as _roster_agent_v1_JoinRequest__Output } from '../../../roster/agent/v1/JoinRequest.js';
import type { JoinResponse as _roster_agent_v1_JoinResponse, JoinResponse__Output as _roster_agent_v1_JoinResponse__Output } from '../../../roster/agent/v1/JoinResponse.js';
import type { LeaveRequest as _roster_agent_v1_LeaveRequest, LeaveRequest__Output as _roster_agent_v1_LeaveRequest__Output } from '../../../roster/agent/v1/LeaveRequest.js';
import type { LeaveResponse as _roster_agent_v1_LeaveResponse, LeaveResponse__Output as _roster_agent_v1_LeaveResponse__Output } from '../../../roster/agent/v1/LeaveResponse.js';
import type { MaintenanceRequest as _roster_agent_v1_MaintenanceRequest, MaintenanceRequest__Output as _roster_agent_v1_MaintenanceRequest__Output } from '../../../roster/agent/v1/MaintenanceRequest.js';
import type { MaintenanceResponse as _roster_agent_v1_MaintenanceResponse, MaintenanceResponse__Output as _roster_agent_v1_MaintenanceResponse__Output } from '../../../roster/agent/v1/MaintenanceResponse.js';
import type { RegisterCheckRequest as _roster_agent_v1_RegisterCheckRequest, RegisterCheckRequest__Output as _roster_agent_v1_RegisterCheckRequest__Output } from '../../../roster/agent/v1/RegisterCheckRequest.js';
import type { RegisterCheckResponse as _roster_agent_v1_RegisterCheckResponse, RegisterCheckResponse__Output as _roster_agent_v1_RegisterCheckResponse__Output } from '../../../roster/agent/v1/RegisterCheckResponse.js';
import type { RegisterServiceRequest as _roster_agent_v1_RegisterServiceRequest, RegisterServiceRequest__Output as _roster_agent_v1_RegisterServiceRequest__Output } from '../../../roster/agent/v1/RegisterServiceRequest.js';
import type { ServicesRequest as _roster_agent_v1_ServicesRequest, ServicesRequest__Output as _roster_agent_v1_ServicesRequest__Output } from '../../../roster/agent/v1/ServicesRequest.js';
import type { ServicesResponse as _roster_agent_v1_ServicesResponse, ServicesResponse__Output as _roster_agent_v1_ServicesResponse__Output } from '../../../roster/agent/v1/ServicesResponse.js';
import type { UpdateTtlRequest as _roster_agent_v1_UpdateTtlRequest, UpdateTtlRequest__Output as _roster_agent_v1_UpdateTtlRequest__Output } from '../../../roster/agent/v1/UpdateTtlRequest.js';

export interface AgentClient extends grpc.Client {
  DeregisterCheck(argument: _roster_agent_v1_DeregisterCheckRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_agent_v1_DeregisterCheckResponse__Output>): grpc.ClientUnaryCall;
  DeregisterCheck(argument: _roster_agent_v1_DeregisterCheckRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_agent_v1_DeregisterCheckResponse__Output>): grpc.ClientUnaryCall;
  DeregisterCheck(argument: _roster_agent_v1_DeregisterCheckRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_agent_v1_DeregisterCheckResponse__Output>): grpc.ClientUnaryCall;
  DeregisterCheck(argument: _roster_agent_v1_DeregisterCheckRequest, callback: grpc.requestCallback<_roster_agent_v1_DeregisterCheckResponse__Output>): grpc.ClientUnaryCall;
  deregisterCheck(argument: _roster_agent_v1_DeregisterCheckRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_agent_v1_DeregisterCheckResponse__Output>): grpc.ClientUnaryCall;
  deregisterCheck(argument: _roster_agent_v1_DeregisterCheckRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_agent_v1_DeregisterCheckResponse__Output>): grpc.ClientUnaryCall;
  deregisterCheck(argument: _roster_agent_v1_DeregisterCheckRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_agent_v1_DeregisterCheckResponse__Output>): grpc.ClientUnaryCall;
  deregisterCheck(argument: _roster_agent_v1_DeregisterCheckRequest, callback: grpc.requestCallback<_roster_agent_v1_DeregisterCheckResponse__Output>): grpc.ClientUnaryCall;
  
  DeregisterService(argument: _roster_agent_v1_DeregisterServiceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_agent_v1_DeregisterServiceResponse__Output>): grpc.ClientUnaryCall;
  DeregisterService(argument: _roster_agent_v1_DeregisterServiceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_agent_v1_DeregisterServiceResponse__Output>): grpc.ClientUnaryCall;
  DeregisterService(argument: _roster_agent_v1_DeregisterServiceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_agent_v1_DeregisterServiceResponse__Output>): grpc.ClientUnaryCall;
  DeregisterService(argument: _roster_agent_v1_DeregisterServiceRequest, callback: grpc.requestCallback<_roster_agent_v1_DeregisterServiceResponse__Output>): grpc.ClientUnaryCall;
  deregisterService(argument: _roster_agent_v1_DeregisterServiceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_agent_v1_DeregisterServiceResponse__Output>): grpc.ClientUnaryCall;
  deregisterService(argument: _roster_agent_v1_DeregisterServiceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_agent_v1_DeregisterServiceResponse__Output>): grpc.ClientUnaryCall;
  deregisterService(argument: _roster_agent_v1_DeregisterServiceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_agent_v1_DeregisterServiceResponse__Output>): grpc.ClientUnaryCall;
  deregisterService(argument: _roster_agent_v1_DeregisterServiceRequest, callback: grpc.requestCallback<_roster_agent_v1_DeregisterServiceResponse__Output>): grpc.ClientUnaryCall;
  
  ForceLeave(argument: _roster_agent_v1_ForceLeaveRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_agent_v1_ForceLeaveResponse__Output>): grpc.ClientUnaryCall;
  ForceLeave(argument: _roster_agent_v1_ForceLeaveRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_agent_v1_ForceLeaveResponse__Output>): grpc.ClientUnaryCall;
  ForceLeave(argument: _roster_agent_v1_ForceLeaveRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_agent_v1_ForceLeaveResponse__Output>): grpc.ClientUnaryCall;
  ForceLeave(argument: _roster_agent_v1_ForceLeaveRequest, callback: grpc.requestCallback<_roster_agent_v1_ForceLeaveResponse__Output>): grpc.ClientUnaryCall;
  forceLeave(argument: _roster_agent_v1_ForceLeaveRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_agent_v1_ForceLeaveResponse__Output>): grpc.ClientUnaryCall;
  forceLeave(argument: _roster_agent_v1_ForceLeaveRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_agent_v1_ForceLeaveResponse__Output>): grpc.ClientUnaryCall;
  forceLeave(argument: _roster_agent_v1_ForceLeaveRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_agent_v1_ForceLeaveResponse__Output>): grpc.ClientUnaryCall;
  forceLeave(argument: _roster_agent_v1_ForceLeaveRequest, callback: grpc.requestCallback<_roster_agent_v1_ForceLeaveResponse__Output>): grpc.ClientUnaryCall;
  
  Instances(argument: _roster_agent_v1_InstancesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_agent_v1_InstancesResponse__Output>): grpc.ClientUnaryCall;
  Instances(argument: _roster_agent_v1_InstancesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_agent_v1_InstancesResponse__Output>): grpc.ClientUnaryCall;
  Instances(argument: _roster_agent_v1_InstancesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_agent_v1_InstancesResponse__Output>): grpc.ClientUnaryCall;
  Instances(argument: _roster_agent_v1_InstancesRequest, callback: grpc.requestCallback<_roster_agent_v1_InstancesResponse__Output>): grpc.ClientUnaryCall;
  instances(argument: _roster_agent_v1_InstancesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_agent_v1_InstancesResponse__Output>): grpc.ClientUnaryCall;
  instances(argument: _roster_agent_v1_InstancesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_agent_v1_InstancesResponse__Output>): grpc.ClientUnaryCall;
  instances(argument: _roster_agent_v1_InstancesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_agent_v1_InstancesResponse__Output>): grpc.ClientUnaryCall;
  instances(argument: _roster_agent_v1_InstancesRequest, callback: grpc.requestCallback<_roster_agent_v1_InstancesResponse__Output>): grpc.ClientUnaryCall;
  
  Join(argument: _roster_agent_v1_JoinRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_agent_v1_JoinResponse__Output>): grpc.ClientUnaryCall;
  Join(argument: _roster_agent_v1_JoinRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_agent_v1_JoinResponse__Output>): grpc.ClientUnaryCall;
  Join(argument: _roster_agent_v1_JoinRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_agent_v1_JoinResponse__Output>): grpc.ClientUnaryCall;
  Join(argument: _roster_agent_v1_JoinRequest, callback: grpc.requestCallback<_roster_agent_v1_JoinResponse__Output>): grpc.ClientUnaryCall;
  join(argument: _roster_agent_v1_JoinRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_agent_v1_JoinResponse__Output>): grpc.ClientUnaryCall;
  join(argument: _roster_agent_v1_JoinRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_agent_v1_JoinResponse__Output>): grpc.ClientUnaryCall;
  join(argument: _roster_agent_v1_JoinRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_agent_v1_JoinResponse__Output>): grpc.ClientUnaryCall;
  join(argument: _roster_agent_v1_JoinRequest, callback: grpc.requestCallback<_roster_agent_v1_JoinResponse__Output>): grpc.ClientUnaryCall;
  
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
  
  RegisterCheck(argument: _roster_agent_v1_RegisterCheckRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_agent_v1_RegisterCheckResponse__Output>): grpc.ClientUnaryCall;
  RegisterCheck(argument: _roster_agent_v1_RegisterCheckRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_agent_v1_RegisterCheckResponse__Output>): grpc.ClientUnaryCall;
  RegisterCheck(argument: _roster_agent_v1_RegisterCheckRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_agent_v1_RegisterCheckResponse__Output>): grpc.ClientUnaryCall;
  RegisterCheck(argument: _roster_agent_v1_RegisterCheckRequest, callback: grpc.requestCallback<_roster_agent_v1_RegisterCheckResponse__Output>): grpc.ClientUnaryCall;
  registerCheck(argument: _roster_agent_v1_RegisterCheckRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_agent_v1_RegisterCheckResponse__Output>): grpc.ClientUnaryCall;
  registerCheck(argument: _roster_agent_v1_RegisterCheckRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_agent_v1_RegisterCheckResponse__Output>): grpc.ClientUnaryCall;
  registerCheck(argument: _roster_agent_v1_RegisterCheckRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_agent_v1_RegisterCheckResponse__Output>): grpc.ClientUnaryCall;
  registerCheck(argument: _roster_agent_v1_RegisterCheckRequest, callback: grpc.requestCallback<_roster_agent_v1_RegisterCheckResponse__Output>): grpc.ClientUnaryCall;
  
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
  DeregisterCheck: grpc.handleUnaryCall<_roster_agent_v1_DeregisterCheckRequest__Output, _roster_agent_v1_DeregisterCheckResponse>;
  
  DeregisterService: grpc.handleUnaryCall<_roster_agent_v1_DeregisterServiceRequest__Output, _roster_agent_v1_DeregisterServiceResponse>;
  
  ForceLeave: grpc.handleUnaryCall<_roster_agent_v1_ForceLeaveRequest__Output, _roster_agent_v1_ForceLeaveResponse>;
  
  Instances: grpc.handleUnaryCall<_roster_agent_v1_InstancesRequest__Output, _roster_agent_v1_InstancesResponse>;
  
  Join: grpc.handleUnaryCall<_roster_agent_v1_JoinRequest__Output, _roster_agent_v1_JoinResponse>;
  
  Leave: grpc.handleUnaryCall<_roster_agent_v1_LeaveRequest__Output, _roster_agent_v1_LeaveResponse>;
  
  Maintenance: grpc.handleUnaryCall<_roster_agent_v1_MaintenanceRequest__Output, _roster_agent_v1_MaintenanceResponse>;
  
  RegisterCheck: grpc.handleUnaryCall<_roster_agent_v1_RegisterCheckRequest__Output, _roster_agent_v1_RegisterCheckResponse>;
  
  RegisterService: grpc.handleUnaryCall<_roster_agent_v1_RegisterServiceRequest__Output, _roster_agent_v1_AgentServiceResponse>;
  
  Services: grpc.handleUnaryCall<_roster_agent_v1_ServicesRequest__Output, _roster_agent_v1_ServicesResponse>;
  
  UpdateTtl: grpc.handleUnaryCall<_roster_agent_v1_UpdateTtlRequest__Output, _roster_agent_v1_AgentServiceResponse>;
  
  WatchInstances: grpc.handleServerStreamingCall<_roster_agent_v1_InstancesRequest__Output, _roster_agent_v1_InstancesResponse>;
  
}

export interface AgentDefinition extends grpc.ServiceDefinition {
  DeregisterCheck: MethodDefinition<_roster_agent_v1_DeregisterCheckRequest, _roster_agent_v1_DeregisterCheckResponse, _roster_agent_v1_DeregisterCheckRequest__Output, _roster_agent_v1_DeregisterCheckResponse__Output>
  DeregisterService: MethodDefinition<_roster_agent_v1_DeregisterServiceRequest, _roster_agent_v1_DeregisterServiceResponse, _roster_agent_v1_DeregisterServiceRequest__Output, _roster_agent_v1_DeregisterServiceResponse__Output>
  ForceLeave: MethodDefinition<_roster_agent_v1_ForceLeaveRequest, _roster_agent_v1_ForceLeaveResponse, _roster_agent_v1_ForceLeaveRequest__Output, _roster_agent_v1_ForceLeaveResponse__Output>
  Instances: MethodDefinition<_roster_agent_v1_InstancesRequest, _roster_agent_v1_InstancesResponse, _roster_agent_v1_InstancesRequest__Output, _roster_agent_v1_InstancesResponse__Output>
  Join: MethodDefinition<_roster_agent_v1_JoinRequest, _roster_agent_v1_JoinResponse, _roster_agent_v1_JoinRequest__Output, _roster_agent_v1_JoinResponse__Output>
  Leave: MethodDefinition<_roster_agent_v1_LeaveRequest, _roster_agent_v1_LeaveResponse, _roster_agent_v1_LeaveRequest__Output, _roster_agent_v1_LeaveResponse__Output>
  Maintenance: MethodDefinition<_roster_agent_v1_MaintenanceRequest, _roster_agent_v1_MaintenanceResponse, _roster_agent_v1_MaintenanceRequest__Output, _roster_agent_v1_MaintenanceResponse__Output>
  RegisterCheck: MethodDefinition<_roster_agent_v1_RegisterCheckRequest, _roster_agent_v1_RegisterCheckResponse, _roster_agent_v1_RegisterCheckRequest__Output, _roster_agent_v1_RegisterCheckResponse__Output>
  RegisterService: MethodDefinition<_roster_agent_v1_RegisterServiceRequest, _roster_agent_v1_AgentServiceResponse, _roster_agent_v1_RegisterServiceRequest__Output, _roster_agent_v1_AgentServiceResponse__Output>
  Services: MethodDefinition<_roster_agent_v1_ServicesRequest, _roster_agent_v1_ServicesResponse, _roster_agent_v1_ServicesRequest__Output, _roster_agent_v1_ServicesResponse__Output>
  UpdateTtl: MethodDefinition<_roster_agent_v1_UpdateTtlRequest, _roster_agent_v1_AgentServiceResponse, _roster_agent_v1_UpdateTtlRequest__Output, _roster_agent_v1_AgentServiceResponse__Output>
  WatchInstances: MethodDefinition<_roster_agent_v1_InstancesRequest, _roster_agent_v1_InstancesResponse, _roster_agent_v1_InstancesRequest__Output, _roster_agent_v1_InstancesResponse__Output>
}
