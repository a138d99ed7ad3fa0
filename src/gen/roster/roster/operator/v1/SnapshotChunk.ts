// Original file: proto/roster/operator.proto

import type { Long } from '@grpc/proto-loader';

export interface SnapshotChunk {
  'data'?: (Buffer | Uint8Array | string);
  'totalBytes'?: (number | string | Long);
}

export interface SnapshotChunk__Output {
  'data': (Buffer);
  'totalBytes': (number);
}
