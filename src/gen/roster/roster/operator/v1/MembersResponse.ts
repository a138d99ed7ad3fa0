// Original file: proto/roster/operator.proto

import type { GossipMember as _roster_operator_v1_GossipMember, GossipMember__Output as _roster_operator_v1_GossipMember__Output } from '../../../roster/operator/v1/GossipMember.js';

export interface MembersResponse {
  'members'?: (_roster_operator_v1_GossipMember)[];
}

export interface MembersResponse__Output {
  'members': (_roster_operator_v1_GossipMember__Output)[];
}
