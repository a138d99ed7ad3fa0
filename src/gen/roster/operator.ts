// @ts-nocheck generated loader typings
import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { AddLearnerRequest as _roster_operator_v1_AddLearnerRequest, AddLearnerRequest__Output as _roster_operator_v1_AddLearnerRequest__Output } from './roster/operator/v1/AddLearnerRequest.js';
import type { GossipMember as _roster_operator_v1_GossipMember, GossipMember__Output as _roster_operator_v1_GossipMember__Output } from './roster/operator/v1/GossipMember.js';
import type { KeyringKeyCount as _roster_operator_v1_KeyringKeyCount, KeyringKeyCount__Output as _roster_operator_v1_KeyringKeyCount__Output } from './roster/operator/v1/KeyringKeyCount.js';
import type { KeyringMemberAnswer as _roster_operator_v1_KeyringMemberAnswer, KeyringMemberAnswer__Output as _roster_operator_v1_KeyringMemberAnswer__Output } from './roster/operator/v1/KeyringMemberAnswer.js';
import type { KeyringRequest as _roster_operator_v1_KeyringRequest, KeyringRequest__Output as _roster_operator_v1_KeyringRequest__Output } from './roster/operator/v1/KeyringRequest.js';
import type { KeyringResponse as _roster_operator_v1_KeyringResponse, KeyringResponse__Output as _roster_operator_v1_KeyringResponse__Output } from './roster/operator/v1/KeyringResponse.js';
import type { MemberRequest as _roster_operator_v1_MemberRequest, MemberRequest__Output as _roster_operator_v1_MemberRequest__Output } from './roster/operator/v1/MemberRequest.js';
import type { MembersRequest as _roster_operator_v1_MembersRequest, MembersRequest__Output as _roster_operator_v1_MembersRequest__Output } from './roster/operator/v1/MembersRequest.js';
import type { MembersResponse as _roster_operator_v1_MembersResponse, MembersResponse__Output as _roster_operator_v1_MembersResponse__Output } from './roster/operator/v1/MembersResponse.js';
import type { MembershipResponse as _roster_operator_v1_MembershipResponse, MembershipResponse__Output as _roster_operator_v1_MembershipResponse__Output } from './roster/operator/v1/MembershipResponse.js';
import type { OperatorClient as _roster_operator_v1_OperatorClient, OperatorDefinition as _roster_operator_v1_OperatorDefinition } from './roster/operator/v1/Operator.js';
import type { RaftPeer as _roster_operator_v1_RaftPeer, RaftPeer__Output as _roster_operator_v1_RaftPeer__Output } from './roster/operator/v1/RaftPeer.js';
import type { RaftPeersRequest as _roster_operator_v1_RaftPeersRequest, RaftPeersRequest__Output as _roster_operator_v1_RaftPeersRequest__Output } from './roster/operator/v1/RaftPeersRequest.js';
import type { RaftPeersResponse as _roster_operator_v1_RaftPeersResponse, RaftPeersResponse__Output as _roster_operator_v1_RaftPeersResponse__Output } from './roster/operator/v1/RaftPeersResponse.js';
import type { SnapshotChunk as _roster_operator_v1_SnapshotChunk, SnapshotChunk__Output as _roster_operator_v1_SnapshotChunk__Output } from './roster/operator/v1/SnapshotChunk.js';
import type { SnapshotRequest as _roster_operator_v1_SnapshotRequest, SnapshotRequest__Output as _roster_operator_v1_SnapshotRequest__Output } from './roster/operator/v1/SnapshotRequest.js';
import type { StatsRequest as _roster_operator_v1_StatsRequest, StatsRequest__Output as _roster_operator_v1_StatsRequest__Output } from './roster/operator/v1/StatsRequest.js';
import type { StatsResponse as _roster_operator_v1_StatsResponse, StatsResponse__Output as _roster_operator_v1_StatsResponse__Output } from './roster/operator/v1/StatsResponse.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  roster: {
    operator: {
      v1: {
        AddLearnerRequest: MessageTypeDefinition<_roster_operator_v1_AddLearnerRequest, _roster_operator_v1_AddLearnerRequest__Output>
        GossipMember: MessageTypeDefinition<_roster_operator_v1_GossipMember, _roster_operator_v1_GossipMember__Output>
        KeyringKeyCount: MessageTypeDefinition<_roster_operator_v1_KeyringKeyCount, _roster_operator_v1_KeyringKeyCount__Output>
        KeyringMemberAnswer: MessageTypeDefinition<_roster_operator_v1_KeyringMemberAnswer, _roster_operator_v1_KeyringMemberAnswer__Output>
        KeyringRequest: MessageTypeDefinition<_roster_operator_v1_KeyringRequest, _roster_operator_v1_KeyringRequest__Output>
        KeyringResponse: MessageTypeDefinition<_roster_operator_v1_KeyringResponse, _roster_operator_v1_KeyringResponse__Output>
        MemberRequest: MessageTypeDefinition<_roster_operator_v1_MemberRequest, _roster_operator_v1_MemberRequest__Output>
        MembersRequest: MessageTypeDefinition<_roster_operator_v1_MembersRequest, _roster_operator_v1_MembersRequest__Output>
        MembersResponse: MessageTypeDefinition<_roster_operator_v1_MembersResponse, _roster_operator_v1_MembersResponse__Output>
        MembershipResponse: MessageTypeDefinition<_roster_operator_v1_MembershipResponse, _roster_operator_v1_MembershipResponse__Output>
        Operator: SubtypeConstructor<typeof grpc.Client, _roster_operator_v1_OperatorClient> & { service: _roster_operator_v1_OperatorDefinition }
        RaftPeer: MessageTypeDefinition<_roster_operator_v1_RaftPeer, _roster_operator_v1_RaftPeer__Output>
        RaftPeersRequest: MessageTypeDefinition<_roster_operator_v1_RaftPeersRequest, _roster_operator_v1_RaftPeersRequest__Output>
        RaftPeersResponse: MessageTypeDefinition<_roster_operator_v1_RaftPeersResponse, _roster_operator_v1_RaftPeersResponse__Output>
        SnapshotChunk: MessageTypeDefinition<_roster_operator_v1_SnapshotChunk, _roster_operator_v1_SnapshotChunk__Output>
        SnapshotRequest: MessageTypeDefinition<_roster_operator_v1_SnapshotRequest, _roster_operator_v1_SnapshotRequest__Output>
        StatsRequest: MessageTypeDefinition<_roster_operator_v1_StatsRequest, _roster_operator_v1_StatsRequest__Output>
        StatsResponse: MessageTypeDefinition<_roster_operator_v1_StatsResponse, _roster_operator_v1_StatsResponse__Output>
      }
    }
  }
}

