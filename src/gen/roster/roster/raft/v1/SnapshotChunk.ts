// Original file: proto/roster/raft.proto

import type { ConfState as _roster_raft_v1_ConfState, ConfState__Output as _roster_raft_v1_ConfState__Output } from '../../../roster/raft/v1/ConfState.js';
import type { Long } from '@grpc/proto-loader';

export interface SnapshotChunk {
  'from'?: (string);
  'to'?: (string);
  'term'?: (number | string | Long);
  'index'?: (number | string | Long);
  'snapshotTerm'?: (number | string | Long);
  'conf'?: (_roster_raft_v1_ConfState | null);
  'data'?: (Buffer | Uint8Array | string);
}

export interface SnapshotChunk__Output {
  'from': (string);
  'to': (string);
  'term': (number);
  'index': (number);
  'snapshotTerm': (number);
  'conf': (_roster_raft_v1_ConfState__Output | null);
  'data': (Buffer);
}
