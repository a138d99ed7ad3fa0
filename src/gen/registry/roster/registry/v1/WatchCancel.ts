// Original file: proto/roster/registry.proto

import type { Long } from '@grpc/proto-loader';

export interface WatchCancel {
  'watchId'?: (number | string | Long);
}

export interface WatchCancel__Output {
  'watchId': (string);
}
