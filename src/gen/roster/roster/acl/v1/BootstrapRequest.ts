// Original file: proto/roster/acl.proto

import type { Long } from '@grpc/proto-loader';

export interface BootstrapRequest {
  'resetIndex'?: (number | string | Long);
}

export interface BootstrapRequest__Output {
  'resetIndex': (number);
}
