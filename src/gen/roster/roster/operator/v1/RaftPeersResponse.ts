// Original file: proto/roster/operator.proto

import type { RaftPeer as _roster_operator_v1_RaftPeer, RaftPeer__Output as _roster_operator_v1_RaftPeer__Output } from '../../../roster/operator/v1/RaftPeer.js';
import type { Long } from '@grpc/proto-loader';

export interface RaftPeersResponse {
  'peers'?: (_roster_operator_v1_RaftPeer)[];
  'term'?: (number | string | Long);
  'commitIndex'?: (number | string | Long);
  'lastIndex'?: (number | string | Long);
}

export interface RaftPeersResponse__Output {
  'peers': (_roster_operator_v1_RaftPeer__Output)[];
  'term': (number);
  'commitIndex': (number);
  'lastIndex': (number);
}
