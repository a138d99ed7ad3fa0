// Original file: proto/roster/registry.proto

import type { Long } from '@grpc/proto-loader';

export interface WriteResponse {
  'revision'?: (number | string | Long);
  'changed'?: (boolean);
}

export interface WriteResponse__Output {
  'revision': (string);
  'changed': (boolean);
}
