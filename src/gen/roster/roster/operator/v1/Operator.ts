// Original file: proto/roster/operator.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AddLearnerRequest as _roster_operator_v1_AddLearnerRequest, AddLearnerRequest__Output as _roster_operator_v1_AddLearnerRequest__Output } from '../../../roster/operator/v1/AddLearnerRequest.js';
import type { KeyringRequest as _roster_operator_v1_KeyringRequest, KeyringRequest__Output as _roster_operator_v1_KeyringRequest__Output } from '../../../roster/operator/v1/KeyringRequest.js';
import type { KeyringResponse as _roster_operator_v1_KeyringResponse, KeyringResponse__Output as _roster_operator_v1_KeyringResponse__Output } from '../../../roster/operator/v1/KeyringResponse.js';
import type { MemberRequest as _roster_operator_v1_MemberRequest, MemberRequest__Output as _roster_operator_v1_MemberRequest__Output } from '../../../roster/operator/v1/MemberRequest.js';
import type { MembersRequest as _roster_operator_v1_MembersRequest, MembersRequest__Output as _roster_operator_v1_MembersRequest__Output } from '../../../roster/operator/v1/MembersRequest.js';
import type { MembersResponse as _roster_operator_v1_MembersResponse, MembersResponse__Output as _roster_operator_v1_MembersResponse__Output } from '../../../roster/operator/v1/MembersResponse.js';
import type { MembershipResponse as _roster_operator_v1_MembershipResponse, MembershipResponse__Output as _roster_operator_v1_MembershipResponse__Output } from '../../../roster/operator/v1/MembershipResponse.js';
import type { RaftPeersRequest as _roster_operator_v1_RaftPeersRequest, RaftPeersRequest__Output as _roster_operator_v1_RaftPeersRequest__Output } from '../../../roster/operator/v1/RaftPeersRequest.js';
import type { RaftPeersResponse as _roster_operator_v1_RaftPeersResponse, RaftPeersResponse__Output as _roster_operator_v1_RaftPeersResponse__Output } from '../../../roster/operator/v1/RaftPeersResponse.js';
import type { SnapshotChunk as _roster_operator_v1_SnapshotChunk, SnapshotChunk__Output as _roster_operator_v1_SnapshotChunk__Output } from '../../../roster/operator/v1/SnapshotChunk.js';
import type { SnapshotRequest as _roster_operator_v1_SnapshotRequest, SnapshotRequest__Output as _roster_operator_v1_SnapshotRequest__Output } from '../../../roster/operator/v1/SnapshotRequest.js';
import type { StatsRequest as _roster_operator_v1_StatsRequest, StatsRequest__Output as _roster_operator_v1_StatsRequest__Output } from '../../../roster/operator/v1/StatsRequest.js';
import type { StatsResponse as _roster_operator_v1_StatsResponse, StatsResponse__Output as _roster_operator_v1_StatsResponse__Output } from '../../../roster/operator/v1/StatsResponse.js';

export interface OperatorClient extends grpc.Client {
  AddLearner(argument: _roster_operator_v1_AddLearnerRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_operator_v1_MembershipResponse__Output>): grpc.ClientUnaryCall;
  AddLearner(argument: _roster_operator_v1_AddLearnerRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_operator_v1_MembershipResponse__Output>): grpc.ClientUnaryCall;
  AddLearner(argument: _roster_operator_v1_AddLearnerRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_operator_v1_MembershipResponse__Output>): grpc.ClientUnaryCall;
  AddLearner(argument: _roster_operator_v1_AddLearnerRequest, callback: grpc.requestCallback<_roster_operator_v1_MembershipResponse__Output>): grpc.ClientUnaryCall;
  addLearner(argument: _roster_operator_v1_AddLearnerRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_operator_v1_MembershipResponse__Output>): grpc.ClientUnaryCall;
  addLearner(argument: _roster_operator_v1_AddLearnerRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_operator_v1_MembershipResponse__Output>): grpc.ClientUnaryCall;
  addLearner(argument: _roster_operator_v1_AddLearnerRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_operator_v1_MembershipResponse__Output>): grpc.ClientUnaryCall;
  addLearner(argument: _roster_operator_v1_AddLearnerRequest, callback: grpc.requestCallback<_roster_operator_v1_MembershipResponse__Output>): grpc.ClientUnaryCall;
  
