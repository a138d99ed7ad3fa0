// @ts-nocheck generated loader typings
import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { AgentClient as _roster_agent_v1_AgentClient, AgentDefinition as _roster_agent_v1_AgentDefinition } from './roster/agent/v1/Agent.js';
import type { AgentInstance as _roster_agent_v1_AgentInstance, AgentInstance__Output as _roster_agent_v1_AgentInstance__Output } from './roster/agent/v1/AgentInstance.js';
import type { AgentService as _roster_agent_v1_AgentService, AgentService__Output as _roster_agent_v1_AgentService__Output } from './roster/agent/v1/AgentService.js';
import type { AgentServiceResponse as _roster_agent_v1_AgentServiceResponse, AgentServiceResponse__Output as _roster_agent_v1_AgentServiceResponse__Output } from './roster/agent/v1/AgentServiceResponse.js';
import type { CheckDefinition as _roster_agent_v1_CheckDefinition, CheckDefinition__Output as _roster_agent_v1_CheckDefinition__Output } from './roster/agent/v1/CheckDefinition.js';
import type { CheckState as _roster_agent_v1_CheckState, CheckState__Output as _roster_agent_v1_CheckState__Output } from './roster/agent/v1/CheckState.js';
import type { DeregisterCheckRequest as _roster_agent_v1_DeregisterCheckRequest, DeregisterCheckRequest__Output as _roster_agent_v1_DeregisterCheckRequest__Output } from './roster/agent/v1/DeregisterCheckRequest.js';
import type { DeregisterCheckResponse as _roster_agent_v1_DeregisterCheckResponse, DeregisterCheckResponse__Output as _roster_agent_v1_DeregisterCheckResponse__Output } from './roster/agent/v1/DeregisterCheckResponse.js';
import type { DeregisterServiceRequest as _roster_agent_v1_DeregisterServiceRequest, DeregisterServiceRequest__Output as _roster_agent_v1_DeregisterServiceRequest__Output } from './roster/agent/v1/DeregisterServiceRequest.js';
import type { DeregisterServiceResponse as _roster_agent_v1_DeregisterServiceResponse, DeregisterServiceResponse__Output as _roster_agent_v1_DeregisterServiceResponse__Output } from './roster/agent/v1/DeregisterServiceResponse.js';
import type { ForceLeaveRequest as _roster_agent_v1_ForceLeaveRequest, ForceLeaveRequest__Output as _roster_agent_v1_ForceLeaveRequest__Output } from './roster/agent/v1/ForceLeaveRequest.js';
import type { ForceLeaveResponse as _roster_agent_v1_ForceLeaveResponse, ForceLeaveResponse__Output as _roster_agent_v1_ForceLeaveResponse__Output } from './roster/agent/v1/ForceLeaveResponse.js';
import type { InstancesRequest as _roster_agent_v1_InstancesRequest, InstancesRequest__Output as _roster_agent_v1_InstancesRequest__Output } from './roster/agent/v1/InstancesRequest.js';
import type { InstancesResponse as _roster_agent_v1_InstancesResponse, InstancesResponse__Output as _roster_agent_v1_InstancesResponse__Output } from './roster/agent/v1/InstancesResponse.js';
import type { JoinRequest as _roster_agent_v1_JoinRequest, JoinRequest__Output as _roster_agent_v1_JoinRequest__Output } from './roster/agent/v1/JoinRequest.js';
import type { JoinResponse as _roster_agent_v1_JoinResponse, JoinResponse__Output as _roster_agent_v1_JoinResponse__Output } from './roster/agent/v1/JoinResponse.js';
import type { LeaveRequest as _roster_agent_v1_LeaveRequest, LeaveRequest__Output as _roster_agent_v1_LeaveRequest__Output } from './roster/agent/v1/LeaveRequest.js';
import type { LeaveResponse as _roster_agent_v1_LeaveResponse, LeaveResponse__Output as _roster_agent_v1_LeaveResponse__Output } from './roster/agent/v1/LeaveResponse.js';
import type { MaintenanceRequest as _roster_agent_v1_MaintenanceRequest, MaintenanceRequest__Output as _roster_agent_v1_MaintenanceRequest__Output } from './roster/agent/v1/MaintenanceRequest.js';
import type { MaintenanceResponse as _roster_agent_v1_MaintenanceResponse, MaintenanceResponse__Output as _roster_agent_v1_MaintenanceResponse__Output } from './roster/agent/v1/MaintenanceResponse.js';
import type { RegisterCheckRequest as _roster_agent_v1_RegisterCheckRequest, RegisterCheckRequest__Output as _roster_agent_v1_RegisterCheckRequest__Output } from './roster/agent/v1/RegisterCheckRequest.js';
import type { RegisterCheckResponse as _roster_agent_v1_RegisterCheckResponse, RegisterCheckResponse__Output as _roster_agent_v1_RegisterCheckResponse__Output } from './roster/agent/v1/RegisterCheckResponse.js';
import type { RegisterServiceRequest as _roster_agent_v1_RegisterServiceRequest, RegisterServiceRequest__Output as _roster_agent_v1_RegisterServiceRequest__Output } from './roster/agent/v1/RegisterServiceRequest.js';
import type { ServiceDefinition as _roster_agent_v1_ServiceDefinition, ServiceDefinition__Output as _roster_agent_v1_ServiceDefinition__Output } from './roster/agent/v1/ServiceDefinition.js';
import type { ServiceWeights as _roster_agent_v1_ServiceWeights, ServiceWeights__Output as _roster_agent_v1_ServiceWeights__Output } from './roster/agent/v1/ServiceWeights.js';
import type { ServicesRequest as _roster_agent_v1_ServicesRequest, ServicesRequest__Output as _roster_agent_v1_ServicesRequest__Output } from './roster/agent/v1/ServicesRequest.js';
import type { ServicesResponse as _roster_agent_v1_ServicesResponse, ServicesResponse__Output as _roster_agent_v1_ServicesResponse__Output } from './roster/agent/v1/ServicesResponse.js';
import type { UpdateTtlRequest as _roster_agent_v1_UpdateTtlRequest, UpdateTtlRequest__Output as _roster_agent_v1_UpdateTtlRequest__Output } from './roster/agent/v1/UpdateTtlRequest.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  roster: {
    agent: {
      v1: {
        Agent: SubtypeConstructor<typeof grpc.Client, _roster_agent_v1_AgentClient> & { service: _roster_agent_v1_AgentDefinition }
        AgentInstance: MessageTypeDefinition<_roster_agent_v1_AgentInstance, _roster_agent_v1_AgentInstance__Output>
        AgentService: MessageTypeDefinition<_roster_agent_v1_AgentService, _roster_agent_v1_AgentService__Output>
        AgentServiceResponse: MessageTypeDefinition<_roster_agent_v1_AgentServiceResponse, _roster_agent_v1_AgentServiceResponse__Output>
        CheckDefinition: MessageTypeDefinition<_roster_agent_v1_CheckDefinition, _roster_agent_v1_CheckDefinition__Output>
        CheckState: MessageTypeDefinition<_roster_agent_v1_CheckState, _roster_agent_v1_CheckState__Output>
        DeregisterCheckRequest: MessageTypeDefinition<_roster_agent_v1_DeregisterCheckRequest, _roster_agent_v1_DeregisterCheckRequest__Output>
        DeregisterCheckResponse: MessageTypeDefinition<_roster_agent_v1_DeregisterCheckResponse, _roster_agent_v1_DeregisterCheckResponse__Output>
        DeregisterServiceRequest: MessageTypeDefinition<_roster_agent_v1_DeregisterServiceRequest, _roster_agent_v1_DeregisterServiceRequest__Output>
        DeregisterServiceResponse: MessageTypeDefinition<_roster_agent_v1_DeregisterServiceResponse, _roster_agent_v1_DeregisterServiceResponse__Output>
        ForceLeaveRequest: MessageTypeDefinition<_roster_agent_v1_ForceLeaveRequest, _roster_agent_v1_ForceLeaveRequest__Output>
        ForceLeaveResponse: MessageTypeDefinition<_roster_agent_v1_ForceLeaveResponse, _roster_agent_v1_ForceLeaveResponse__Output>
        InstancesRequest: MessageTypeDefinition<_roster_agent_v1_InstancesRequest, _roster_agent_v1_InstancesRequest__Output>
        InstancesResponse: MessageTypeDefinition<_roster_agent_v1_InstancesResponse, _roster_agent_v1_InstancesResponse__Output>
        JoinRequest: MessageTypeDefinition<_roster_agent_v1_JoinRequest, _roster_agent_v1_JoinRequest__Output>
        JoinResponse: MessageTypeDefinition<_roster_agent_v1_JoinResponse, _roster_agent_v1_JoinResponse__Output>
        LeaveRequest: MessageTypeDefinition<_roster_agent_v1_LeaveRequest, _roster_agent_v1_LeaveRequest__Output>
        LeaveResponse: MessageTypeDefinition<_roster_agent_v1_LeaveResponse, _roster_agent_v1_LeaveResponse__Output>
        MaintenanceRequest: MessageTypeDefinition<_roster_agent_v1_MaintenanceRequest, _roster_agent_v1_MaintenanceRequest__Output>
        MaintenanceResponse: MessageTypeDefinition<_roster_agent_v1_MaintenanceResponse, _roster_agent_v1_MaintenanceResponse__Output>
        RegisterCheckRequest: MessageTypeDefinition<_roster_agent_v1_RegisterCheckRequest, _roster_agent_v1_RegisterCheckRequest__Output>
        RegisterCheckResponse: MessageTypeDefinition<_roster_agent_v1_RegisterCheckResponse, _roster_agent_v1_RegisterCheckResponse__Output>
        RegisterServiceRequest: MessageTypeDefinition<_roster_agent_v1_RegisterServiceRequest, _roster_agent_v1_RegisterServiceRequest__Output>
        ServiceDefinition: MessageTypeDefinition<_roster_agent_v1_ServiceDefinition, _roster_agent_v1_ServiceDefinition__Output>
        ServiceWeights: MessageTypeDefinition<_roster_agent_v1_ServiceWeights, _roster_agent_v1_ServiceWeights__Output>
        ServicesRequest: MessageTypeDefinition<_roster_agent_v1_ServicesRequest, _roster_agent_v1_ServicesRequest__Output>
        ServicesResponse: MessageTypeDefinition<_roster_agent_v1_ServicesResponse, _roster_agent_v1_ServicesResponse__Output>
        UpdateTtlRequest: MessageTypeDefinition<_roster_agent_v1_UpdateTtlRequest, _roster_agent_v1_UpdateTtlRequest__Output>
      }
    }
  }
}

