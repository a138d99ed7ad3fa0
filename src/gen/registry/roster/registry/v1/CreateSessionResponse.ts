// Original file: proto/roster/registry.proto

import type { Long } from '@grpc/proto-loader';

export interface CreateSessionResponse {
  'id'?: (string);
  'revision'?: (number | string | Long);
}

export interface CreateSessionResponse__Output {
  'id': (string);
  'revision': (string);
}