  Keyring(argument: _roster_operator_v1_KeyringRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_operator_v1_KeyringResponse__Output>): grpc.ClientUnaryCall;
  Keyring(argument: _roster_operator_v1_KeyringRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_operator_v1_KeyringResponse__Output>): grpc.ClientUnaryCall;
  Keyring(argument: _roster_operator_v1_KeyringRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_operator_v1_KeyringResponse__Output>): grpc.ClientUnaryCall;
  Keyring(argument: _roster_operator_v1_KeyringRequest, callback: grpc.requestCallback<_roster_operator_v1_KeyringResponse__Output>): grpc.ClientUnaryCall;
  keyring(argument: _roster_operator_v1_KeyringRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_operator_v1_KeyringResponse__Output>): grpc.ClientUnaryCall;
  keyring(argument: _roster_operator_v1_KeyringRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_operator_v1_KeyringResponse__Output>): grpc.ClientUnaryCall;
  keyring(argument: _roster_operator_v1_KeyringRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_operator_v1_KeyringResponse__Output>): grpc.ClientUnaryCall;
  keyring(argument: _roster_operator_v1_KeyringRequest, callback: grpc.requestCallback<_roster_operator_v1_KeyringResponse__Output>): grpc.ClientUnaryCall;
  
  Members(argument: _roster_operator_v1_MembersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_operator_v1_MembersResponse__Output>): grpc.ClientUnaryCall;
  Members(argument: _roster_operator_v1_MembersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_operator_v1_MembersResponse__Output>): grpc.ClientUnaryCall;
  Members(argument: _roster_operator_v1_MembersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_operator_v1_MembersResponse__Output>): grpc.ClientUnaryCall;
  Members(argument: _roster_operator_v1_MembersRequest, callback: grpc.requestCallback<_roster_operator_v1_MembersResponse__Output>): grpc.ClientUnaryCall;
  members(argument: _roster_operator_v1_MembersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_operator_v1_MembersResponse__Output>): grpc.ClientUnaryCall;
  members(argument: _roster_operator_v1_MembersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_operator_v1_MembersResponse__Output>): grpc.ClientUnaryCall;
  members(argument: _roster_operator_v1_MembersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_operator_v1_MembersResponse__Output>): grpc.ClientUnaryCall;
  members(argument: _roster_operator_v1_MembersRequest, callback: grpc.requestCallback<_roster_operator_v1_MembersResponse__Output>): grpc.ClientUnaryCall;
  
  Promote(argument: _roster_operator_v1_MemberRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_operator_v1_MembershipResponse__Output>): grpc.ClientUnaryCall;
  Promote(argument: _roster_operator_v1_MemberRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_operator_v1_MembershipResponse__Output>): grpc.ClientUnaryCall;
  Promote(argument: _roster_operator_v1_MemberRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_operator_v1_MembershipResponse__Output>): grpc.ClientUnaryCall;
  Promote(argument: _roster_operator_v1_MemberRequest, callback: grpc.requestCallback<_roster_operator_v1_MembershipResponse__Output>): grpc.ClientUnaryCall;
  promote(argument: _roster_operator_v1_MemberRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_operator_v1_MembershipResponse__Output>): grpc.ClientUnaryCall;
  promote(argument: _roster_operator_v1_MemberRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_operator_v1_MembershipResponse__Output>): grpc.ClientUnaryCall;
  promote(argument: _roster_operator_v1_MemberRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_operator_v1_MembershipResponse__Output>): grpc.ClientUnaryCall;
  promote(argument: _roster_operator_v1_MemberRequest, callback: grpc.requestCallback<_roster_operator_v1_MembershipResponse__Output>): grpc.ClientUnaryCall;
  
