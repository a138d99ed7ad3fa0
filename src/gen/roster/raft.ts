// @ts-nocheck generated loader typings
import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { ConfState as _roster_raft_v1_ConfState, ConfState__Output as _roster_raft_v1_ConfState__Output } from './roster/raft/v1/ConfState.js';
import type { Entry as _roster_raft_v1_Entry, Entry__Output as _roster_raft_v1_Entry__Output } from './roster/raft/v1/Entry.js';
import type { ForwardRequest as _roster_raft_v1_ForwardRequest, ForwardRequest__Output as _roster_raft_v1_ForwardRequest__Output } from './roster/raft/v1/ForwardRequest.js';
import type { ForwardResponse as _roster_raft_v1_ForwardResponse, ForwardResponse__Output as _roster_raft_v1_ForwardResponse__Output } from './roster/raft/v1/ForwardResponse.js';
import type { RaftMessage as _roster_raft_v1_RaftMessage, RaftMessage__Output as _roster_raft_v1_RaftMessage__Output } from './roster/raft/v1/RaftMessage.js';
import type { RaftPeerClient as _roster_raft_v1_RaftPeerClient, RaftPeerDefinition as _roster_raft_v1_RaftPeerDefinition } from './roster/raft/v1/RaftPeer.js';
import type { SnapshotChunk as _roster_raft_v1_SnapshotChunk, SnapshotChunk__Output as _roster_raft_v1_SnapshotChunk__Output } from './roster/raft/v1/SnapshotChunk.js';
import type { SnapshotReceipt as _roster_raft_v1_SnapshotReceipt, SnapshotReceipt__Output as _roster_raft_v1_SnapshotReceipt__Output } from './roster/raft/v1/SnapshotReceipt.js';
import type { StreamSummary as _roster_raft_v1_StreamSummary, StreamSummary__Output as _roster_raft_v1_StreamSummary__Output } from './roster/raft/v1/StreamSummary.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  roster: {
    raft: {
      v1: {
        ConfState: MessageTypeDefinition<_roster_raft_v1_ConfState, _roster_raft_v1_ConfState__Output>
        Entry: MessageTypeDefinition<_roster_raft_v1_Entry, _roster_raft_v1_Entry__Output>
        EntryKind: EnumTypeDefinition
        ForwardRequest: MessageTypeDefinition<_roster_raft_v1_ForwardRequest, _roster_raft_v1_ForwardRequest__Output>
        ForwardResponse: MessageTypeDefinition<_roster_raft_v1_ForwardResponse, _roster_raft_v1_ForwardResponse__Output>
        RaftMessage: MessageTypeDefinition<_roster_raft_v1_RaftMessage, _roster_raft_v1_RaftMessage__Output>
        RaftPeer: SubtypeConstructor<typeof grpc.Client, _roster_raft_v1_RaftPeerClient> & { service: _roster_raft_v1_RaftPeerDefinition }
        SnapshotChunk: MessageTypeDefinition<_roster_raft_v1_SnapshotChunk, _roster_raft_v1_SnapshotChunk__Output>
        SnapshotReceipt: MessageTypeDefinition<_roster_raft_v1_SnapshotReceipt, _roster_raft_v1_SnapshotReceipt__Output>
        StreamSummary: MessageTypeDefinition<_roster_raft_v1_StreamSummary, _roster_raft_v1_StreamSummary__Output>
      }
    }
  }
}

