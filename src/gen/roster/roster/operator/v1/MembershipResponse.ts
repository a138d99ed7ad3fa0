// Original file: proto/roster/operator.proto

import type { RaftPeer as _roster_operator_v1_RaftPeer, RaftPeer__Output as _roster_operator_v1_RaftPeer__Output } from '../../../roster/operator/v1/RaftPeer.js';

export interface MembershipResponse {
  'peers'?: (_roster_operator_v1_RaftPeer)[];
  'gossip'?: (string);
}

export interface MembershipResponse__Output {
  'peers': (_roster_operator_v1_RaftPeer__Output)[];
  'gossip': (string);
}
