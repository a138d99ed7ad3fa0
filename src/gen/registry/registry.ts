// @ts-nocheck generated loader typings
import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { AcquireRequest as _roster_registry_v1_AcquireRequest, AcquireRequest__Output as _roster_registry_v1_AcquireRequest__Output } from './roster/registry/v1/AcquireRequest.js';
import type { AcquireResponse as _roster_registry_v1_AcquireResponse, AcquireResponse__Output as _roster_registry_v1_AcquireResponse__Output } from './roster/registry/v1/AcquireResponse.js';
import type { CatalogClient as _roster_registry_v1_CatalogClient, CatalogDefinition as _roster_registry_v1_CatalogDefinition } from './roster/registry/v1/Catalog.js';
import type { Change as _roster_registry_v1_Change, Change__Output as _roster_registry_v1_Change__Output } from './roster/registry/v1/Change.js';
import type { Check as _roster_registry_v1_Check, Check__Output as _roster_registry_v1_Check__Output } from './roster/registry/v1/Check.js';
import type { CheckTxnOp as _roster_registry_v1_CheckTxnOp, CheckTxnOp__Output as _roster_registry_v1_CheckTxnOp__Output } from './roster/registry/v1/CheckTxnOp.js';
import type { ChecksRequest as _roster_registry_v1_ChecksRequest, ChecksRequest__Output as _roster_registry_v1_ChecksRequest__Output } from './roster/registry/v1/ChecksRequest.js';
import type { ChecksResponse as _roster_registry_v1_ChecksResponse, ChecksResponse__Output as _roster_registry_v1_ChecksResponse__Output } from './roster/registry/v1/ChecksResponse.js';
import type { ChecksTarget as _roster_registry_v1_ChecksTarget, ChecksTarget__Output as _roster_registry_v1_ChecksTarget__Output } from './roster/registry/v1/ChecksTarget.js';
import type { CreateSessionRequest as _roster_registry_v1_CreateSessionRequest, CreateSessionRequest__Output as _roster_registry_v1_CreateSessionRequest__Output } from './roster/registry/v1/CreateSessionRequest.js';
import type { CreateSessionResponse as _roster_registry_v1_CreateSessionResponse, CreateSessionResponse__Output as _roster_registry_v1_CreateSessionResponse__Output } from './roster/registry/v1/CreateSessionResponse.js';
import type { DeregisterRequest as _roster_registry_v1_DeregisterRequest, DeregisterRequest__Output as _roster_registry_v1_DeregisterRequest__Output } from './roster/registry/v1/DeregisterRequest.js';
import type { GetLockRequest as _roster_registry_v1_GetLockRequest, GetLockRequest__Output as _roster_registry_v1_GetLockRequest__Output } from './roster/registry/v1/GetLockRequest.js';
import type { GetLockResponse as _roster_registry_v1_GetLockResponse, GetLockResponse__Output as _roster_registry_v1_GetLockResponse__Output } from './roster/registry/v1/GetLockResponse.js';
import type { HealthClient as _roster_registry_v1_HealthClient, HealthDefinition as _roster_registry_v1_HealthDefinition } from './roster/registry/v1/Health.js';
import type { Instance as _roster_registry_v1_Instance, Instance__Output as _roster_registry_v1_Instance__Output } from './roster/registry/v1/Instance.js';
import type { Item as _roster_registry_v1_Item, Item__Output as _roster_registry_v1_Item__Output } from './roster/registry/v1/Item.js';
import type { KvEntry as _roster_registry_v1_KvEntry, KvEntry__Output as _roster_registry_v1_KvEntry__Output } from './roster/registry/v1/KvEntry.js';
import type { KvTxnOp as _roster_registry_v1_KvTxnOp, KvTxnOp__Output as _roster_registry_v1_KvTxnOp__Output } from './roster/registry/v1/KvTxnOp.js';
import type { ListNodesRequest as _roster_registry_v1_ListNodesRequest, ListNodesRequest__Output as _roster_registry_v1_ListNodesRequest__Output } from './roster/registry/v1/ListNodesRequest.js';
import type { ListNodesResponse as _roster_registry_v1_ListNodesResponse, ListNodesResponse__Output as _roster_registry_v1_ListNodesResponse__Output } from './roster/registry/v1/ListNodesResponse.js';
import type { ListServicesRequest as _roster_registry_v1_ListServicesRequest, ListServicesRequest__Output as _roster_registry_v1_ListServicesRequest__Output } from './roster/registry/v1/ListServicesRequest.js';
import type { ListServicesResponse as _roster_registry_v1_ListServicesResponse, ListServicesResponse__Output as _roster_registry_v1_ListServicesResponse__Output } from './roster/registry/v1/ListServicesResponse.js';
import type { ListSessionsRequest as _roster_registry_v1_ListSessionsRequest, ListSessionsRequest__Output as _roster_registry_v1_ListSessionsRequest__Output } from './roster/registry/v1/ListSessionsRequest.js';
import type { ListSessionsResponse as _roster_registry_v1_ListSessionsResponse, ListSessionsResponse__Output as _roster_registry_v1_ListSessionsResponse__Output } from './roster/registry/v1/ListSessionsResponse.js';
import type { LockState as _roster_registry_v1_LockState, LockState__Output as _roster_registry_v1_LockState__Output } from './roster/registry/v1/LockState.js';
import type { LockTarget as _roster_registry_v1_LockTarget, LockTarget__Output as _roster_registry_v1_LockTarget__Output } from './roster/registry/v1/LockTarget.js';
import type { LocksClient as _roster_registry_v1_LocksClient, LocksDefinition as _roster_registry_v1_LocksDefinition } from './roster/registry/v1/Locks.js';
import type { Node as _roster_registry_v1_Node, Node__Output as _roster_registry_v1_Node__Output } from './roster/registry/v1/Node.js';
import type { NodeServicesRequest as _roster_registry_v1_NodeServicesRequest, NodeServicesRequest__Output as _roster_registry_v1_NodeServicesRequest__Output } from './roster/registry/v1/NodeServicesRequest.js';
import type { NodeServicesResponse as _roster_registry_v1_NodeServicesResponse, NodeServicesResponse__Output as _roster_registry_v1_NodeServicesResponse__Output } from './roster/registry/v1/NodeServicesResponse.js';
import type { NodeTarget as _roster_registry_v1_NodeTarget, NodeTarget__Output as _roster_registry_v1_NodeTarget__Output } from './roster/registry/v1/NodeTarget.js';
import type { NodeTxnOp as _roster_registry_v1_NodeTxnOp, NodeTxnOp__Output as _roster_registry_v1_NodeTxnOp__Output } from './roster/registry/v1/NodeTxnOp.js';
import type { NodesTarget as _roster_registry_v1_NodesTarget, NodesTarget__Output as _roster_registry_v1_NodesTarget__Output } from './roster/registry/v1/NodesTarget.js';
import type { QueryMeta as _roster_registry_v1_QueryMeta, QueryMeta__Output as _roster_registry_v1_QueryMeta__Output } from './roster/registry/v1/QueryMeta.js';
import type { QueryOptions as _roster_registry_v1_QueryOptions, QueryOptions__Output as _roster_registry_v1_QueryOptions__Output } from './roster/registry/v1/QueryOptions.js';
import type { RegisterRequest as _roster_registry_v1_RegisterRequest, RegisterRequest__Output as _roster_registry_v1_RegisterRequest__Output } from './roster/registry/v1/RegisterRequest.js';
import type { ReleaseRequest as _roster_registry_v1_ReleaseRequest, ReleaseRequest__Output as _roster_registry_v1_ReleaseRequest__Output } from './roster/registry/v1/ReleaseRequest.js';
import type { ReleaseResponse as _roster_registry_v1_ReleaseResponse, ReleaseResponse__Output as _roster_registry_v1_ReleaseResponse__Output } from './roster/registry/v1/ReleaseResponse.js';
import type { Service as _roster_registry_v1_Service, Service__Output as _roster_registry_v1_Service__Output } from './roster/registry/v1/Service.js';
import type { ServiceHealthTarget as _roster_registry_v1_ServiceHealthTarget, ServiceHealthTarget__Output as _roster_registry_v1_ServiceHealthTarget__Output } from './roster/registry/v1/ServiceHealthTarget.js';
import type { ServiceInstancesRequest as _roster_registry_v1_ServiceInstancesRequest, ServiceInstancesRequest__Output as _roster_registry_v1_ServiceInstancesRequest__Output } from './roster/registry/v1/ServiceInstancesRequest.js';
import type { ServiceInstancesResponse as _roster_registry_v1_ServiceInstancesResponse, ServiceInstancesResponse__Output as _roster_registry_v1_ServiceInstancesResponse__Output } from './roster/registry/v1/ServiceInstancesResponse.js';
import type { ServiceSummary as _roster_registry_v1_ServiceSummary, ServiceSummary__Output as _roster_registry_v1_ServiceSummary__Output } from './roster/registry/v1/ServiceSummary.js';
import type { ServiceTxnOp as _roster_registry_v1_ServiceTxnOp, ServiceTxnOp__Output as _roster_registry_v1_ServiceTxnOp__Output } from './roster/registry/v1/ServiceTxnOp.js';
import type { ServicesTarget as _roster_registry_v1_ServicesTarget, ServicesTarget__Output as _roster_registry_v1_ServicesTarget__Output } from './roster/registry/v1/ServicesTarget.js';
import type { Session as _roster_registry_v1_Session, Session__Output as _roster_registry_v1_Session__Output } from './roster/registry/v1/Session.js';
import type { SessionInfoRequest as _roster_registry_v1_SessionInfoRequest, SessionInfoRequest__Output as _roster_registry_v1_SessionInfoRequest__Output } from './roster/registry/v1/SessionInfoRequest.js';
import type { SessionRequest as _roster_registry_v1_SessionRequest, SessionRequest__Output as _roster_registry_v1_SessionRequest__Output } from './roster/registry/v1/SessionRequest.js';
import type { SessionResponse as _roster_registry_v1_SessionResponse, SessionResponse__Output as _roster_registry_v1_SessionResponse__Output } from './roster/registry/v1/SessionResponse.js';
import type { SessionsClient as _roster_registry_v1_SessionsClient, SessionsDefinition as _roster_registry_v1_SessionsDefinition } from './roster/registry/v1/Sessions.js';
import type { SessionsTarget as _roster_registry_v1_SessionsTarget, SessionsTarget__Output as _roster_registry_v1_SessionsTarget__Output } from './roster/registry/v1/SessionsTarget.js';
import type { TxnClient as _roster_registry_v1_TxnClient, TxnDefinition as _roster_registry_v1_TxnDefinition } from './roster/registry/v1/Txn.js';
import type { TxnError as _roster_registry_v1_TxnError, TxnError__Output as _roster_registry_v1_TxnError__Output } from './roster/registry/v1/TxnError.js';
import type { TxnOp as _roster_registry_v1_TxnOp, TxnOp__Output as _roster_registry_v1_TxnOp__Output } from './roster/registry/v1/TxnOp.js';
import type { TxnRequest as _roster_registry_v1_TxnRequest, TxnRequest__Output as _roster_registry_v1_TxnRequest__Output } from './roster/registry/v1/TxnRequest.js';
import type { TxnResponse as _roster_registry_v1_TxnResponse, TxnResponse__Output as _roster_registry_v1_TxnResponse__Output } from './roster/registry/v1/TxnResponse.js';
import type { TxnResult as _roster_registry_v1_TxnResult, TxnResult__Output as _roster_registry_v1_TxnResult__Output } from './roster/registry/v1/TxnResult.js';
import type { UpdateTtlRequest as _roster_registry_v1_UpdateTtlRequest, UpdateTtlRequest__Output as _roster_registry_v1_UpdateTtlRequest__Output } from './roster/registry/v1/UpdateTtlRequest.js';
import type { UpdateTtlResponse as _roster_registry_v1_UpdateTtlResponse, UpdateTtlResponse__Output as _roster_registry_v1_UpdateTtlResponse__Output } from './roster/registry/v1/UpdateTtlResponse.js';
import type { WatchClient as _roster_registry_v1_WatchClient, WatchDefinition as _roster_registry_v1_WatchDefinition } from './roster/registry/v1/Watch.js';
import type { WatchCancel as _roster_registry_v1_WatchCancel, WatchCancel__Output as _roster_registry_v1_WatchCancel__Output } from './roster/registry/v1/WatchCancel.js';
import type { WatchCreate as _roster_registry_v1_WatchCreate, WatchCreate__Output as _roster_registry_v1_WatchCreate__Output } from './roster/registry/v1/WatchCreate.js';
import type { WatchRequest as _roster_registry_v1_WatchRequest, WatchRequest__Output as _roster_registry_v1_WatchRequest__Output } from './roster/registry/v1/WatchRequest.js';
import type { WatchResponse as _roster_registry_v1_WatchResponse, WatchResponse__Output as _roster_registry_v1_WatchResponse__Output } from './roster/registry/v1/WatchResponse.js';
import type { Weights as _roster_registry_v1_Weights, Weights__Output as _roster_registry_v1_Weights__Output } from './roster/registry/v1/Weights.js';
import type { WriteResponse as _roster_registry_v1_WriteResponse, WriteResponse__Output as _roster_registry_v1_WriteResponse__Output } from './roster/registry/v1/WriteResponse.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  roster: {
    registry: {
      v1: {
        AcquireRequest: MessageTypeDefinition<_roster_registry_v1_AcquireRequest, _roster_registry_v1_AcquireRequest__Output>
        AcquireResponse: MessageTypeDefinition<_roster_registry_v1_AcquireResponse, _roster_registry_v1_AcquireResponse__Output>
        Catalog: SubtypeConstructor<typeof grpc.Client, _roster_registry_v1_CatalogClient> & { service: _roster_registry_v1_CatalogDefinition }
        Change: MessageTypeDefinition<_roster_registry_v1_Change, _roster_registry_v1_Change__Output>
        Check: MessageTypeDefinition<_roster_registry_v1_Check, _roster_registry_v1_Check__Output>
        CheckTxnOp: MessageTypeDefinition<_roster_registry_v1_CheckTxnOp, _roster_registry_v1_CheckTxnOp__Output>
        ChecksRequest: MessageTypeDefinition<_roster_registry_v1_ChecksRequest, _roster_registry_v1_ChecksRequest__Output>
        ChecksResponse: MessageTypeDefinition<_roster_registry_v1_ChecksResponse, _roster_registry_v1_ChecksResponse__Output>
        ChecksTarget: MessageTypeDefinition<_roster_registry_v1_ChecksTarget, _roster_registry_v1_ChecksTarget__Output>
        Consistency: EnumTypeDefinition
        CreateSessionRequest: MessageTypeDefinition<_roster_registry_v1_CreateSessionRequest, _roster_registry_v1_CreateSessionRequest__Output>
        CreateSessionResponse: MessageTypeDefinition<_roster_registry_v1_CreateSessionResponse, _roster_registry_v1_CreateSessionResponse__Output>
        DeregisterRequest: MessageTypeDefinition<_roster_registry_v1_DeregisterRequest, _roster_registry_v1_DeregisterRequest__Output>
        GetLockRequest: MessageTypeDefinition<_roster_registry_v1_GetLockRequest, _roster_registry_v1_GetLockRequest__Output>
        GetLockResponse: MessageTypeDefinition<_roster_registry_v1_GetLockResponse, _roster_registry_v1_GetLockResponse__Output>
        Health: SubtypeConstructor<typeof grpc.Client, _roster_registry_v1_HealthClient> & { service: _roster_registry_v1_HealthDefinition }
        HealthStatus: EnumTypeDefinition
        Instance: MessageTypeDefinition<_roster_registry_v1_Instance, _roster_registry_v1_Instance__Output>
        Item: MessageTypeDefinition<_roster_registry_v1_Item, _roster_registry_v1_Item__Output>
        KvEntry: MessageTypeDefinition<_roster_registry_v1_KvEntry, _roster_registry_v1_KvEntry__Output>
        KvTxnOp: MessageTypeDefinition<_roster_registry_v1_KvTxnOp, _roster_registry_v1_KvTxnOp__Output>
        ListNodesRequest: MessageTypeDefinition<_roster_registry_v1_ListNodesRequest, _roster_registry_v1_ListNodesRequest__Output>
        ListNodesResponse: MessageTypeDefinition<_roster_registry_v1_ListNodesResponse, _roster_registry_v1_ListNodesResponse__Output>
        ListServicesRequest: MessageTypeDefinition<_roster_registry_v1_ListServicesRequest, _roster_registry_v1_ListServicesRequest__Output>
        ListServicesResponse: MessageTypeDefinition<_roster_registry_v1_ListServicesResponse, _roster_registry_v1_ListServicesResponse__Output>
        ListSessionsRequest: MessageTypeDefinition<_roster_registry_v1_ListSessionsRequest, _roster_registry_v1_ListSessionsRequest__Output>
        ListSessionsResponse: MessageTypeDefinition<_roster_registry_v1_ListSessionsResponse, _roster_registry_v1_ListSessionsResponse__Output>
        LockState: MessageTypeDefinition<_roster_registry_v1_LockState, _roster_registry_v1_LockState__Output>
        LockTarget: MessageTypeDefinition<_roster_registry_v1_LockTarget, _roster_registry_v1_LockTarget__Output>
        Locks: SubtypeConstructor<typeof grpc.Client, _roster_registry_v1_LocksClient> & { service: _roster_registry_v1_LocksDefinition }
        Node: MessageTypeDefinition<_roster_registry_v1_Node, _roster_registry_v1_Node__Output>
        NodeServicesRequest: MessageTypeDefinition<_roster_registry_v1_NodeServicesRequest, _roster_registry_v1_NodeServicesRequest__Output>
        NodeServicesResponse: MessageTypeDefinition<_roster_registry_v1_NodeServicesResponse, _roster_registry_v1_NodeServicesResponse__Output>
        NodeTarget: MessageTypeDefinition<_roster_registry_v1_NodeTarget, _roster_registry_v1_NodeTarget__Output>
        NodeTxnOp: MessageTypeDefinition<_roster_registry_v1_NodeTxnOp, _roster_registry_v1_NodeTxnOp__Output>
        NodesTarget: MessageTypeDefinition<_roster_registry_v1_NodesTarget, _roster_registry_v1_NodesTarget__Output>
        QueryMeta: MessageTypeDefinition<_roster_registry_v1_QueryMeta, _roster_registry_v1_QueryMeta__Output>
        QueryOptions: MessageTypeDefinition<_roster_registry_v1_QueryOptions, _roster_registry_v1_QueryOptions__Output>
        RegisterRequest: MessageTypeDefinition<_roster_registry_v1_RegisterRequest, _roster_registry_v1_RegisterRequest__Output>
        ReleaseRequest: MessageTypeDefinition<_roster_registry_v1_ReleaseRequest, _roster_registry_v1_ReleaseRequest__Output>
        ReleaseResponse: MessageTypeDefinition<_roster_registry_v1_ReleaseResponse, _roster_registry_v1_ReleaseResponse__Output>
        Service: MessageTypeDefinition<_roster_registry_v1_Service, _roster_registry_v1_Service__Output>
        ServiceHealthTarget: MessageTypeDefinition<_roster_registry_v1_ServiceHealthTarget, _roster_registry_v1_ServiceHealthTarget__Output>
        ServiceInstancesRequest: MessageTypeDefinition<_roster_registry_v1_ServiceInstancesRequest, _roster_registry_v1_ServiceInstancesRequest__Output>
        ServiceInstancesResponse: MessageTypeDefinition<_roster_registry_v1_ServiceInstancesResponse, _roster_registry_v1_ServiceInstancesResponse__Output>
        ServiceSummary: MessageTypeDefinition<_roster_registry_v1_ServiceSummary, _roster_registry_v1_ServiceSummary__Output>
        ServiceTxnOp: MessageTypeDefinition<_roster_registry_v1_ServiceTxnOp, _roster_registry_v1_ServiceTxnOp__Output>
        ServicesTarget: MessageTypeDefinition<_roster_registry_v1_ServicesTarget, _roster_registry_v1_ServicesTarget__Output>
        Session: MessageTypeDefinition<_roster_registry_v1_Session, _roster_registry_v1_Session__Output>
        SessionBehavior: EnumTypeDefinition
        SessionInfoRequest: MessageTypeDefinition<_roster_registry_v1_SessionInfoRequest, _roster_registry_v1_SessionInfoRequest__Output>
        SessionRequest: MessageTypeDefinition<_roster_registry_v1_SessionRequest, _roster_registry_v1_SessionRequest__Output>
        SessionResponse: MessageTypeDefinition<_roster_registry_v1_SessionResponse, _roster_registry_v1_SessionResponse__Output>
        Sessions: SubtypeConstructor<typeof grpc.Client, _roster_registry_v1_SessionsClient> & { service: _roster_registry_v1_SessionsDefinition }
        SessionsTarget: MessageTypeDefinition<_roster_registry_v1_SessionsTarget, _roster_registry_v1_SessionsTarget__Output>
        Txn: SubtypeConstructor<typeof grpc.Client, _roster_registry_v1_TxnClient> & { service: _roster_registry_v1_TxnDefinition }
        TxnError: MessageTypeDefinition<_roster_registry_v1_TxnError, _roster_registry_v1_TxnError__Output>
        TxnOp: MessageTypeDefinition<_roster_registry_v1_TxnOp, _roster_registry_v1_TxnOp__Output>
        TxnRequest: MessageTypeDefinition<_roster_registry_v1_TxnRequest, _roster_registry_v1_TxnRequest__Output>
        TxnResponse: MessageTypeDefinition<_roster_registry_v1_TxnResponse, _roster_registry_v1_TxnResponse__Output>
        TxnResult: MessageTypeDefinition<_roster_registry_v1_TxnResult, _roster_registry_v1_TxnResult__Output>
        UpdateTtlRequest: MessageTypeDefinition<_roster_registry_v1_UpdateTtlRequest, _roster_registry_v1_UpdateTtlRequest__Output>
        UpdateTtlResponse: MessageTypeDefinition<_roster_registry_v1_UpdateTtlResponse, _roster_registry_v1_UpdateTtlResponse__Output>
        Watch: SubtypeConstructor<typeof grpc.Client, _roster_registry_v1_WatchClient> & { service: _roster_registry_v1_WatchDefinition }
        WatchCancel: MessageTypeDefinition<_roster_registry_v1_WatchCancel, _roster_registry_v1_WatchCancel__Output>
        WatchCreate: MessageTypeDefinition<_roster_registry_v1_WatchCreate, _roster_registry_v1_WatchCreate__Output>
        WatchRequest: MessageTypeDefinition<_roster_registry_v1_WatchRequest, _roster_registry_v1_WatchRequest__Output>
        WatchResponse: MessageTypeDefinition<_roster_registry_v1_WatchResponse, _roster_registry_v1_WatchResponse__Output>
        Weights: MessageTypeDefinition<_roster_registry_v1_Weights, _roster_registry_v1_Weights__Output>
        WriteResponse: MessageTypeDefinition<_roster_registry_v1_WriteResponse, _roster_registry_v1_WriteResponse__Output>
      }
    }
  }
}

