// Original file: proto/roster/acl.proto

import type { Token as _roster_acl_v1_Token, Token__Output as _roster_acl_v1_Token__Output } from '../../../roster/acl/v1/Token.js';
import type { Long } from '@grpc/proto-loader';

export interface TokenReply {
  'token'?: (_roster_acl_v1_Token | null);
  'revision'?: (number | string | Long);
}

export interface TokenReply__Output {
  'token': (_roster_acl_v1_Token__Output | null);
  'revision': (number);
}
