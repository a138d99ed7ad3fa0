// Original file: proto/roster/raft.proto

import type { EntryKind as _roster_raft_v1_EntryKind, EntryKind__Output as _roster_raft_v1_EntryKind__Output } from '../../../roster/raft/v1/EntryKind.js';
import type { Long } from '@grpc/proto-loader';

export interface Entry {
  'term'?: (number | string | Long);
  'index'?: (number | string | Long);
  'kind'?: (_roster_raft_v1_EntryKind);
  'data'?: (Buffer | Uint8Array | string);
}

export interface Entry__Output {
  'term': (number);
  'index': (number);
  'kind': (_roster_raft_v1_EntryKind__Output);
  'data': (Buffer);
}
