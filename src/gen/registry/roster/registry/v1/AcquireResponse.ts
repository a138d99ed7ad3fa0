// Original file: proto/roster/registry.proto

import type { Long } from '@grpc/proto-loader';

export interface AcquireResponse {
  'acquired'?: (boolean);
  'revision'?: (number | string | Long);
  'lockIndex'?: (number | string | Long);
  'holder'?: (string);
}

export interface AcquireResponse__Output {
  'acquired': (boolean);
  'revision': (string);
  'lockIndex': (string);
  'holder': (string);
}
