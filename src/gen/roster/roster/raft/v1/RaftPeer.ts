// Original file: proto/roster/raft.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { ForwardRequest as _roster_raft_v1_ForwardRequest, ForwardRequest__Output as _roster_raft_v1_ForwardRequest__Output } from '../../../roster/raft/v1/ForwardRequest.js';
import type { ForwardResponse as _roster_raft_v1_ForwardResponse, ForwardResponse__Output as _roster_raft_v1_ForwardResponse__Output } from '../../../roster/raft/v1/ForwardResponse.js';
import type { RaftMessage as _roster_raft_v1_RaftMessage, RaftMessage__Output as _roster_raft_v1_RaftMessage__Output } from '../../../roster/raft/v1/RaftMessage.js';
import type { SnapshotChunk as _roster_raft_v1_SnapshotChunk, SnapshotChunk__Output as _roster_raft_v1_SnapshotChunk__Output } from '../../../roster/raft/v1/SnapshotChunk.js';
import type { SnapshotReceipt as _roster_raft_v1_SnapshotReceipt, SnapshotReceipt__Output as _roster_raft_v1_SnapshotReceipt__Output } from '../../../roster/raft/v1/SnapshotReceipt.js';
import type { StreamSummary as _roster_raft_v1_StreamSummary, StreamSummary__Output as _roster_raft_v1_StreamSummary__Output } from '../../../roster/raft/v1/StreamSummary.js';

export interface RaftPeerClient extends grpc.Client {
  Forward(argument: _roster_raft_v1_ForwardRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_raft_v1_ForwardResponse__Output>): grpc.ClientUnaryCall;
  Forward(argument: _roster_raft_v1_ForwardRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_raft_v1_ForwardResponse__Output>): grpc.ClientUnaryCall;
  Forward(argument: _roster_raft_v1_ForwardRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_raft_v1_ForwardResponse__Output>): grpc.ClientUnaryCall;
  Forward(argument: _roster_raft_v1_ForwardRequest, callback: grpc.requestCallback<_roster_raft_v1_ForwardResponse__Output>): grpc.ClientUnaryCall;
  forward(argument: _roster_raft_v1_ForwardRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_raft_v1_ForwardResponse__Output>): grpc.ClientUnaryCall;
  forward(argument: _roster_raft_v1_ForwardRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_raft_v1_ForwardResponse__Output>): grpc.ClientUnaryCall;
  forward(argument: _roster_raft_v1_ForwardRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_raft_v1_ForwardResponse__Output>): grpc.ClientUnaryCall;
  forward(argument: _roster_raft_v1_ForwardRequest, callback: grpc.requestCallback<_roster_raft_v1_ForwardResponse__Output>): grpc.ClientUnaryCall;
  
  InstallSnapshot(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_raft_v1_SnapshotReceipt__Output>): grpc.ClientWritableStream<_roster_raft_v1_SnapshotChunk>;
  InstallSnapshot(metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_raft_v1_SnapshotReceipt__Output>): grpc.ClientWritableStream<_roster_raft_v1_SnapshotChunk>;
  InstallSnapshot(options: grpc.CallOptions, callback: grpc.requestCallback<_roster_raft_v1_SnapshotReceipt__Output>): grpc.ClientWritableStream<_roster_raft_v1_SnapshotChunk>;
  InstallSnapshot(callback: grpc.requestCallback<_roster_raft_v1_SnapshotReceipt__Output>): grpc.ClientWritableStream<_roster_raft_v1_SnapshotChunk>;
  installSnapshot(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_raft_v1_SnapshotReceipt__Output>): grpc.ClientWritableStream<_roster_raft_v1_SnapshotChunk>;
  installSnapshot(metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_raft_v1_SnapshotReceipt__Output>): grpc.ClientWritableStream<_roster_raft_v1_SnapshotChunk>;
  installSnapshot(options: grpc.CallOptions, callback: grpc.requestCallback<_roster_raft_v1_SnapshotReceipt__Output>): grpc.ClientWritableStream<_roster_raft_v1_SnapshotChunk>;
  installSnapshot(callback: grpc.requestCallback<_roster_raft_v1_SnapshotReceipt__Output>): grpc.ClientWritableStream<_roster_raft_v1_SnapshotChunk>;
  
  Stream(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_raft_v1_StreamSummary__Output>): grpc.ClientWritableStream<_roster_raft_v1_RaftMessage>;
  Stream(metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_raft_v1_StreamSummary__Output>): grpc.ClientWritableStream<_roster_raft_v1_RaftMessage>;
  Stream(options: grpc.CallOptions, callback: grpc.requestCallback<_roster_raft_v1_StreamSummary__Output>): grpc.ClientWritableStream<_roster_raft_v1_RaftMessage>;
  Stream(callback: grpc.requestCallback<_roster_raft_v1_StreamSummary__Output>): grpc.ClientWritableStream<_roster_raft_v1_RaftMessage>;
  stream(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_raft_v1_StreamSummary__Output>): grpc.ClientWritableStream<_roster_raft_v1_RaftMessage>;
  stream(metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_raft_v1_StreamSummary__Output>): grpc.ClientWritableStream<_roster_raft_v1_RaftMessage>;
  stream(options: grpc.CallOptions, callback: grpc.requestCallback<_roster_raft_v1_StreamSummary__Output>): grpc.ClientWritableStream<_roster_raft_v1_RaftMessage>;
  stream(callback: grpc.requestCallback<_roster_raft_v1_StreamSummary__Output>): grpc.ClientWritableStream<_roster_raft_v1_RaftMessage>;
  
}

export interface RaftPeerHandlers extends grpc.UntypedServiceImplementation {
  Forward: grpc.handleUnaryCall<_roster_raft_v1_ForwardRequest__Output, _roster_raft_v1_ForwardResponse>;
  
  InstallSnapshot: grpc.handleClientStreamingCall<_roster_raft_v1_SnapshotChunk__Output, _roster_raft_v1_SnapshotReceipt>;
  
  Stream: grpc.handleClientStreamingCall<_roster_raft_v1_RaftMessage__Output, _roster_raft_v1_StreamSummary>;
  
}

export interface RaftPeerDefinition extends grpc.ServiceDefinition {
  Forward: MethodDefinition<_roster_raft_v1_ForwardRequest, _roster_raft_v1_ForwardResponse, _roster_raft_v1_ForwardRequest__Output, _roster_raft_v1_ForwardResponse__Output>
  InstallSnapshot: MethodDefinition<_roster_raft_v1_SnapshotChunk, _roster_raft_v1_SnapshotReceipt, _roster_raft_v1_SnapshotChunk__Output, _roster_raft_v1_SnapshotReceipt__Output>
  Stream: MethodDefinition<_roster_raft_v1_RaftMessage, _roster_raft_v1_StreamSummary, _roster_raft_v1_RaftMessage__Output, _roster_raft_v1_StreamSummary__Output>
}
