// Original file: proto/roster/raft.proto

import type { Long } from '@grpc/proto-loader';

export interface SnapshotReceipt {
  'bytes'?: (number | string | Long);
}

export interface SnapshotReceipt__Output {
  'bytes': (number);
}
