// Original file: proto/roster/raft.proto

import type { Long } from '@grpc/proto-loader';

export interface StreamSummary {
  'received'?: (number | string | Long);
}

export interface StreamSummary__Output {
  'received': (number);
}
