// Original file: proto/roster/registry.proto

import type { Long } from '@grpc/proto-loader';

export interface ReleaseResponse {
  'released'?: (boolean);
  'revision'?: (number | string | Long);
}

export interface ReleaseResponse__Output {
  'released': (boolean);
  'revision': (string);
}
