// Original file: proto/roster/registry.proto

import type { Long } from '@grpc/proto-loader';

export interface UpdateTtlResponse {
  'revision'?: (number | string | Long);
  'ttlMs'?: (number | string | Long);
}

export interface UpdateTtlResponse__Output {
  'revision': (string);
  'ttlMs': (string);
}
