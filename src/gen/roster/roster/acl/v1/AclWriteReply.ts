// Original file: proto/roster/acl.proto

import type { Long } from '@grpc/proto-loader';

export interface AclWriteReply {
  'revision'?: (number | string | Long);
  'changed'?: (boolean);
}

export interface AclWriteReply__Output {
  'revision': (number);
  'changed': (boolean);
}