  RaftPeers(argument: _roster_operator_v1_RaftPeersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_operator_v1_RaftPeersResponse__Output>): grpc.ClientUnaryCall;
  RaftPeers(argument: _roster_operator_v1_RaftPeersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_operator_v1_RaftPeersResponse__Output>): grpc.ClientUnaryCall;
  RaftPeers(argument: _roster_operator_v1_RaftPeersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_operator_v1_RaftPeersResponse__Output>): grpc.ClientUnaryCall;
  RaftPeers(argument: _roster_operator_v1_RaftPeersRequest, callback: grpc.requestCallback<_roster_operator_v1_RaftPeersResponse__Output>): grpc.ClientUnaryCall;
  raftPeers(argument: _roster_operator_v1_RaftPeersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_operator_v1_RaftPeersResponse__Output>): grpc.ClientUnaryCall;
  raftPeers(argument: _roster_operator_v1_RaftPeersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_operator_v1_RaftPeersResponse__Output>): grpc.ClientUnaryCall;
  raftPeers(argument: _roster_operator_v1_RaftPeersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_operator_v1_RaftPeersResponse__Output>): grpc.ClientUnaryCall;
  raftPeers(argument: _roster_operator_v1_RaftPeersRequest, callback: grpc.requestCallback<_roster_operator_v1_RaftPeersResponse__Output>): grpc.ClientUnaryCall;
  
  Remove(argument: _roster_operator_v1_MemberRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_operator_v1_MembershipResponse__Output>): grpc.ClientUnaryCall;
  Remove(argument: _roster_operator_v1_MemberRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_operator_v1_MembershipResponse__Output>): grpc.ClientUnaryCall;
  Remove(argument: _roster_operator_v1_MemberRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_operator_v1_MembershipResponse__Output>): grpc.ClientUnaryCall;
  Remove(argument: _roster_operator_v1_MemberRequest, callback: grpc.requestCallback<_roster_operator_v1_MembershipResponse__Output>): grpc.ClientUnaryCall;
  remove(argument: _roster_operator_v1_MemberRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_operator_v1_MembershipResponse__Output>): grpc.ClientUnaryCall;
  remove(argument: _roster_operator_v1_MemberRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_operator_v1_MembershipResponse__Output>): grpc.ClientUnaryCall;
  remove(argument: _roster_operator_v1_MemberRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_operator_v1_MembershipResponse__Output>): grpc.ClientUnaryCall;
  remove(argument: _roster_operator_v1_MemberRequest, callback: grpc.requestCallback<_roster_operator_v1_MembershipResponse__Output>): grpc.ClientUnaryCall;
  
  Snapshot(argument: _roster_operator_v1_SnapshotRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_roster_operator_v1_SnapshotChunk__Output>;
  Snapshot(argument: _roster_operator_v1_SnapshotRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_roster_operator_v1_SnapshotChunk__Output>;
  snapshot(argument: _roster_operator_v1_SnapshotRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_roster_operator_v1_SnapshotChunk__Output>;
  snapshot(argument: _roster_operator_v1_SnapshotRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_roster_operator_v1_SnapshotChunk__Output>;
  
  Stats(argument: _roster_operator_v1_StatsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_operator_v1_StatsResponse__Output>): grpc.ClientUnaryCall;
  Stats(argument: _roster_operator_v1_StatsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_operator_v1_StatsResponse__Output>): grpc.ClientUnaryCall;
  Stats(argument: _roster_operator_v1_StatsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_operator_v1_StatsResponse__Output>): grpc.ClientUnaryCall;
  Stats(argument: _roster_operator_v1_StatsRequest, callback: grpc.requestCallback<_roster_operator_v1_StatsResponse__Output>): grpc.ClientUnaryCall;
  stats(argument: _roster_operator_v1_StatsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_operator_v1_StatsResponse__Output>): grpc.ClientUnaryCall;
  stats(argument: _roster_operator_v1_StatsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_operator_v1_StatsResponse__Output>): grpc.ClientUnaryCall;
  stats(argument: _roster_operator_v1_StatsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_operator_v1_StatsResponse__Output>): grpc.ClientUnaryCall;
  stats(argument: _roster_operator_v1_StatsRequest, callback: grpc.requestCallback<_roster_operator_v1_StatsResponse__Output>): grpc.ClientUnaryCall;
  
  TransferLeader(argument: _roster_operator_v1_MemberRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_operator_v1_MembershipResponse__Output>): grpc.ClientUnaryCall;
  TransferLeader(argument: _roster_operator_v1_MemberRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_operator_v1_MembershipResponse__Output>): grpc.ClientUnaryCall;
  TransferLeader(argument: _roster_operator_v1_MemberRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_operator_v1_MembershipResponse__Output>): grpc.ClientUnaryCall;
  TransferLeader(argument: _roster_operator_v1_MemberRequest, callback: grpc.requestCallback<_roster_operator_v1_MembershipResponse__Output>): grpc.ClientUnaryCall;
  transferLeader(argument: _roster_operator_v1_MemberRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_operator_v1_MembershipResponse__Output>): grpc.ClientUnaryCall;
  transferLeader(argument: _roster_operator_v1_MemberRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_operator_v1_MembershipResponse__Output>): grpc.ClientUnaryCall;
  transferLeader(argument: _roster_operator_v1_MemberRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_operator_v1_MembershipResponse__Output>): grpc.ClientUnaryCall;
  transferLeader(argument: _roster_operator_v1_MemberRequest, callback: grpc.requestCallback<_roster_operator_v1_MembershipResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface OperatorHandlers extends grpc.UntypedServiceImplementation {
  AddLearner: grpc.handleUnaryCall<_roster_operator_v1_AddLearnerRequest__Output, _roster_operator_v1_MembershipResponse>;
  
  Keyring: grpc.handleUnaryCall<_roster_operator_v1_KeyringRequest__Output, _roster_operator_v1_KeyringResponse>;
  
  Members: grpc.handleUnaryCall<_roster_operator_v1_MembersRequest__Output, _roster_operator_v1_MembersResponse>;
  
  Promote: grpc.handleUnaryCall<_roster_operator_v1_MemberRequest__Output, _roster_operator_v1_MembershipResponse>;
  
  RaftPeers: grpc.handleUnaryCall<_roster_operator_v1_RaftPeersRequest__Output, _roster_operator_v1_RaftPeersResponse>;
  
  Remove: grpc.handleUnaryCall<_roster_operator_v1_MemberRequest__Output, _roster_operator_v1_MembershipResponse>;
  
  Snapshot: grpc.handleServerStreamingCall<_roster_operator_v1_SnapshotRequest__Output, _roster_operator_v1_SnapshotChunk>;
  
  Stats: grpc.handleUnaryCall<_roster_operator_v1_StatsRequest__Output, _roster_operator_v1_StatsResponse>;
  
  TransferLeader: grpc.handleUnaryCall<_roster_operator_v1_MemberRequest__Output, _roster_operator_v1_MembershipResponse>;
  
}

export interface OperatorDefinition extends grpc.ServiceDefinition {
  AddLearner: MethodDefinition<_roster_operator_v1_AddLearnerRequest, _roster_operator_v1_MembershipResponse, _roster_operator_v1_AddLearnerRequest__Output, _roster_operator_v1_MembershipResponse__Output>
  Keyring: MethodDefinition<_roster_operator_v1_KeyringRequest, _roster_operator_v1_KeyringResponse, _roster_operator_v1_KeyringRequest__Output, _roster_operator_v1_KeyringResponse__Output>
  Members: MethodDefinition<_roster_operator_v1_MembersRequest, _roster_operator_v1_MembersResponse, _roster_operator_v1_MembersRequest__Output, _roster_operator_v1_MembersResponse__Output>
  Promote: MethodDefinition<_roster_operator_v1_MemberRequest, _roster_operator_v1_MembershipResponse, _roster_operator_v1_MemberRequest__Output, _roster_operator_v1_MembershipResponse__Output>
  RaftPeers: MethodDefinition<_roster_operator_v1_RaftPeersRequest, _roster_operator_v1_RaftPeersResponse, _roster_operator_v1_RaftPeersRequest__Output, _roster_operator_v1_RaftPeersResponse__Output>
  Remove: MethodDefinition<_roster_operator_v1_MemberRequest, _roster_operator_v1_MembershipResponse, _roster_operator_v1_MemberRequest__Output, _roster_operator_v1_MembershipResponse__Output>
  Snapshot: MethodDefinition<_roster_operator_v1_SnapshotRequest, _roster_operator_v1_SnapshotChunk, _roster_operator_v1_SnapshotRequest__Output, _roster_operator_v1_SnapshotChunk__Output>
  Stats: MethodDefinition<_roster_operator_v1_StatsRequest, _roster_operator_v1_StatsResponse, _roster_operator_v1_StatsRequest__Output, _roster_operator_v1_StatsResponse__Output>
  TransferLeader: MethodDefinition<_roster_operator_v1_MemberRequest, _roster_operator_v1_MembershipResponse, _roster_operator_v1_MemberRequest__Output, _roster_operator_v1_MembershipResponse__Output>
}
